/**
 * The fault suite's parts. A `FaultWorld` per test file: one real Tryton and one local Salesforce.
 * A `Rig` per fault point: its own PostgreSQL database and three proxies of its own (PostgreSQL,
 * Tryton, Salesforce) in front of those shared parts, and the real backend process behind them —
 * so fault points run side by side and a fault in one never touches another.
 */
import { startLocalSalesforce, type LocalSalesforce } from '../../src/emulator/salesforce';
import { createTrytonConnector, type TrytonConnector } from '../../src/erp/tryton';
import { money } from '../../src/money';
import { startBackend, type BackendProcess } from './backendProcess';
import { startFaultProxy, type FaultProxy } from './faultProxy';
import { API_TOKEN } from './harness';
import { startPgProxy, type PgProxy } from './pgProxy';
import { postgresDatabase, type TestDatabase } from './stores';
import { startTryton, TrytonAdmin, type RunningTryton } from './tryton';

/** How long one Tryton call may take in the suite before it counts as timed out. */
export const ERP_TIMEOUT_MS = 4000;
/** Never, in practice: schedules stay out of the way; every sweep and retry is asked for. */
const NEVER = '0 0 1 1 *';

export interface FaultWorld {
  tryton: RunningTryton;
  sf: LocalSalesforce;
  admin: TrytonAdmin;
  /** A direct connector (no proxy) for the assertions. */
  erp: TrytonConnector;
  productCode: string;
  close(): Promise<void>;
}

export async function startFaultWorld(prefix: string): Promise<FaultWorld> {
  const [tryton, sf] = await Promise.all([startTryton(), startLocalSalesforce()]);
  const admin = new TrytonAdmin(tryton);
  const productCode = `${prefix}-${Date.now().toString(36).toUpperCase()}`;
  await admin.ensureProduct(productCode, `${prefix} fault-test product`, money('250.00', 'USD'));
  const erp = createTrytonConnector(tryton);
  return {
    tryton,
    sf,
    admin,
    erp,
    productCode,
    async close() {
      await erp.close();
      await admin.close();
      await Promise.all([tryton.stop(), sf.close()]);
    },
  };
}

export interface Rig {
  db: TestDatabase;
  pg: PgProxy;
  erpProxy: FaultProxy;
  sfProxy: FaultProxy;
  /** The backend now running (replaced by `restart`). */
  backend: BackendProcess;
  restart(): Promise<BackendProcess>;
  /** The last log lines of every backend so far (attached to a failing fault point). */
  tail(lines?: number): string;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** A rig on the world's Tryton, and on its Salesforce unless the fault point brings its own. */
export async function startRig(world: FaultWorld, sf: LocalSalesforce = world.sf): Promise<Rig> {
  const db = await postgresDatabase();
  const [pg, erpProxy, sfProxy] = await Promise.all([
    startPgProxy(),
    startFaultProxy(world.tryton.url),
    startFaultProxy(sf.url),
  ]);
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: pg.via(db.url),
    ERP_KIND: 'tryton',
    TRYTON_URL: erpProxy.url,
    TRYTON_DATABASE: world.tryton.database,
    TRYTON_USER: world.tryton.user,
    TRYTON_PASSWORD: world.tryton.password,
    TRYTON_TIMEOUT_MS: String(ERP_TIMEOUT_MS),
    SF_LOGIN_URL: sfProxy.url,
    SF_CLIENT_ID: sf.clientId,
    SF_CLIENT_SECRET: sf.clientSecret,
    CLOSELOOP_API_TOKENS: API_TOKEN,
    BOOKINGS_SINCE: '2020-01-01',
    SYNC_BOOKINGS_CRON: NEVER,
    SYNC_FINANCIALS_CRON: NEVER,
    SYNC_OPPORTUNITIES_CRON: NEVER,
    JOB_LEASE_SECONDS: '5',
    JOB_MAX_ATTEMPTS: '3',
    JOB_BACKOFF_BASE_MS: '100',
    JOB_BACKOFF_MAX_MS: '400',
    WORKER_CONCURRENCY: '2',
  };
  const backends: BackendProcess[] = [];
  const rig: Rig = {
    db,
    pg,
    erpProxy,
    sfProxy,
    backend: await startBackend(env),
    async restart() {
      await rig.backend.kill('SIGKILL');
      rig.backend = await startBackend(env);
      backends.push(rig.backend);
      return rig.backend;
    },
    tail(lines = 25) {
      const all = backends.flatMap((b) => b.logs);
      return all
        .slice(-lines)
        .map((l) => JSON.stringify(l))
        .join('\n');
    },
    async api(method, path, body) {
      const res = await fetch(`${rig.backend.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${API_TOKEN}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    async close() {
      await Promise.all([rig.backend, ...backends].map((b) => b.kill('SIGKILL')));
      await Promise.all([pg.close(), erpProxy.close(), sfProxy.close()]);
      await db.drop();
    },
  };
  backends.push(rig.backend);
  return rig;
}
