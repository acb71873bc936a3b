/**
 * The sandbox ERP's change feeds (the financial pulse reads invoices, payments and customers'
 * credit "changed since"), and finance's explicit credit hold.
 */
export default `
ALTER TABLE sandbox_customers ADD COLUMN credit_hold boolean NOT NULL DEFAULT false;
ALTER TABLE sandbox_customers ADD COLUMN updated_at timestamptz NOT NULL DEFAULT clock_timestamp();
CREATE INDEX sandbox_customers_changes ON sandbox_customers (updated_at, id);
CREATE INDEX sandbox_invoices_changes ON sandbox_invoices (updated_at, id);
CREATE INDEX sandbox_invoices_customer ON sandbox_invoices (customer_id);
CREATE INDEX sandbox_payments_changes ON sandbox_payments (created_at, id);
CREATE INDEX sandbox_payments_invoice ON sandbox_payments (invoice_id);
`;
