/**
 * A real Tryton for tests: `startTryton()` copies the prepared database (building it once if
 * needed) into a fresh temporary folder and starts trytond on a free loopback port.
 * The logic lives in `src/erp/tryton/localServer.ts`, shared with `scripts/tryton/start.mjs`.
 */
import { createTrytonConnector } from '../../src/erp/tryton/connector';
import { freePort, startLocalTryton } from '../../src/erp/tryton/localServer';
import type { ErpTestKit } from '../erp/conformance';
import { TrytonAdmin } from '../../src/erp/tryton/admin';

export { TrytonAdmin };

export interface RunningTryton {
  /** http://127.0.0.1:PORT */
  url: string;
  database: string;
  user: string;
  password: string;
  stop(): Promise<void>;
  pid: number;
}

export async function startTryton(options: { port?: number; dataDir?: string } = {}): Promise<RunningTryton> {
  const { url, database, user, password, pid, stop } = await startLocalTryton({
    ...options,
    log: process.env.TRYTON_DEBUG ? (m) => console.error(`[tryton] ${m}`) : undefined,
  });
  return { url, database, user, password, pid, stop };
}

export async function trytonTestKit(tryton: RunningTryton): Promise<ErpTestKit> {
  // A port that was free a moment ago: nothing answers there, so calls are refused at once.
  const closedPort = await freePort();
  const admin = new TrytonAdmin(tryton);
  const connector = createTrytonConnector(tryton);
  return {
    connector,
    currency: 'USD',
    ensureProduct: (code, name, listPrice) => admin.ensureProduct(code, name, listPrice),
    setCreditLimit: (customerId, limit) => admin.setCreditLimit(customerId, limit),
    payInvoice: (invoiceId, amount, date) => admin.payInvoice(invoiceId, amount, date),
    issueInvoice: (customerId, amount, invoiceDate) => admin.issueInvoice(customerId, amount, invoiceDate),
    unreachableConnector: () =>
      createTrytonConnector({ ...tryton, url: `http://127.0.0.1:${closedPort}`, timeoutMs: 2_000 }),
    close: async () => {
      await connector.close();
      await admin.close();
    },
  };
}
