/**
 * Per-account summaries kept in the read model: recomputed by the sweep for the accounts it
 * touched (and for all of them once a day, since aging moves with the calendar), read by the
 * pulse with one primary-key lookup. `computed_for` is the day the aging buckets refer to.
 */
export default `
CREATE TABLE account_summaries (
  account_id        text PRIMARY KEY,
  erp_customer_id   text NOT NULL,
  currency          text NOT NULL,
  outstanding       numeric NOT NULL,
  current           numeric NOT NULL,
  d1_30             numeric NOT NULL,
  d31_60            numeric NOT NULL,
  d61_90            numeric NOT NULL,
  over_90           numeric NOT NULL,
  sales_window      numeric NOT NULL,
  credit_limit      numeric,
  credit_currency   text,
  credit_hold       boolean,
  last_payment      date,
  other_currencies  jsonb,
  invoice_count     integer NOT NULL,
  payment_count     integer NOT NULL,
  computed_for      date NOT NULL,
  computed_at       timestamptz NOT NULL DEFAULT now()
);
`;
