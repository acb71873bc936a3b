/**
 * Forecast vs actual: opportunities read from Salesforce (by SystemModstamp), what each won deal
 * was invoiced and paid (recomputed by the financial sweep for the deals it touches, and all of
 * them once a day because "overdue" moves with the calendar), and the org's conversion rates.
 */
export default `
CREATE TABLE sf_opportunities (
  id           text PRIMARY KEY,
  account_id   text,
  owner_id     text NOT NULL,
  owner_name   text,
  lead_source  text,
  amount       numeric,
  currency     text NOT NULL,
  probability  numeric,
  stage        text NOT NULL,
  close_date   date NOT NULL,
  is_won       boolean NOT NULL,
  is_closed    boolean NOT NULL,
  modified_at  timestamptz NOT NULL,
  synced_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sf_opportunities_close ON sf_opportunities (close_date);

CREATE TABLE opportunity_rollups (
  opportunity_id        text NOT NULL,
  currency              text NOT NULL,
  invoiced              numeric NOT NULL,
  paid                  numeric NOT NULL,
  open_amount           numeric NOT NULL,
  overdue               numeric NOT NULL,
  first_invoice_date    date,
  -- Invoices paid in full or past due; of those, paid in full by the due date.
  invoices_due          integer NOT NULL,
  invoices_paid_on_time integer NOT NULL,
  -- Invoices paid in full (with a known payment date) and their days from issue to payment.
  invoices_paid         integer NOT NULL,
  days_to_payment       integer NOT NULL,
  computed_for          date NOT NULL,
  PRIMARY KEY (opportunity_id, currency)
);

CREATE TABLE currency_rates (
  currency   text PRIMARY KEY,
  rate       numeric NOT NULL CHECK (rate > 0),
  corporate  boolean NOT NULL,
  synced_at  timestamptz NOT NULL DEFAULT now()
);
`;
