import { backoffDelayMs, JobQueue, type QueueOptions } from '../../src/jobs/queue';
import { createPostgresStore, type Store } from '../../src/store/db';
import { pgliteStore, postgresDatabase, type TestDatabase } from '../support/stores';

const options: QueueOptions = {
  leaseSeconds: 30,
  maxAttempts: 3,
  backoffBaseMs: 1000,
  backoffMaxMs: 8000,
  random: () => 0.5,
};
const job = (key: string) => ({ kind: 'book', key, payload: { opportunityId: key }, trigger: 'event' as const });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('backoff doubles, is capped, and jitters between half and the whole delay', () => {
  expect(backoffDelayMs(1, options)).toBe(750);
  expect(backoffDelayMs(2, options)).toBe(1500);
  expect(backoffDelayMs(10, options)).toBe(6000);
  expect(backoffDelayMs(1, { ...options, random: () => 0 })).toBe(500);
  expect(backoffDelayMs(1, { ...options, random: () => 1 })).toBe(1000);
  expect(backoffDelayMs(1, options, 60_000)).toBe(60_000);
});

describe.each([
  ['PGlite', async () => ({ store: await pgliteStore(), drop: async (s: Store) => s.close() })],
  [
    'PostgreSQL',
    async () => {
      const db = await postgresDatabase();
      return { store: db.store, drop: async () => db.drop() };
    },
  ],
])('job queue on %s', (_name, open) => {
  let store: Store;
  let drop: (s: Store) => Promise<void>;
  let queue: JobQueue;

  beforeAll(async () => {
    ({ store, drop } = await open());
  });
  afterAll(async () => drop(store));
  beforeEach(async () => {
    await store.query('DELETE FROM jobs');
    queue = new JobQueue(store, options);
  });

  test('one job per key: duplicates change nothing', async () => {
    const first = await queue.enqueue(job('k1'));
    const again = await queue.enqueue(job('k1'));
    expect(first.created).toBe(true);
    expect(again).toEqual({ job: expect.objectContaining({ id: first.job.id }), created: false });
    expect(await queue.enqueueMany([job('k1'), job('k2'), job('k3')])).toEqual(['k2', 'k3']);
    expect(await queue.depth()).toMatchObject({ queued: 3, due: 3 });
  });

  test('a claimed job is not claimed again while its lease holds', async () => {
    await queue.enqueueMany([job('a'), job('b')]);
    const mine = await queue.claim('w1', 10);
    expect(mine.map((j) => [j.key, j.status, j.attempts, j.lockedBy])).toEqual([
      ['a', 'running', 1, 'w1'],
      ['b', 'running', 1, 'w1'],
    ]);
    expect(await queue.claim('w2', 10)).toEqual([]);
    expect(await queue.complete(mine[0]!, 'w1', 'booked')).toBe(true);
    expect(await queue.get(mine[0]!.id)).toMatchObject({ status: 'done', outcome: 'booked', lockedBy: null });
  });

  test('a crashed worker’s job comes back when its lease lapses, and the old holder is fenced out', async () => {
    const short = new JobQueue(store, { ...options, leaseSeconds: 1 });
    await short.enqueue(job('lease'));
    const [taken] = await short.claim('crashed', 1);
    await sleep(1200);
    const [retaken] = await short.claim('w2', 1);
    expect(retaken).toMatchObject({ id: taken!.id, lockedBy: 'w2', attempts: 2 });
    expect(await short.complete(taken!, 'crashed', 'booked')).toBe(false);
    expect(await short.fail(taken!, 'crashed', { message: 'x', errorClass: 'X' })).toBe('lost');
    expect(await short.complete(retaken!, 'w2', 'booked')).toBe(true);
  });

  // Found by the fault suite (server/test/faults, the store "restarting" mid-booking): the worker
  // could not renew its lease, took its own job back once the store returned, and the stale
  // attempt's failure was recorded over the running one — a dead letter for a deal then booked.
  test('a worker that re-claims its own lapsed job is fenced out of the older attempt', async () => {
    const short = new JobQueue(store, { ...options, leaseSeconds: 1 });
    await short.enqueue(job('own-lease'));
    const [first] = await short.claim('w1', 1);
    await sleep(1200);
    const [second] = await short.claim('w1', 1);
    expect(second).toMatchObject({ id: first!.id, lockedBy: 'w1', attempts: 2 });
    expect(await short.extendLease(first!, 'w1')).toBe(false);
    expect(await short.fail(first!, 'w1', { message: 'lock lost', errorClass: 'LOCK_LOST' })).toBe('lost');
    expect(await short.complete(first!, 'w1', 'booked')).toBe(false);
    expect(await short.get(first!.id)).toMatchObject({ status: 'running', attempts: 2, lastError: null });
    expect(await short.complete(second!, 'w1', 'booked')).toBe(true);
  });

  test('a live worker keeps its lease by extending it', async () => {
    const short = new JobQueue(store, { ...options, leaseSeconds: 1 });
    await short.enqueue(job('alive'));
    const [taken] = await short.claim('w1', 1);
    for (let i = 0; i < 3; i++) {
      await sleep(500);
      expect(await short.extendLease(taken!, 'w1')).toBe(true);
    }
    expect(await short.claim('w2', 1)).toEqual([]);
  });

  test('failures back off, then the job becomes a dead letter that can be replayed', async () => {
    const quick = new JobQueue(store, { ...options, backoffBaseMs: 200, backoffMaxMs: 200 });
    await quick.enqueue(job('flaky'));
    for (let attempt = 1; attempt <= 3; attempt++) {
      let claimed = await quick.claim('w', 1);
      if (attempt > 1) {
        expect(claimed).toEqual([]); // not due yet: the backoff holds it back
        await sleep(250);
        claimed = await quick.claim('w', 1);
      }
      expect(claimed[0]?.attempts).toBe(attempt);
      const result = await quick.fail(claimed[0]!, 'w', {
        message: `ERP down (${attempt})`,
        errorClass: 'ERP_UNAVAILABLE',
      });
      expect(result).toBe(attempt < 3 ? 'retry' : 'dead');
    }
    const { total, items } = await quick.deadLetters();
    expect(total).toBe(1);
    expect(items[0]).toMatchObject({
      key: 'flaky',
      status: 'dead',
      attempts: 3,
      lastError: 'ERP down (3)',
      lastErrorClass: 'ERP_UNAVAILABLE',
    });

    const replayed = await quick.replay(items[0]!.id);
    expect(replayed).toMatchObject({ status: 'queued', attempts: 0, trigger: 'replay', lastError: null });
    expect(await quick.replay(items[0]!.id)).toBeNull(); // no longer a dead letter
    expect((await quick.claim('w', 1))[0]?.key).toBe('flaky');
  });

  test('a job whose worker dies on its last attempt is buried once, and never run again', async () => {
    const short = new JobQueue(store, { ...options, leaseSeconds: 1, maxAttempts: 1 });
    await short.enqueue(job('poison'));
    const [taken] = await short.claim('dies', 1);
    await sleep(1200);
    // Claiming is a separate statement from burying: on its own it must not run the job again.
    expect(await short.claim('w2', 1)).toEqual([]);
    expect(await short.get(taken!.id)).toMatchObject({ status: 'running', attempts: 1 });

    const buried = await Promise.all([short.buryAbandoned(), short.buryAbandoned()]);
    expect(buried.flat()).toEqual([
      expect.objectContaining({ id: taken!.id, status: 'dead', lastErrorClass: 'WORKER_LOST', attempts: 1 }),
    ]);
    expect(await short.buryAbandoned()).toEqual([]);
    expect((await short.deadLetters()).items[0]).toMatchObject({ key: 'poison', lastErrorClass: 'WORKER_LOST' });
    expect(await short.claim('w2', 1)).toEqual([]);
  });

  test('a lapsed job with attempts left is claimed again, one past the last is not', async () => {
    const short = new JobQueue(store, { ...options, leaseSeconds: 1, maxAttempts: 2 });
    await short.enqueue(job('twice'));
    await short.claim('dies-1', 1);
    await sleep(1100);
    expect(await short.claim('dies-2', 1)).toEqual([expect.objectContaining({ attempts: 2, lockedBy: 'dies-2' })]);
    await sleep(1100);
    expect(await short.claim('w3', 1)).toEqual([]);
  });

  test('a manual re-run of a finished job starts it over with the new payload', async () => {
    await queue.enqueue(job('m'));
    const [running] = await queue.claim('w', 1);
    await queue.complete(running!, 'w', 'failed');
    const rerun = await queue.enqueue(
      { ...job('m'), trigger: 'manual', payload: { customerResolution: 'create' } },
      true,
    );
    expect(rerun).toMatchObject({
      created: false,
      job: { id: running!.id, status: 'queued', trigger: 'manual', attempts: 0, outcome: null },
    });
    expect(rerun.job.payload).toEqual({ customerResolution: 'create' });
  });

  test('a manual re-run of a job waiting out a backoff runs now with the new payload', async () => {
    await queue.enqueue(job('backoff'));
    const [taken] = await queue.claim('w', 1);
    expect(
      await queue.fail(taken!, 'w', { message: 'ERP down', errorClass: 'ERP_UNAVAILABLE', retryAfterMs: 60_000 }),
    ).toBe('retry');
    expect(await queue.claim('w', 1)).toEqual([]); // a minute away

    const manual = { ...job('backoff'), trigger: 'manual' as const, payload: { customerResolution: 'create' } };
    const { job: rerun } = await queue.enqueue(manual, true);
    expect(rerun).toMatchObject({ status: 'queued', trigger: 'manual', attempts: 0 });
    const [again] = await queue.claim('w', 1);
    expect(again).toMatchObject({ id: taken!.id, trigger: 'manual', payload: { customerResolution: 'create' } });
  });

  test('a manual re-run of a running job runs it again after the attempt, with the new payload', async () => {
    await queue.enqueue(job('busy'));
    const [running] = await queue.claim('w', 1);
    const manual = { ...job('busy'), trigger: 'manual' as const, payload: { customerResolution: 'create' } };
    const { job: flagged } = await queue.enqueue(manual, true);
    expect(flagged).toMatchObject({ status: 'running', rerunRequested: true, lockedBy: 'w' });

    expect(await queue.complete(running!, 'w', 'failed')).toBe(true);
    expect(await queue.get(running!.id)).toMatchObject({
      status: 'queued',
      attempts: 0,
      outcome: null,
      rerunRequested: false,
    });
    const [again] = await queue.claim('w', 1);
    expect(again).toMatchObject({ attempts: 1, trigger: 'manual', payload: { customerResolution: 'create' } });
    expect(await queue.complete(again!, 'w', 'booked')).toBe(true);
    expect(await queue.get(again!.id)).toMatchObject({ status: 'done', outcome: 'booked' });
  });

  test('a manual re-run asked during a failing last attempt starts the job over instead of burying it', async () => {
    const once = new JobQueue(store, { ...options, maxAttempts: 1 });
    await once.enqueue(job('last'));
    const [running] = await once.claim('w', 1);
    await once.enqueue({ ...job('last'), trigger: 'manual' }, true);
    expect(await once.fail(running!, 'w', { message: 'ERP down', errorClass: 'ERP_UNAVAILABLE' })).toBe('retry');
    expect(await once.get(running!.id)).toMatchObject({ status: 'queued', attempts: 0, lastError: 'ERP down' });
    expect((await once.claim('w', 1))[0]).toMatchObject({ trigger: 'manual', attempts: 1 });
  });

  test('events re-queue a job that ended with a non-final outcome, and only those', async () => {
    await queue.enqueueMany([job('early'), job('booked'), job('failing'), job('waiting')]);
    const claimed = await queue.claim('w', 3);
    const byKey = new Map(claimed.map((j) => [j.key, j]));
    await queue.complete(byKey.get('early')!, 'w', 'not_won');
    await queue.complete(byKey.get('booked')!, 'w', 'booked');
    await queue.fail(byKey.get('failing')!, 'w', { message: 'x', errorClass: 'X' });
    const rerunOutcomes = ['not_won', 'not_found'];

    const poll = (key: string) => ({
      ...job(key),
      trigger: 'poll' as const,
      payload: { opportunityId: key, round: 2 },
    });
    const keys = ['early', 'booked', 'failing', 'waiting', 'new'];
    expect((await queue.enqueueMany(keys.map(poll), { rerunOutcomes })).sort()).toEqual(['early', 'new']);
    expect(await queue.getByKey('early')).toMatchObject({
      status: 'queued',
      trigger: 'poll',
      attempts: 0,
      outcome: null,
      finishedAt: null,
      payload: { opportunityId: 'early', round: 2 },
    });
    expect(await queue.getByKey('booked')).toMatchObject({ status: 'done', outcome: 'booked', trigger: 'event' });
    expect(await queue.getByKey('failing')).toMatchObject({ status: 'queued', attempts: 1, trigger: 'event' });
    // Without the option, one job per key, ever.
    const early = (await queue.claim('w', 10)).find((j) => j.key === 'early');
    await queue.complete(early!, 'w', 'not_won');
    expect(await queue.enqueueMany([poll('early')])).toEqual([]);
    // A key given twice in one call is enqueued once.
    expect(await queue.enqueueMany([poll('early'), poll('early')], { rerunOutcomes })).toEqual(['early']);
  });
});

describe('job queue on PostgreSQL with several workers', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await postgresDatabase();
  });
  afterAll(async () => db.drop());

  test('five workers with their own connections never take the same job', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `race-${i}`);
    await new JobQueue(db.store, options).enqueueMany(keys.map(job));
    const pools = Array.from({ length: 5 }, () => createPostgresStore(db.url, { max: 2 }));
    try {
      const claimedBy = await Promise.all(
        pools.map(async (pool, w) => {
          const q = new JobQueue(pool, options);
          const mine: string[] = [];
          for (;;) {
            const batch = await q.claim(`w${w}`, 7);
            if (batch.length === 0) return mine;
            mine.push(...batch.map((j) => j.key));
          }
        }),
      );
      const all = claimedBy.flat();
      expect(all).toHaveLength(300);
      expect(new Set(all).size).toBe(300);
      expect(claimedBy.filter((c) => c.length > 0).length).toBeGreaterThan(1);
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  });
});
