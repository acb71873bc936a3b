/** Builds the configured ERP connector (ERP_KIND). */
import type { ErpConfig } from '../config';
import type { Store } from '../store/db';
import type { ErpConnector } from './connector';
import { SandboxErp } from './sandbox/sandboxErp';
import { createTrytonConnector } from './tryton';

export function createErpConnector(config: ErpConfig, store: Store): ErpConnector {
  switch (config.kind) {
    case 'sandbox':
      return new SandboxErp(store);
    case 'tryton':
      return createTrytonConnector({
        url: config.url,
        database: config.database,
        user: config.user,
        password: config.password,
        timeoutMs: config.timeoutMs,
      });
  }
}
