/**
 * The financial read model (flow 2): what the ERP says about invoices, payments and credit, which
 * Salesforce account each ERP customer is, the feeds' cursors, and what was last written to
 * Salesforce for each record (so only changes are sent).
 */
export default `
CREATE TABLE erp_invoices (
  erp_id          text PRIMARY KEY,
  number          text,
  erp_customer_id text NOT NULL,
  erp_sale_id     text,
  -- The Opportunity Id when the sale was booked by Closeloop (the sale's reference).
  opportunity_id  text,
  state           text NOT NULL,
  currency        text NOT NULL,
  total           numeric NOT NULL,
  untaxed         numeric NOT NULL,
  open_amount     numeric NOT NULL,
  issue_date      date,
  due_date        date,
  pulled_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX erp_invoices_customer ON erp_invoices (erp_customer_id, issue_date DESC, erp_id DESC);
CREATE INDEX erp_invoices_opportunity ON erp_invoices (opportunity_id) WHERE opportunity_id IS NOT NULL;

CREATE TABLE erp_payments (
  erp_id          text PRIMARY KEY,
  erp_invoice_id  text NOT NULL,
  erp_customer_id text NOT NULL,
  currency        text NOT NULL,
  amount          numeric NOT NULL,
  paid_on         date NOT NULL,
  pulled_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX erp_payments_customer ON erp_payments (erp_customer_id, paid_on DESC, erp_id DESC);

CREATE TABLE erp_credit (
  erp_customer_id text PRIMARY KEY,
  credit_limit    numeric,
  currency        text,
  credit_hold     boolean NOT NULL,
  pulled_at       timestamptz NOT NULL DEFAULT now()
);

-- Which Salesforce account is which ERP customer (ERP_Customer_Id__c), and the account's currency.
CREATE TABLE account_links (
  account_id      text PRIMARY KEY,
  erp_customer_id text NOT NULL UNIQUE,
  currency        text NOT NULL,
  source          text NOT NULL,
  linked_at       timestamptz NOT NULL DEFAULT now()
);

-- When Salesforce was last asked which account an ERP customer is (found or not), so a customer
-- is looked up again only after it changes, and a sweep with nothing new makes no call.
CREATE TABLE link_checks (
  erp_customer_id text PRIMARY KEY,
  checked_at      timestamptz NOT NULL DEFAULT now()
);

-- What a sweep did (pulled, pushed, rejected), for /v1/sync/status.
ALTER TABLE sync_runs ADD COLUMN details jsonb;
CREATE INDEX sync_runs_succeeded ON sync_runs (kind, finished_at DESC) WHERE error IS NULL AND finished_at IS NOT NULL;

CREATE TABLE sync_cursors (
  name       text PRIMARY KEY,
  value      text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The field values Salesforce last accepted for a record, and a failed write waiting to be retried.
CREATE TABLE salesforce_pushes (
  object     text NOT NULL,
  record_id  text NOT NULL,
  accepted   jsonb,
  pushed_at  timestamptz,
  error      text,
  failures   integer NOT NULL DEFAULT 0,
  PRIMARY KEY (object, record_id)
);
CREATE INDEX salesforce_pushes_failed ON salesforce_pushes (object) WHERE error IS NOT NULL;
`;
