/**
 * Runs queued jobs: claims up to `concurrency` at a time, keeps their leases alive while they
 * run, and records each outcome. A handler returns an outcome word for a finished job (business
 * failures included — those are outcomes, not errors) and throws for anything worth retrying.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { errorClass, errorMessage, TransientError } from '../errors';
import type { Logger } from '../log';
import { WORKER_LOST, WORKER_LOST_MESSAGE, type Job, type JobQueue } from './queue';

export interface JobHandler {
  run(job: Job): Promise<string>;
  /** Called once when the job becomes a dead letter, e.g. to show the failure on the record. */
  onDeadLetter?(job: Job, error: unknown): Promise<void>;
}

export interface WorkerOptions {
  queue: JobQueue;
  handlers: Record<string, JobHandler>;
  concurrency: number;
  log: Logger;
  /** How often to look for due jobs when nothing woke the worker (ms). */
  pollMs?: number;
  workerId?: string;
  /** Notified after every attempt (metrics). */
  onAttempt?: (job: Job, result: 'done' | 'retry' | 'dead' | 'lost', ms: number, error?: unknown) => void;
}

export class Worker {
  readonly id: string;
  private running = false;
  private readonly inFlight = new Set<Promise<void>>();
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private readonly onEnqueued = () => this.wake();

  constructor(private readonly options: WorkerOptions) {
    this.id = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.options.queue.events.on('enqueued', this.onEnqueued);
    this.loop = this.run();
  }

  /** Stops claiming, and waits for the jobs in flight to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.options.queue.events.off('enqueued', this.onEnqueued);
    this.wake();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    const { concurrency } = this.options;
    while (this.running) {
      if (this.inFlight.size < concurrency) await this.buryAbandoned();
      const free = concurrency - this.inFlight.size;
      const claimed = free > 0 ? await this.claim(free) : [];
      for (const job of claimed) this.track(this.execute(job));
      if (claimed.length === 0 || this.inFlight.size >= concurrency) await this.idle();
    }
  }

  private async claim(limit: number): Promise<Job[]> {
    const { queue, log } = this.options;
    return queue.claim(this.id, limit).catch((e: unknown) => {
      log.warn({ err: errorMessage(e) }, 'could not claim jobs; will try again');
      return [];
    });
  }

  /**
   * Jobs whose worker died during their last attempt become dead letters here, before each claim,
   * and get the same notice as any other dead letter (whichever worker buries one sends it).
   */
  private async buryAbandoned(): Promise<void> {
    const { queue, log } = this.options;
    const buried = await queue.buryAbandoned().catch((e: unknown) => {
      log.warn({ err: errorMessage(e) }, 'could not bury abandoned jobs; will try again');
      return [];
    });
    for (const job of buried) {
      log.error({ job: job.id, key: job.key, attempt: job.attempts }, WORKER_LOST_MESSAGE);
      // Classed like the dead letter (errorClass → WORKER_LOST), so the notice can say what happened.
      this.track(this.notifyDeadLetter(job, new TransientError(WORKER_LOST, WORKER_LOST_MESSAGE)));
    }
  }

  /** Waits for a wake-up (new job, a job finished) or the poll interval. */
  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollMs ?? 500);
      this.wakeUp = done;
    });
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => {
      this.inFlight.delete(p);
      this.wake();
    });
  }

  private async execute(job: Job): Promise<void> {
    const started = Date.now();
    const lease = this.keepLease(job);
    let outcome: string;
    try {
      const handler = this.options.handlers[job.kind];
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      outcome = await handler.run(job);
    } catch (error) {
      lease.stop();
      await this.recordFailure(job, error, lease.lost(), started);
      return;
    }
    lease.stop();
    await this.recordOutcome(job, outcome, lease.lost(), started);
  }

  /**
   * Extends the job's lease every third of it while the job runs. If the lease is lost (it
   * lapsed and another worker took the job), says so once and stops: the result of this attempt
   * is then not recorded, since the job is no longer ours.
   */
  private keepLease(job: Job): { stop(): void; lost(): boolean } {
    const { queue, log } = this.options;
    let lost = false;
    let stopped = false; // a beat still in flight when the job ends must not report a loss
    const heartbeat = setInterval(
      () => {
        void queue.extendLease(job, this.id).then(
          (held) => {
            if (held || lost || stopped) return;
            lost = true;
            clearInterval(heartbeat);
            log.warn({ job: job.id, key: job.key }, 'lost the lease on a running job; its result will not be recorded');
          },
          () => undefined, // the store is failing: try again at the next beat
        );
      },
      (queue.options.leaseSeconds * 1000) / 3,
    );
    const stop = () => {
      stopped = true;
      clearInterval(heartbeat);
    };
    return { stop, lost: () => lost };
  }

  private async recordOutcome(job: Job, outcome: string, leaseLost: boolean, started: number): Promise<void> {
    const { queue, log } = this.options;
    const held =
      !leaseLost &&
      (await queue.complete(job, this.id, outcome).catch((e: unknown) => {
        // The store itself is failing: the lease will lapse and the job runs again (idempotently).
        log.error({ job: job.id, err: errorMessage(e) }, 'could not record a finished job');
        return false;
      }));
    this.options.onAttempt?.(job, held ? 'done' : 'lost', Date.now() - started);
    log.info({ job: job.id, key: job.key, outcome, ms: Date.now() - started }, 'job finished');
  }

  private async recordFailure(job: Job, error: unknown, leaseLost: boolean, started: number): Promise<void> {
    const { queue, log } = this.options;
    const failure = {
      message: errorMessage(error),
      errorClass: errorClass(error),
      retryAfterMs: error instanceof TransientError ? error.retryAfterMs : undefined,
    };
    const result = leaseLost
      ? 'lost'
      : await queue.fail(job, this.id, failure).catch((e: unknown) => {
          // The store itself is failing: the lease will lapse and the job comes back.
          log.error({ job: job.id, err: errorMessage(e) }, 'could not record a failed attempt');
          return 'lost' as const;
        });
    this.options.onAttempt?.(job, result, Date.now() - started, error);
    const entry = {
      job: job.id,
      key: job.key,
      attempt: job.attempts,
      errorClass: errorClass(error),
      err: errorMessage(error),
    };
    if (result === 'dead') {
      log.error(entry, 'job failed for the last time: now a dead letter');
      await this.notifyDeadLetter(job, error);
    } else {
      log.warn(
        entry,
        result === 'lost' ? 'job attempt failed after its lease was lost' : 'job attempt failed; will retry',
      );
    }
  }

  private async notifyDeadLetter(job: Job, error: unknown): Promise<void> {
    await this.options.handlers[job.kind]?.onDeadLetter?.(job, error).catch((e: unknown) => {
      this.options.log.warn({ job: job.id, err: errorMessage(e) }, 'could not report the dead letter on the record');
    });
  }
}
