/**
 * Prometheus metrics (prom-client), served at GET /metrics. One registry per Closeloop instance so
 * tests can start several side by side.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly syncRuns = new Counter({
    name: 'closeloop_sync_runs_total',
    help: 'Sync runs by kind (bookings poll, financial sweep) and result',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });
  readonly recordsPulled = new Counter({
    name: 'closeloop_records_pulled_total',
    help: 'ERP records pulled into the read model, by feed',
    labelNames: ['feed'] as const,
    registers: [this.registry],
  });
  readonly recordsPushed = new Counter({
    name: 'closeloop_records_pushed_total',
    help: 'Salesforce records written by the financial sweep, by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'closeloop_errors_total',
    help: 'Failures by class (e.g. ERP_UNAVAILABLE, SALESFORCE_LIMIT) and where they happened',
    labelNames: ['class', 'where'] as const,
    registers: [this.registry],
  });
  readonly jobAttempts = new Counter({
    name: 'closeloop_job_attempts_total',
    help: 'Job attempts by kind and result (done, retry, dead, lost)',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });
  readonly orderToInvoice = new Histogram({
    name: 'closeloop_order_to_invoice_seconds',
    help: 'From the Closed-Won event (the job queued) to the posted invoice confirmed on the opportunity',
    buckets: [0.5, 1, 2, 3, 5, 10, 30, 60, 300, 1800],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'closeloop_queue_depth',
    help: 'Jobs by status (queued includes those waiting for a retry)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly freshnessLag = new Gauge({
    name: 'closeloop_freshness_lag_seconds',
    help: 'Seconds since the read model last heard from the ERP (last successful financial sweep)',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'closeloop_' });
  }
}
