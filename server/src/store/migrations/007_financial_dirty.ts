/**
 * ERP customers whose figures changed and are not yet in Salesforce. Marked in the same
 * transaction as the pulled page that changed them and cleared only after a sweep pushed them,
 * so a sweep that fails after pulling (Salesforce down) leaves them for the next one.
 */
export default `
CREATE TABLE financial_dirty (
  erp_customer_id text PRIMARY KEY,
  marked_at       timestamptz NOT NULL DEFAULT clock_timestamp()
);
`;
