/**
 * Nothing booked twice, nothing lost: the real backend process is SIGKILLed at the worst moments
 * of a booking, a new one is started on the same store, and the deal ends up booked exactly once.
 * Deterministic kill points come from a proxy that holds the chosen request until the kill.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalSalesforce, type LocalSalesforce } from '../../src/emulator/salesforce';
import { createTrytonConnector, type TrytonConnector } from '../../src/erp/tryton';
import { money } from '../../src/money';
import { startBackend, type BackendProcess } from '../support/backendProcess';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { API_TOKEN, eventually, seedDeal } from '../support/harness';
import { postgresDatabase, type TestDatabase } from '../support/stores';
import { startTryton, TrytonAdmin, type RunningTryton } from '../support/tryton';

let tryton: RunningTryton;
let trytonProxy: FaultProxy;
let erp: TrytonConnector;
let sf: LocalSalesforce;
let sfProxy: FaultProxy;
const CODE = `KILL-${Date.now().toString(36).toUpperCase()}`;
const running: BackendProcess[] = [];

beforeAll(async () => {
  [tryton, sf] = await Promise.all([startTryton(), startLocalSalesforce()]);
  [trytonProxy, sfProxy] = await Promise.all([startFaultProxy(tryton.url), startFaultProxy(sf.url)]);
  const admin = new TrytonAdmin(tryton);
  await admin.ensureProduct(CODE, 'Kill-test product', money('250.00', 'USD'));
  await admin.close();
  erp = createTrytonConnector({
    url: tryton.url,
    database: tryton.database,
    user: tryton.user,
    password: tryton.password,
  });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((b) => b.kill()));
});
afterAll(async () => {
  await erp?.close();
  await Promise.all([trytonProxy?.close(), sfProxy?.close()]);
  await Promise.all([tryton?.stop(), sf?.close()]);
});

function backendEnv(store: { DATABASE_URL?: string; CLOSELOOP_DATA_DIR?: string }): NodeJS.ProcessEnv {
  return {
    ...store,
    ERP_KIND: 'tryton',
    TRYTON_URL: trytonProxy.url,
    TRYTON_DATABASE: tryton.database,
    TRYTON_USER: tryton.user,
    TRYTON_PASSWORD: tryton.password,
    SF_LOGIN_URL: sfProxy.url,
    SF_CLIENT_ID: sf.clientId,
    SF_CLIENT_SECRET: sf.clientSecret,
    CLOSELOOP_API_TOKENS: API_TOKEN,
    BOOKINGS_SINCE: '2020-01-01',
    JOB_LEASE_SECONDS: '5',
    JOB_BACKOFF_BASE_MS: '200',
    JOB_BACKOFF_MAX_MS: '1000',
  };
}

async function start(env: NodeJS.ProcessEnv): Promise<BackendProcess> {
  const backend = await startBackend(env);
  running.push(backend);
  return backend;
}

async function closedWon(backend: BackendProcess, opportunityId: string): Promise<void> {
  const res = await fetch(`${backend.url}/v1/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${API_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'opportunity.closed_won', opportunityId }),
  });
  expect(res.status).toBe(202);
}

const isSalesforceWrite = (method: string, p: string) => method === 'PATCH' && p.includes('/composite/sobjects');
const isTrytonConfirm = (_m: string, _p: string, body: string) => body.includes('"model.sale.sale.confirm"');

describe.each([
  [
    'PostgreSQL',
    async () => {
      const db = await postgresDatabase();
      return { env: { DATABASE_URL: db.url }, drop: () => db.drop(), db };
    },
  ],
  [
    'PGlite',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'closeloop-kill-'));
      return {
        env: { CLOSELOOP_DATA_DIR: dir },
        drop: async () => rmSync(dir, { recursive: true, force: true }),
        db: null as TestDatabase | null,
      };
    },
  ],
])('the worker is SIGKILLed mid-booking (%s store)', (_name, openStore) => {
  test('after the ERP sale is created and invoiced, before Salesforce is updated → restart → one sale, confirmation written', async () => {
    const store = await openStore();
    try {
      const { opportunityId } = seedDeal(sf, { lines: [{ code: CODE, quantity: 4, unitPrice: 250 }] });
      const held = sfProxy.holdNext(isSalesforceWrite);
      const first = await start(backendEnv(store.env));
      await closedWon(first, opportunityId);
      const write = await held;
      expect(write.body).toContain(opportunityId);

      // The ERP has the sale and its posted invoice; Salesforce does not know yet.
      const [sale] = await erp.findSalesByReference(opportunityId);
      expect(sale?.state).toBe('processing');
      expect((await erp.getInvoice(sale!.invoiceIds[0]!)).state).toBe('posted');
      expect(sf.org.get('Opportunity', opportunityId)?.Booking_Status__c).toBe('Not Booked');

      await first.kill('SIGKILL');
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
      write.drop();

      const second = await start(backendEnv(store.env));
      await eventually(
        () => sf.org.get('Opportunity', opportunityId)?.Booking_Status__c === 'Booked',
        'the confirmation',
      );
      const sales = await erp.findSalesByReference(opportunityId);
      expect(sales.map((s) => s.id)).toEqual([sale!.id]);
      expect(sales[0]!.invoiceIds).toEqual(sale!.invoiceIds);
      expect(sf.org.get('Opportunity', opportunityId)?.ERP_Order_Id__c).toBe(sale!.id);
      // The job ends after its last write; its log line follows.
      await eventually(
        () => second.logs.some((l) => l.msg === 'job finished' && l.outcome === 'booked'),
        'the booking job to finish as booked',
      );
    } finally {
      await Promise.all(running.splice(0).map((b) => b.kill()));
      await store.drop();
    }
  });

  test('after Salesforce took the confirmation, before the worker recorded it → restart → its own record catches up', async () => {
    const store = await openStore();
    try {
      const { opportunityId } = seedDeal(sf, { lines: [{ code: CODE, quantity: 2, unitPrice: 250 }] });
      const held = sfProxy.holdNext(isSalesforceWrite);
      const first = await start(backendEnv(store.env));
      await closedWon(first, opportunityId);
      const write = await held;
      await first.kill('SIGKILL');
      void write.release(); // the write was already on the wire: Salesforce applies it
      await eventually(
        () => sf.org.get('Opportunity', opportunityId)?.Booking_Status__c === 'Booked',
        'the write',
        10_000,
      );

      const second = await start(backendEnv(store.env));
      await eventually(
        () => second.logs.some((l) => l.msg === 'job finished' && l.outcome === 'already_booked'),
        'the restarted worker to finish the job',
        45_000,
      );
      expect(await erp.findSalesByReference(opportunityId)).toHaveLength(1);
      if (store.db) {
        const [row] = await store.db.store.query<{ status: string }>(
          'SELECT status FROM bookings WHERE opportunity_id = $1',
          [opportunityId],
        );
        expect(row?.status).toBe('Booked');
        const actions = await store.db.store.query<{ action: string }>(
          `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`,
          [opportunityId],
        );
        expect(actions.map((a) => a.action)).toContain('booking.booked_found_in_salesforce');
      }
    } finally {
      await Promise.all(running.splice(0).map((b) => b.kill()));
      await store.drop();
    }
  });

  test('after the sale is created, before it is confirmed → restart → the same sale is confirmed, never a second', async () => {
    const store = await openStore();
    try {
      const { opportunityId } = seedDeal(sf, { lines: [{ code: CODE, quantity: 1, unitPrice: 250 }] });
      const held = trytonProxy.holdNext(isTrytonConfirm);
      const first = await start(backendEnv(store.env));
      await closedWon(first, opportunityId);
      const confirm = await held;
      const [draft] = await erp.findSalesByReference(opportunityId);
      expect(draft?.state).toBe('quotation');

      await first.kill('SIGKILL');
      confirm.drop();

      await start(backendEnv(store.env));
      await eventually(
        () => sf.org.get('Opportunity', opportunityId)?.Booking_Status__c === 'Booked',
        'the booking',
        45_000,
      );
      const sales = await erp.findSalesByReference(opportunityId);
      expect(sales).toHaveLength(1);
      expect(sales[0]).toMatchObject({ id: draft!.id, state: 'processing' });
      expect(sales[0]!.invoiceIds).toHaveLength(1);
    } finally {
      await Promise.all(running.splice(0).map((b) => b.kill()));
      await store.drop();
    }
  });
});
