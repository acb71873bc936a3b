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
-- A deal's payments by invoice (the rollups), and payments the ERP removed (the pull).
CREATE INDEX erp_payments_invoice ON erp_payments (erp_invoice_id);

CREATE TABLE opportunity_rollups (
  opportunity_id        text NOT NULL,
  currency              text NOT NULL,
  invoiced              numeric NOT NULL,
  invoiced_untaxed      numeric NOT NULL,
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
  -- Σ amount × days outstanding (payments up to their date, open money up to computed_for), Σ amount.
  outstanding_amount_days numeric NOT NULL,
  outstanding_amount    numeric NOT NULL,
  computed_for          date NOT NULL,
  PRIMARY KEY (opportunity_id, currency)
);

-- The dashboard's cube: every figure summed per (month of close, owner, lead source, currency),
-- so a question over years reads thousands of rows, not 100k deals. Rebuilt month by month:
-- a change marks its months stale in the same transaction, and the rebuild clears the marks.
CREATE TABLE forecast_months (
  month                 date NOT NULL,
  owner_id              text NOT NULL,
  owner_name            text,
  lead_source           text,
  currency              text NOT NULL,
  open_deals            integer NOT NULL,
  won_deals             integer NOT NULL,
  lost_deals            integer NOT NULL,
  pipeline              numeric NOT NULL,
  weighted              numeric NOT NULL,
  booked                numeric NOT NULL,
  invoiced              numeric NOT NULL,
  invoiced_untaxed      numeric NOT NULL,
  paid                  numeric NOT NULL,
  open_amount           numeric NOT NULL,
  overdue               numeric NOT NULL,
  invoiced_deals        integer NOT NULL,
  close_to_invoice_days integer NOT NULL,
  invoices_due          integer NOT NULL,
  paid_on_time          integer NOT NULL,
  invoices_paid         integer NOT NULL,
  days_to_payment       integer NOT NULL,
  outstanding_amount_days numeric NOT NULL,
  outstanding_amount    numeric NOT NULL
);
CREATE INDEX forecast_months_month ON forecast_months (month);
-- Existing installs: recompute every account and deal on the first sweep, so the history's
-- invoicing is in the forecast at once, not from tomorrow.
DELETE FROM sync_cursors WHERE name = 'financials.recomputed_day';
CREATE TABLE forecast_stale_months (month date PRIMARY KEY);

CREATE TABLE currency_rates (
  currency   text PRIMARY KEY,
  rate       numeric NOT NULL CHECK (rate > 0),
  corporate  boolean NOT NULL,
  synced_at  timestamptz NOT NULL DEFAULT now()
);
`;
