/**
 * The composition root: builds every part from the configuration and starts it. `main.ts` (the
 * product), the demo and the tests all start Closeloop through here, so they run the same thing.
 */
import type { RequestHandler } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { ScheduledTask } from 'node-cron';
import { bookingJobHandler, BOOK_JOB } from './booking/bookingJobs';
import { bookingsSince, pollBookings } from './booking/poll';
import type { Config, HttpLimits } from './config';
import type { ErpConnector } from './erp/connector';
import { createErpConnector } from './erp';
import { errorClass } from './errors';
import { setBusinessTimeZone } from './financials/invoiceStatus';
import { relinkJobHandler, RELINK_JOB } from './financials/relink';
import { sweepFinancials, type SweepResult } from './financials/sweep';
import { syncOpportunities, type OpportunitySyncResult } from './forecast/sync';
import { lastPulledAt } from './financials/pulse';
import { createApp } from './http/app';
import { hardenServer } from './http/hardening';
import { JobQueue } from './jobs/queue';
import { Worker } from './jobs/worker';
import type { Logger } from './log';
import { Metrics } from './metrics';
import { Salesforce } from './salesforce/salesforce';
import { scheduleSweep } from './schedule';
import type { Store } from './store/db';
import { openStore } from './store/open';
import { VERSION } from './version';

export interface Closeloop {
  /** Where the HTTP API listens, e.g. http://127.0.0.1:3000. */
  url: string;
  store: Store;
  erp: ErpConnector;
  salesforce: Salesforce;
  queue: JobQueue;
  worker: Worker;
  metrics: Metrics;
  /** Runs the bookings safety-net poll now. */
  pollBookings(): Promise<{ found: number; enqueued: number }>;
  /** Runs a financial sweep now. */
  sweepFinancials(): Promise<SweepResult>;
  /** Reads the opportunities changed in Salesforce now (the forecast's data). */
  syncOpportunities(): Promise<OpportunitySyncResult>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Use this store instead of opening the configured one (the caller closes it). */
  store?: Store;
  /** Use this ERP instead of building the configured one (the caller closes it). */
  erp?: ErpConnector;
  /** Start the worker (default true). */
  worker?: boolean;
  /** Start the cron schedules (default true). */
  schedules?: boolean;
  /** Demo only: the local preview's pages and scenario API, served at /preview. */
  preview?: RequestHandler;
}

export async function startCloseloop(config: Config, log: Logger, options: StartOptions = {}): Promise<Closeloop> {
  setBusinessTimeZone(config.businessTimeZone);
  const store = options.store ?? (await openStore(config.store));
  const erp = options.erp ?? createErpConnector(config.erp, store);
  const salesforce = new Salesforce(config.salesforce);
  const queue = new JobQueue(store, config.jobs);
  const metrics = new Metrics();
  const worker = new Worker({
    queue,
    concurrency: config.jobs.concurrency,
    log,
    handlers: {
      [BOOK_JOB]: bookingJobHandler({ sql: store, erp, salesforce, log }),
      [RELINK_JOB]: relinkJobHandler({ store, salesforce }),
    },
    onAttempt: (job, result, _ms, error) => {
      metrics.jobAttempts.inc({ kind: job.kind, result });
      if (error !== undefined) metrics.errors.inc({ class: errorClass(error), where: job.kind });
      if (result === 'done' && job.trigger !== 'manual' && job.trigger !== 'replay') {
        metrics.orderToInvoice.observe((Date.now() - job.createdAt.getTime()) / 1000);
      }
    },
  });
  const since = await bookingsSince(store, config.bookingsSince);
  const poll = () =>
    measured(metrics, 'bookings', () =>
      pollBookings({ sql: store, queue, since, findOpportunitiesToBook: (d) => salesforce.findOpportunitiesToBook(d) }),
    );
  const sweep = (trigger: 'schedule' | 'manual') =>
    measured(metrics, 'financials', async () => {
      const result = await sweepFinancials({ store, erp, salesforce, log }, trigger);
      if (result.status === 'done') {
        for (const [feed, n] of Object.entries(result.pulled)) metrics.recordsPulled.inc({ feed }, n);
        metrics.recordsPushed.inc({ result: 'accepted' }, result.push.sent - result.push.rejected);
        metrics.recordsPushed.inc({ result: 'rejected' }, result.push.rejected);
      }
      return result;
    });
  const syncPipeline = (trigger: 'schedule' | 'manual') =>
    measured(metrics, 'opportunities', () => syncOpportunities(store, salesforce, trigger));

  const app = createApp({
    store,
    queue,
    apiTokens: config.http.apiTokens,
    log,
    version: VERSION,
    metrics,
    pulse: { store, erp, defaultCurrency: async () => (await salesforce.orgInfo()).defaultCurrency },
    backfill: { store, erp, salesforce },
    async refreshGauges() {
      const depth = await queue.depth();
      for (const status of ['queued', 'running', 'done', 'dead'] as const)
        metrics.queueDepth.set({ status }, depth[status]);
      const last = await lastPulledAt(store);
      metrics.freshnessLag.set(last ? (Date.now() - Date.parse(last)) / 1000 : -1);
    },
    readiness: {
      store: async () => void (await store.query('SELECT 1')),
      erp: () => erp.ping(),
      salesforce: () => salesforce.ping(),
    },
    preview: options.preview,
    limits: config.httpLimits,
    status: {
      sweepFinancials: () => sweep('manual'),
      syncOpportunities: () => syncPipeline('manual'),
      erpKind: erp.kind,
      bookingsSince: since,
      schedules: config.schedules,
      salesforceApiUsage: () => salesforce.apiUsage(),
    },
  });
  const server = await listen(app, config.http.host, config.http.port, config.httpLimits);
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  if (options.worker !== false) worker.start();
  const tasks: ScheduledTask[] = [];
  if (options.schedules !== false) {
    tasks.push(scheduleSweep(store, log, 'bookings', config.schedules.bookings, poll));
    tasks.push(scheduleSweep(store, log, 'financials', config.schedules.financials, () => sweep('schedule')));
    tasks.push(
      scheduleSweep(store, log, 'opportunities', config.schedules.opportunities, () => syncPipeline('schedule')),
    );
  }
  log.info({ url, erp: erp.kind, store: store.kind, bookingsSince: since }, 'Closeloop is listening');

  return {
    url,
    store,
    erp,
    salesforce,
    queue,
    worker,
    metrics,
    pollBookings: poll,
    sweepFinancials: () => sweep('manual'),
    syncOpportunities: () => syncPipeline('manual'),
    async close() {
      for (const t of tasks) await t.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await worker.stop();
      if (!options.erp) await erp.close();
      if (!options.store) await store.close();
    },
  };
}

/** Counts a sync run by result, and its failure by class. */
async function measured<T>(metrics: Metrics, kind: string, run: () => Promise<T>): Promise<T> {
  try {
    const result = await run();
    metrics.syncRuns.inc({ kind, result: 'ok' });
    return result;
  } catch (e) {
    metrics.syncRuns.inc({ kind, result: 'error' });
    metrics.errors.inc({ class: errorClass(e), where: kind });
    throw e;
  }
}

function listen(app: ReturnType<typeof createApp>, host: string, port: number, limits: HttpLimits): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
    hardenServer(server, limits); // slow clients must not hold sockets forever; unreadable requests get JSON
  });
}
