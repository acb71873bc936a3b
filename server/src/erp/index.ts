/** Builds the configured ERP connector (ERP_KIND). */
import type { ErpConfig } from '../config';
import type { Store } from '../store/db';
import type { ErpConnector } from './connector';
import { SandboxErp } from './sandbox/sandboxErp';

export function createErpConnector(config: ErpConfig, store: Store): ErpConnector {
  switch (config.kind) {
    case 'sandbox':
      return new SandboxErp(store);
    case 'tryton':
      throw new Error('ERP_KIND=tryton: the Tryton connector is not wired yet');
  }
}
