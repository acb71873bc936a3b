/**
 * The billing card's booking status when the backend has no booking record of its own: a deal the
 * ERP already bills (booked before Closeloop, or by another instance) shows Booked with its order;
 * a deal nobody booked shows Not Booked.
 */
import { opportunityBilling } from '../../src/financials/billing';
import type { Store } from '../../src/store/db';
import { pgliteStore } from '../support/stores';

const BILLED = '006000000000777AAA';
const UNBILLED = '006000000000778AAA';
let store: Store;

beforeAll(async () => {
  store = await pgliteStore();
  await store.query(
    `INSERT INTO erp_invoices (erp_id, number, erp_customer_id, erp_sale_id, opportunity_id, state, currency, total, untaxed, open_amount, issue_date, due_date)
     VALUES ('inv-1', 'INV-2025-00001', 'cust-1', 'sale-41', $1, 'posted', 'USD', '1200.00', '1000.00', '1200.00', '2025-10-01', '2025-10-31')`,
    [BILLED],
  );
  // An invoice billed outside any sale (no sale id) says nothing about a booking.
  await store.query(
    `INSERT INTO erp_invoices (erp_id, number, erp_customer_id, erp_sale_id, opportunity_id, state, currency, total, untaxed, open_amount, issue_date, due_date)
     VALUES ('inv-2', 'INV-2025-00002', 'cust-1', NULL, $1, 'posted', 'USD', '50.00', '50.00', '50.00', '2025-10-01', '2025-10-31')`,
    [UNBILLED],
  );
});
afterAll(async () => {
  await store.close();
});

test('a deal the ERP bills, with no booking record here, is Booked with the sale as its order', async () => {
  const view = await opportunityBilling(store, BILLED, null, new Date('2025-10-15T12:00:00Z'));
  expect(view).toMatchObject({ bookingStatus: 'Booked', erpOrderId: 'sale-41', canRetry: false, bookingError: null });
  expect(view?.invoice?.number).toBe('INV-2025-00001');
});

test('an invoice without a sale does not make a deal Booked', async () => {
  const view = await opportunityBilling(store, UNBILLED, null, new Date('2025-10-15T12:00:00Z'));
  expect(view).toMatchObject({ bookingStatus: 'Not Booked', erpOrderId: null });
});
