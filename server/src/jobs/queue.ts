/**
 * A durable job queue in the store.
 *
 * - One row per idempotency key, ever: enqueueing a key that exists changes nothing (duplicate
 *   events, polls) unless a person asks to run it again (manual retry), or the job ended with an
 *   outcome the caller says was not final (e.g. the deal was not won yet when the event came).
 * - Claimed with `FOR UPDATE SKIP LOCKED` and a lease: several workers (processes, instances on
 *   one PostgreSQL) never take the same job, and a crashed worker's job comes back when its lease
 *   runs out. Completion is fenced on the holder and the attempt, so a worker that lost its lease
 *   cannot overwrite the newer attempt's result — even when the newer attempt is its own (a worker
 *   that lost the store for longer than a lease re-claims the job it is still running).
 * - Failures are retried with exponential backoff and jitter; after the last attempt the job is a
 *   dead letter that can be listed and replayed.
 * Every time comes from the database's clock, so instances with skewed clocks agree.
 */
import { EventEmitter } from 'node:events';
import type { Sql } from '../store/db';

export type JobStatus = 'queued' | 'running' | 'done' | 'dead';
export type JobTrigger = 'event' | 'poll' | 'manual' | 'replay';

export interface Job {
  id: number;
  kind: string;
  key: string;
  payload: Record<string, unknown>;
  status: JobStatus;
  trigger: JobTrigger;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  lockedBy: string | null;
  leaseUntil: Date | null;
  outcome: string | null;
  lastError: string | null;
  lastErrorClass: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  /** A person asked for a re-run while this job was running: it starts over when the attempt ends. */
  rerunRequested: boolean;
}

export interface NewJob {
  kind: string;
  key: string;
  payload: Record<string, unknown>;
  trigger: JobTrigger;
}

export interface QueueOptions {
  leaseSeconds: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Injected for deterministic tests; defaults to Math.random. */
  random?: () => number;
}

interface JobRow {
  id: number;
  kind: string;
  key: string;
  payload: Record<string, unknown>;
  status: JobStatus;
  trigger: JobTrigger;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  locked_by: string | null;
  lease_until: Date | null;
  outcome: string | null;
  last_error: string | null;
  last_error_class: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
  rerun_requested: boolean;
  [column: string]: unknown;
}

function toJob(r: JobRow): Job {
  return {
    id: r.id,
    kind: r.kind,
    key: r.key,
    payload: r.payload,
    status: r.status,
    trigger: r.trigger,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: r.run_at,
    lockedBy: r.locked_by,
    leaseUntil: r.lease_until,
    outcome: r.outcome,
    lastError: r.last_error,
    lastErrorClass: r.last_error_class,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
    rerunRequested: r.rerun_requested,
  };
}

/** SET clause of a job starting over: queued, due now, fresh attempts, no result yet. */
const START_OVER = `status = 'queued', attempts = 0, run_at = now(), outcome = NULL, last_error = NULL,
  last_error_class = NULL, finished_at = NULL, locked_by = NULL, lease_until = NULL, rerun_requested = false,
  updated_at = now()`;

/** Why a job whose worker vanished during its last allowed attempt is a dead letter (class, words). */
export const WORKER_LOST = 'WORKER_LOST';
export const WORKER_LOST_MESSAGE = 'The worker stopped (crashed or was killed) during the last allowed attempt';

/** "Equal jitter": half the exponential delay fixed, half random — spreads retries, keeps a floor. */
export function backoffDelayMs(attempt: number, opts: QueueOptions, retryAfterMs = 0): number {
  const exponential = Math.min(opts.backoffMaxMs, opts.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + ((opts.random ?? Math.random)() * exponential) / 2;
  return Math.round(Math.max(jittered, retryAfterMs));
}

export class JobQueue {
  /** Emits 'enqueued' so a worker in this process wakes at once instead of at its next poll. */
  readonly events = new EventEmitter();

  constructor(
    private readonly sql: Sql,
    readonly options: QueueOptions,
  ) {}

  /**
   * Adds a job unless its key exists. With `manual` (a person asked), an existing job runs again
   * with this trigger and payload: at once with fresh attempts if it is done, dead or waiting out
   * a backoff; right after the current attempt if it is running (see `complete` and `fail`).
   */
  async enqueue(job: NewJob, manual = false): Promise<{ job: Job; created: boolean }> {
    const inserted = await this.sql.query<JobRow>(
      `INSERT INTO jobs (kind, key, payload, status, trigger, max_attempts)
       VALUES ($1, $2, $3, 'queued', $4, $5)
       ON CONFLICT (key) DO NOTHING RETURNING *`,
      [job.kind, job.key, JSON.stringify(job.payload), job.trigger, this.options.maxAttempts],
    );
    if (inserted[0]) {
      this.events.emit('enqueued');
      return { job: toJob(inserted[0]), created: true };
    }
    if (manual) {
      const rerun = await this.rerun(job.key, job.trigger, job.payload);
      if (rerun) return { job: rerun, created: false };
    }
    const existing = await this.getByKey(job.key);
    if (!existing) throw new Error(`job ${job.key} vanished while enqueueing`);
    return { job: existing, created: false };
  }

  /**
   * Enqueues many jobs in one statement; returns the keys that were inserted or re-queued. An
   * existing key is left alone, except a done job whose outcome is in `rerunOutcomes`: that
   * outcome was not final (e.g. the deal was not won yet), so it starts over now with the new
   * trigger and payload.
   */
  async enqueueMany(jobs: NewJob[], options: { rerunOutcomes?: string[] } = {}): Promise<string[]> {
    const unique = uniqueByKey(jobs);
    if (unique.length === 0) return [];
    const rows = await this.sql.query<{ key: string }>(
      `WITH incoming AS (
         SELECT kind, key, payload::jsonb AS payload, trigger
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(kind, key, payload, trigger)
       ), inserted AS (
         INSERT INTO jobs (kind, key, payload, status, trigger, max_attempts)
         SELECT kind, key, payload, 'queued', trigger, $5 FROM incoming
         ON CONFLICT (key) DO NOTHING RETURNING key
       ), rerun AS (
         UPDATE jobs SET ${START_OVER}, trigger = incoming.trigger, payload = incoming.payload
           FROM incoming
          WHERE jobs.key = incoming.key AND jobs.status = 'done' AND jobs.outcome = ANY($6::text[])
         RETURNING jobs.key
       )
       SELECT key FROM inserted UNION ALL SELECT key FROM rerun`,
      [
        unique.map((j) => j.kind),
        unique.map((j) => j.key),
        unique.map((j) => JSON.stringify(j.payload)),
        unique.map((j) => j.trigger),
        this.options.maxAttempts,
        options.rerunOutcomes ?? [],
      ],
    );
    if (rows.length > 0) this.events.emit('enqueued');
    return rows.map((r) => r.key);
  }

  /**
   * A person's re-run. Not running: starts over now. Running: the request and its payload are
   * recorded, and the job starts over when the attempt ends. Two statements, so the job can move
   * on between them (claimed, finished); then we try again.
   */
  private async rerun(key: string, trigger: JobTrigger, payload: Record<string, unknown>): Promise<Job | null> {
    const params = [key, trigger, JSON.stringify(payload)];
    for (let tries = 0; tries < 3; tries++) {
      const [restarted] = await this.sql.query<JobRow>(
        `UPDATE jobs SET ${START_OVER}, trigger = $2, payload = $3
          WHERE key = $1 AND status <> 'running' RETURNING *`,
        params,
      );
      if (restarted) {
        this.events.emit('enqueued');
        return toJob(restarted);
      }
      const [flagged] = await this.sql.query<JobRow>(
        `UPDATE jobs SET rerun_requested = true, trigger = $2, payload = $3, updated_at = now()
          WHERE key = $1 AND status = 'running' RETURNING *`,
        params,
      );
      if (flagged) return toJob(flagged);
    }
    return null;
  }

  /**
   * Takes up to `limit` runnable jobs for `workerId`: queued ones that are due, and running ones
   * whose worker let the lease lapse (it crashed). Attempts are counted here, at the claim, so a
   * job that kills its worker every time still runs out of attempts: a lapsed job that has had
   * them all is never taken again, even if `buryAbandoned` has not buried it yet.
   */
  async claim(workerId: string, limit: number): Promise<Job[]> {
    const rows = await this.sql.query<JobRow>(
      `UPDATE jobs SET status = 'running', locked_by = $1, attempts = attempts + 1,
              lease_until = now() + make_interval(secs => $2), updated_at = now()
        WHERE id IN (
          SELECT id FROM jobs
           WHERE (status = 'queued' AND run_at <= now())
              OR (status = 'running' AND lease_until < now() AND attempts < max_attempts)
           ORDER BY run_at, id
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [workerId, this.options.leaseSeconds, limit],
    );
    return rows.map(toJob).sort((a, b) => a.id - b.id);
  }

  /**
   * A job whose worker died during its last allowed attempt becomes a dead letter. Returns the jobs
   * it buried (each exactly once, even with several workers), so their dead-letter notice is sent.
   */
  async buryAbandoned(): Promise<Job[]> {
    const rows = await this.sql.query<JobRow>(
      `UPDATE jobs SET status = 'dead', locked_by = NULL, lease_until = NULL, rerun_requested = false,
              updated_at = now(), finished_at = now(), last_error_class = $1, last_error = $2
        WHERE status = 'running' AND lease_until < now() AND attempts >= max_attempts RETURNING *`,
      [WORKER_LOST, WORKER_LOST_MESSAGE],
    );
    return rows.map(toJob);
  }

  /** Keeps the lease of a job still being worked on. False when the lease was lost. */
  async extendLease(job: Job, workerId: string): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE jobs SET lease_until = now() + make_interval(secs => $3), updated_at = now()
        WHERE id = $1 AND locked_by = $2 AND attempts = $4 AND status = 'running' RETURNING id`,
      [job.id, workerId, this.options.leaseSeconds, job.attempts],
    );
    return rows.length > 0;
  }

  /**
   * Marks the job done with its outcome; false if this worker no longer holds it. If a person
   * asked for a re-run during this attempt, the job starts over instead (one statement, so a
   * request arriving now is either seen here or finds the job finished and restarts it itself).
   */
  async complete(job: Job, workerId: string, outcome: string): Promise<boolean> {
    const [row] = await this.sql.query<{ status: JobStatus }>(
      `UPDATE jobs SET
              status      = CASE WHEN rerun_requested THEN 'queued' ELSE 'done' END,
              outcome     = CASE WHEN rerun_requested THEN NULL ELSE $3::text END,
              finished_at = CASE WHEN rerun_requested THEN NULL ELSE now() END,
              attempts    = CASE WHEN rerun_requested THEN 0 ELSE attempts END,
              run_at      = CASE WHEN rerun_requested THEN now() ELSE run_at END,
              rerun_requested = false, locked_by = NULL, lease_until = NULL,
              last_error = NULL, last_error_class = NULL, updated_at = now()
        WHERE id = $1 AND locked_by = $2 AND attempts = $4 AND status = 'running' RETURNING status`,
      [job.id, workerId, outcome, job.attempts],
    );
    if (row?.status === 'queued') this.events.emit('enqueued');
    return row !== undefined;
  }

  /**
   * Records a failed attempt: schedules the next one with backoff, or buries the job as a dead
   * letter when it has had its attempts. A re-run asked for during the attempt starts the job
   * over now instead. Returns what happened ('lost': no longer ours).
   */
  async fail(
    job: Job,
    workerId: string,
    error: { message: string; errorClass: string; retryAfterMs?: number },
  ): Promise<'retry' | 'dead' | 'lost'> {
    const dead = job.attempts >= job.maxAttempts;
    const delayMs = dead ? 0 : backoffDelayMs(job.attempts, this.options, error.retryAfterMs);
    const [row] = await this.sql.query<{ status: JobStatus }>(
      `UPDATE jobs SET
              status      = CASE WHEN rerun_requested THEN 'queued' ELSE $3::text END,
              attempts    = CASE WHEN rerun_requested THEN 0 ELSE attempts END,
              run_at      = CASE WHEN rerun_requested THEN now() ELSE now() + make_interval(secs => $4) END,
              finished_at = CASE WHEN $3::text = 'dead' AND NOT rerun_requested THEN now() END,
              rerun_requested = false, locked_by = NULL, lease_until = NULL,
              last_error = $5, last_error_class = $6, updated_at = now()
        WHERE id = $1 AND locked_by = $2 AND attempts = $7 AND status = 'running' RETURNING status`,
      [job.id, workerId, dead ? 'dead' : 'queued', delayMs / 1000, error.message, error.errorClass, job.attempts],
    );
    if (!row) return 'lost';
    return row.status === 'dead' ? 'dead' : 'retry';
  }

  async get(id: number): Promise<Job | null> {
    const rows = await this.sql.query<JobRow>('SELECT * FROM jobs WHERE id = $1', [id]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  async getByKey(key: string): Promise<Job | null> {
    const rows = await this.sql.query<JobRow>('SELECT * FROM jobs WHERE key = $1', [key]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  async deadLetters(limit = 100, offset = 0): Promise<{ total: number; items: Job[] }> {
    const [count] = await this.sql.query<{ n: number }>(`SELECT count(*) AS n FROM jobs WHERE status = 'dead'`);
    const rows = await this.sql.query<JobRow>(
      `SELECT * FROM jobs WHERE status = 'dead' ORDER BY updated_at DESC, id DESC LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    return { total: count?.n ?? 0, items: rows.map(toJob) };
  }

  /** Puts a dead letter back in the queue with fresh attempts; null if `id` is not a dead letter. */
  async replay(id: number): Promise<Job | null> {
    const rows = await this.sql.query<JobRow>(
      `UPDATE jobs SET ${START_OVER}, trigger = 'replay' WHERE id = $1 AND status = 'dead' RETURNING *`,
      [id],
    );
    if (!rows[0]) return null;
    this.events.emit('enqueued');
    return toJob(rows[0]);
  }

  /** Jobs by status, plus how many queued ones are already due (the queue depth). */
  async depth(): Promise<Record<JobStatus, number> & { due: number }> {
    const rows = await this.sql.query<{ status: JobStatus; n: number; due: number }>(
      `SELECT status, count(*) AS n, count(*) FILTER (WHERE run_at <= now()) AS due FROM jobs GROUP BY status`,
    );
    const depth = { queued: 0, running: 0, done: 0, dead: 0, due: 0 };
    for (const r of rows) {
      depth[r.status] = r.n;
      if (r.status === 'queued') depth.due = r.due;
    }
    return depth;
  }
}

/** The first job of each key: one statement cannot insert or update the same row twice. */
function uniqueByKey(jobs: NewJob[]): NewJob[] {
  const byKey = new Map<string, NewJob>();
  for (const job of jobs) if (!byKey.has(job.key)) byKey.set(job.key, job);
  return [...byKey.values()];
}
