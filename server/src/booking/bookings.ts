/** The backend's own record of each opportunity's booking (table `bookings`). */
import type { Sql } from '../store/db';
import type { PriceSnapshot } from './priceSnapshot';

export type BookingRecordStatus = 'Pending' | 'Booked' | 'Failed' | 'Credit Hold';

export interface BookingChange {
  opportunityId: string;
  accountId: string;
  status: BookingRecordStatus;
  erpCustomerId?: string | null;
  erpOrderId?: string | null;
  erpInvoiceId?: string | null;
  erpInvoiceNumber?: string | null;
  currency?: string;
  amount?: string;
  snapshot?: PriceSnapshot;
  error?: string | null;
  errorCode?: string | null;
  bookedAt?: Date;
  confirmedInSalesforceAt?: Date;
}

/**
 * Inserts or updates the booking. Fields left undefined keep their stored value. The price
 * snapshot is the one the ERP sale was made from: it changes only when a new sale is made (a
 * stale quotation replaced), never while its sale lives.
 */
export async function saveBooking(sql: Sql, b: BookingChange): Promise<void> {
  const has = (v: unknown) => v !== undefined;
  await sql.query(
    `INSERT INTO bookings (opportunity_id, account_id, status, erp_customer_id, erp_order_id, erp_invoice_id,
                           erp_invoice_number, currency, amount, snapshot, error, error_code, booked_at,
                           confirmed_in_salesforce_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (opportunity_id) DO UPDATE SET
       account_id         = CASE WHEN EXCLUDED.account_id <> '' THEN EXCLUDED.account_id ELSE bookings.account_id END,
       status             = EXCLUDED.status,
       erp_customer_id    = CASE WHEN $15 THEN EXCLUDED.erp_customer_id ELSE bookings.erp_customer_id END,
       erp_order_id       = CASE WHEN $16 THEN EXCLUDED.erp_order_id ELSE bookings.erp_order_id END,
       erp_invoice_id     = CASE WHEN $17 THEN EXCLUDED.erp_invoice_id ELSE bookings.erp_invoice_id END,
       erp_invoice_number = CASE WHEN $18 THEN EXCLUDED.erp_invoice_number ELSE bookings.erp_invoice_number END,
       currency           = COALESCE(EXCLUDED.currency, bookings.currency),
       amount             = COALESCE(EXCLUDED.amount, bookings.amount),
       snapshot           = COALESCE(EXCLUDED.snapshot, bookings.snapshot),
       error              = CASE WHEN $19 THEN EXCLUDED.error ELSE bookings.error END,
       error_code         = CASE WHEN $20 THEN EXCLUDED.error_code ELSE bookings.error_code END,
       booked_at          = COALESCE(EXCLUDED.booked_at, bookings.booked_at),
       confirmed_in_salesforce_at = COALESCE(EXCLUDED.confirmed_in_salesforce_at, bookings.confirmed_in_salesforce_at),
       updated_at         = now()`,
    [
      b.opportunityId,
      b.accountId,
      b.status,
      b.erpCustomerId ?? null,
      b.erpOrderId ?? null,
      b.erpInvoiceId ?? null,
      b.erpInvoiceNumber ?? null,
      b.currency ?? null,
      b.amount ?? null,
      b.snapshot ? JSON.stringify(b.snapshot) : null,
      b.error ?? null,
      b.errorCode ?? null,
      b.bookedAt ?? null,
      b.confirmedInSalesforceAt ?? null,
      has(b.erpCustomerId),
      has(b.erpOrderId),
      has(b.erpInvoiceId),
      has(b.erpInvoiceNumber),
      has(b.error),
      has(b.errorCode),
    ],
  );
}

export interface BookingRecord {
  opportunityId: string;
  accountId: string;
  status: BookingRecordStatus;
  erpCustomerId: string | null;
  erpOrderId: string | null;
  erpInvoiceId: string | null;
  erpInvoiceNumber: string | null;
  currency: string | null;
  amount: string | null;
  snapshot: PriceSnapshot | null;
  error: string | null;
  errorCode: string | null;
  bookedAt: Date | null;
}

export async function getBooking(sql: Sql, opportunityId: string): Promise<BookingRecord | null> {
  const rows = await sql.query<{
    opportunity_id: string;
    account_id: string;
    status: BookingRecordStatus;
    erp_customer_id: string | null;
    erp_order_id: string | null;
    erp_invoice_id: string | null;
    erp_invoice_number: string | null;
    currency: string | null;
    amount: string | null;
    snapshot: PriceSnapshot | null;
    error: string | null;
    error_code: string | null;
    booked_at: Date | null;
  }>('SELECT * FROM bookings WHERE opportunity_id = $1', [opportunityId]);
  const r = rows[0];
  if (!r) return null;
  return {
    opportunityId: r.opportunity_id,
    accountId: r.account_id,
    status: r.status,
    erpCustomerId: r.erp_customer_id,
    erpOrderId: r.erp_order_id,
    erpInvoiceId: r.erp_invoice_id,
    erpInvoiceNumber: r.erp_invoice_number,
    currency: r.currency,
    amount: r.amount,
    snapshot: r.snapshot,
    error: r.error,
    errorCode: r.error_code,
    bookedAt: r.booked_at,
  };
}
