/**
 * Runs queued jobs: claims up to `concurrency` at a time, keeps their leases alive while they
 * run, and records each outcome. A handler returns an outcome word for a finished job (business
 * failures included — those are outcomes, not errors) and throws for anything worth retrying.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { errorClass, errorMessage, TransientError } from '../errors';
import type { Logger } from '../log';
import type { Job, JobQueue } from './queue';

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
    const { queue, concurrency, log } = this.options;
    while (this.running) {
      let claimed: Job[] = [];
      const free = concurrency - this.inFlight.size;
      if (free > 0) {
        try {
          claimed = await queue.claim(this.id, free);
        } catch (e) {
          log.warn({ err: errorMessage(e) }, 'could not claim jobs; will try again');
        }
      }
      for (const job of claimed) this.track(this.execute(job));
      if (claimed.length === 0 || this.inFlight.size >= concurrency) await this.idle();
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
    const { queue, log } = this.options;
    const started = Date.now();
    const heartbeat = setInterval(
      () => {
        void queue.extendLease(job, this.id).catch(() => undefined);
      },
      (queue.options.leaseSeconds * 1000) / 3,
    );
    try {
      const handler = this.options.handlers[job.kind];
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      const outcome = await handler.run(job);
      clearInterval(heartbeat);
      const held = await queue.complete(job, this.id, outcome);
      this.options.onAttempt?.(job, held ? 'done' : 'lost', Date.now() - started);
      log.info({ job: job.id, key: job.key, outcome, ms: Date.now() - started }, 'job finished');
    } catch (error) {
      clearInterval(heartbeat);
      await this.recordFailure(job, error, started);
    }
  }

  private async recordFailure(job: Job, error: unknown, started: number): Promise<void> {
    const { queue, log } = this.options;
    const result = await queue
      .fail(job, this.id, {
        message: errorMessage(error),
        errorClass: errorClass(error),
        retryAfterMs: error instanceof TransientError ? error.retryAfterMs : undefined,
      })
      .catch((e: unknown) => {
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
      await this.options.handlers[job.kind]?.onDeadLetter?.(job, error).catch((e: unknown) => {
        log.warn({ job: job.id, err: errorMessage(e) }, 'could not report the dead letter on the record');
      });
    } else {
      log.warn(entry, 'job attempt failed; will retry');
    }
  }
}
