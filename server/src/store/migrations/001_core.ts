/** The backend's own tables: the job queue, the audit trail, bookings and customer matching. */
export default `
CREATE TABLE jobs (
  id              serial PRIMARY KEY,
  kind            text NOT NULL,
  -- The idempotency key: one job per key, ever (e.g. 'book:006...'). Duplicate events and
  -- polls find the existing row; a manual retry re-queues it.
  key             text NOT NULL UNIQUE,
  payload         jsonb NOT NULL DEFAULT '{}',
  status          text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'dead')),
  trigger         text NOT NULL CHECK (trigger IN ('event', 'poll', 'manual', 'replay')),
  attempts        integer NOT NULL DEFAULT 0,
  max_attempts    integer NOT NULL,
  run_at          timestamptz NOT NULL DEFAULT now(),
  locked_by       text,
  lease_until     timestamptz,
  outcome         text,
  last_error      text,
  last_error_class text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);
CREATE INDEX jobs_runnable ON jobs (run_at) WHERE status = 'queued';
CREATE INDEX jobs_leased ON jobs (lease_until) WHERE status = 'running';
CREATE INDEX jobs_dead ON jobs (updated_at) WHERE status = 'dead';

-- Every financial change and every booking step: what, before/after, why, who, when.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  entity_type text NOT NULL,
  entity_id   text NOT NULL,
  action      text NOT NULL,
  before      jsonb,
  after       jsonb,
  trigger     text NOT NULL,
  actor       text,
  job_id      integer
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, at);

-- The backend's record of each opportunity's booking (mirrors what it writes to Salesforce,
-- plus the immutable price snapshot the ERP sale was made from).
CREATE TABLE bookings (
  opportunity_id     text PRIMARY KEY,
  account_id         text NOT NULL,
  status             text NOT NULL CHECK (status IN ('Pending', 'Booked', 'Failed', 'Credit Hold')),
  erp_customer_id    text,
  erp_order_id       text,
  erp_invoice_id     text,
  erp_invoice_number text,
  currency           text,
  amount             numeric,
  snapshot           jsonb,
  error              text,
  error_code         text,
  booked_at          timestamptz,
  confirmed_in_salesforce_at timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Fuzzy matches between a Salesforce account and existing ERP customers, for a person to confirm.
CREATE TABLE customer_match_suggestions (
  account_id        text NOT NULL,
  erp_customer_id   text NOT NULL,
  erp_customer_name text NOT NULL,
  score             numeric(4, 3) NOT NULL,
  reason            text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, erp_customer_id)
);

-- Small durable facts about this installation (e.g. the date bookings start from).
CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per scheduled or manual sweep, for /v1/sync/status.
CREATE TABLE sync_runs (
  id          serial PRIMARY KEY,
  kind        text NOT NULL,
  trigger     text NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  found       integer,
  enqueued    integer,
  error       text
);
CREATE INDEX sync_runs_kind ON sync_runs (kind, started_at DESC);
`;
