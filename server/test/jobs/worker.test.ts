import { Writable } from 'node:stream';
import pino from 'pino';
import { BusinessError, errorClass, TransientError } from '../../src/errors';
import { JobQueue, WORKER_LOST_MESSAGE, type Job, type QueueOptions } from '../../src/jobs/queue';
import { Worker, type JobHandler, type WorkerOptions } from '../../src/jobs/worker';
import { silentLogger } from '../../src/log';
import { postgresDatabase, type TestDatabase } from '../support/stores';

const options: QueueOptions = {
  leaseSeconds: 30,
  maxAttempts: 3,
  backoffBaseMs: 200,
  backoffMaxMs: 2000,
  random: () => 0.5,
};
const job = (key: string, payload: Record<string, unknown> = {}) => ({
  kind: 'test',
  key,
  payload,
  trigger: 'event' as const,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

let db: TestDatabase;
const workers: Worker[] = [];

beforeAll(async () => {
  db = await postgresDatabase();
});
afterAll(async () => db.drop());
beforeEach(async () => {
  await db.store.query('DELETE FROM jobs');
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

function startWorker(queue: JobQueue, handler: JobHandler, extra: Partial<WorkerOptions> = {}): Worker {
  const worker = new Worker({
    queue,
    handlers: { test: handler },
    concurrency: 2,
    log: silentLogger,
    pollMs: 50,
    ...extra,
  });
  workers.push(worker);
  worker.start();
  return worker;
}

/** A logger whose lines the test can read. */
function recordingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

test('a business outcome completes the job at once: no retry', async () => {
  const queue = new JobQueue(db.store, options);
  let runs = 0;
  startWorker(queue, {
    run: async () => {
      runs++;
      return 'failed';
    },
  });
  const { job: queued } = await queue.enqueue(job('business'));
  await eventually(async () => (await queue.get(queued.id))?.status === 'done');
  expect(await queue.get(queued.id)).toMatchObject({ outcome: 'failed', attempts: 1, lastError: null });
  await sleep(300);
  expect(runs).toBe(1);
});

test('a thrown error is retried with backoff until it succeeds', async () => {
  const queue = new JobQueue(db.store, options);
  const startedAt: number[] = [];
  startWorker(queue, {
    run: async () => {
      startedAt.push(Date.now());
      if (startedAt.length < 3) throw new TransientError('ERP_UNAVAILABLE', `ERP down (${startedAt.length})`);
      return 'booked';
    },
  });
  const { job: queued } = await queue.enqueue(job('flaky'));
  await eventually(async () => (await queue.get(queued.id))?.status === 'done');
  expect(await queue.get(queued.id)).toMatchObject({ outcome: 'booked', attempts: 3 });
  // Equal jitter at 0.5: 150 ms after the first failure, 300 ms after the second.
  expect(startedAt[1]! - startedAt[0]!).toBeGreaterThanOrEqual(140);
  expect(startedAt[2]! - startedAt[1]!).toBeGreaterThanOrEqual(290);
});

test('the dead-letter notice is sent exactly once, when the last attempt fails', async () => {
  const queue = new JobQueue(db.store, { ...options, maxAttempts: 2, backoffBaseMs: 20, backoffMaxMs: 20 });
  const notices: Array<{ job: Job; error: unknown }> = [];
  const handler: JobHandler = {
    run: async () => Promise.reject(new BusinessError('NOPE', 'always fails')),
    onDeadLetter: async (deadJob, error) => void notices.push({ job: deadJob, error }),
  };
  startWorker(queue, handler);
  startWorker(queue, handler);
  const { job: queued } = await queue.enqueue(job('doomed'));
  await eventually(async () => (await queue.get(queued.id))?.status === 'dead');
  await sleep(300);
  expect(notices).toHaveLength(1);
  expect(notices[0]!.job).toMatchObject({ id: queued.id, attempts: 2 });
  expect((notices[0]!.error as Error).message).toBe('always fails');
});

test('a job whose worker died on its last attempt is buried by a live worker, which sends the notice once', async () => {
  const queue = new JobQueue(db.store, { ...options, leaseSeconds: 1, maxAttempts: 1 });
  await queue.enqueue(job('orphan'));
  const [orphan] = await queue.claim('crashed-worker', 1); // and then it never comes back
  const notices: Array<{ job: Job; error: unknown }> = [];
  const handler: JobHandler = {
    run: async () => 'should not run',
    onDeadLetter: async (deadJob, error) => void notices.push({ job: deadJob, error }),
  };
  startWorker(queue, handler);
  startWorker(queue, handler);
  await eventually(() => notices.length > 0);
  await sleep(300);
  expect(notices).toHaveLength(1);
  expect(notices[0]!.job).toMatchObject({ id: orphan!.id, status: 'dead', lastErrorClass: 'WORKER_LOST' });
  expect((notices[0]!.error as Error).message).toBe(WORKER_LOST_MESSAGE);
  expect(errorClass(notices[0]!.error)).toBe('WORKER_LOST');
});

test('the heartbeat keeps a long job’s lease: no other worker takes it', async () => {
  const queue = new JobQueue(db.store, { ...options, leaseSeconds: 1 });
  let runs = 0;
  const slow: JobHandler = {
    run: async () => {
      runs++;
      await sleep(3000);
      return 'booked';
    },
  };
  startWorker(queue, slow);
  const { job: queued } = await queue.enqueue(job('long'));
  await eventually(() => runs === 1);
  startWorker(queue, slow); // a second worker looking for lapsed leases the whole time
  await eventually(async () => (await queue.get(queued.id))?.status === 'done');
  expect(runs).toBe(1);
  expect(await queue.get(queued.id)).toMatchObject({ attempts: 1, outcome: 'booked' });
}, 15_000);

test('a worker that loses the lease says so once and does not record its result', async () => {
  const queue = new JobQueue(db.store, { ...options, leaseSeconds: 1 });
  const { log, lines } = recordingLogger();
  const results: string[] = [];
  let started = false;
  startWorker(
    queue,
    {
      run: async () => {
        started = true;
        await sleep(1500);
        throw new Error('too late');
      },
    },
    { log, onAttempt: (_job, result) => results.push(result) },
  );
  const { job: queued } = await queue.enqueue(job('stolen'));
  await eventually(() => started);
  // Another worker has it now (as after a lapse of the lease).
  await db.store.query(`UPDATE jobs SET locked_by = 'thief', lease_until = now() + interval '1 hour' WHERE id = $1`, [
    queued.id,
  ]);
  await eventually(() => results.length > 0);
  expect(results).toEqual(['lost']);
  expect(await queue.get(queued.id)).toMatchObject({ status: 'running', lockedBy: 'thief', lastError: null });
  expect(lines.filter((l) => l.msg.includes('lost the lease'))).toHaveLength(1);
});

test('the worker never runs more jobs at once than its concurrency', async () => {
  const queue = new JobQueue(db.store, options);
  let running = 0;
  let most = 0;
  startWorker(
    queue,
    {
      run: async () => {
        most = Math.max(most, ++running);
        await sleep(200);
        running--;
        return 'booked';
      },
    },
    { concurrency: 3 },
  );
  await queue.enqueueMany(Array.from({ length: 4 }, (_, i) => job(`cap-${i}`)));
  await eventually(async () => (await queue.depth()).done === 4);
  expect(most).toBe(3);
});

test('stop() waits for the jobs in flight', async () => {
  const queue = new JobQueue(db.store, options);
  let started = false;
  let finished = false;
  const worker = startWorker(queue, {
    run: async () => {
      started = true;
      await sleep(500);
      finished = true;
      return 'booked';
    },
  });
  const { job: queued } = await queue.enqueue(job('in-flight'));
  await eventually(() => started);
  await worker.stop();
  expect(finished).toBe(true);
  expect(await queue.get(queued.id)).toMatchObject({ status: 'done', outcome: 'booked' });
});

test('a manual retry asked while the job runs makes it run again with the new payload', async () => {
  const queue = new JobQueue(db.store, options);
  const payloads: Array<Record<string, unknown>> = [];
  startWorker(queue, {
    run: async (running) => {
      payloads.push(running.payload);
      await sleep(300);
      return running.payload.customerResolution === 'create' ? 'booked' : 'failed';
    },
  });
  const { job: queued } = await queue.enqueue(job('retry-me', { customerResolution: 'auto' }));
  await eventually(() => payloads.length === 1);
  await queue.enqueue({ ...job('retry-me', { customerResolution: 'create' }), trigger: 'manual' }, true);
  await eventually(async () => (await queue.get(queued.id))?.outcome === 'booked');
  expect(payloads).toEqual([{ customerResolution: 'auto' }, { customerResolution: 'create' }]);
  expect(await queue.get(queued.id)).toMatchObject({ status: 'done', trigger: 'manual', attempts: 1 });
});
