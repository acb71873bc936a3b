/**
 * The cube's stale marks under concurrency (PostgreSQL, two connections): a rebuild running while
 * a change is still uncommitted must not clear that change's mark — or the month would stay
 * wrong until the next day's full recompute.
 */
import { markMonthsOf, rebuildStaleMonths } from '../../src/forecast/months';
import { postgresDatabase, type TestDatabase } from '../support/stores';

let db: TestDatabase;
beforeAll(async () => {
  db = await postgresDatabase();
  await db.store.query(
    `INSERT INTO sf_opportunities (id, owner_id, amount, currency, stage, close_date, is_won, is_closed, modified_at)
     VALUES ('006000000000001AAA', '005000000000001AAA', 100, 'USD', 'Closed Won', '2026-05-10', true, true, now())`,
  );
  await markMonthsOf(db.store, 'all');
  await rebuildStaleMonths(db.store);
});
afterAll(async () => db?.drop());

const booked = async () =>
  (await db.store.query<{ booked: string }>(`SELECT sum(booked)::text AS booked FROM forecast_months`))[0]?.booked;

test('a rebuild during an uncommitted change waits for it, and the change is in the cube', async () => {
  expect(await booked()).toBe('100');
  // Another change already marked May: the case where a mark "already exists".
  await markMonthsOf(db.store, ['006000000000001AAA']);

  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let marked!: () => void;
  const markedNow = new Promise<void>((r) => (marked = r));
  const change = db.store.transaction(async (tx) => {
    await tx.query(`UPDATE sf_opportunities SET amount = 250 WHERE id = '006000000000001AAA'`);
    await markMonthsOf(tx, ['006000000000001AAA']);
    marked();
    await held; // still uncommitted while the rebuild starts
  });
  await markedNow;
  const rebuild = rebuildStaleMonths(db.store);
  await new Promise((r) => setTimeout(r, 300));
  release();
  await change;
  await rebuild;
  await rebuildStaleMonths(db.store); // whatever is still marked
  expect(await booked()).toBe('250');
});
