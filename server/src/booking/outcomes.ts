/**
 * How a booking ends: written onto the opportunity (and the account) in Salesforce, kept in the
 * backend's own record, linked for the financial sync, and traced in the audit trail.
 */
import { TransientError } from '../errors';
import type { ErpInvoice, ErpSale } from '../erp/connector';
import { linkAccount } from '../financials/links';
import { clearAccounts } from '../financials/relink';
import { formatMoney } from '../money';
import type { RecordResult } from '../salesforce/client';
import type { OpportunityForBooking } from '../salesforce/opportunities';
import { getBooking, saveBooking } from './bookings';
import { now, trail, type BookingRun } from './context';
import { bookedUpdates, failureUpdate } from './writeBack';

export async function writeBooked(
  run: BookingRun,
  opp: OpportunityForBooking,
  sale: ErpSale,
  invoice: ErpInvoice,
): Promise<void> {
  const bookedAt = now(run);
  const updates = bookedUpdates(opp, sale, invoice, bookedAt);
  const results = await run.salesforce.update(updates);
  assertOpportunityWritten(opp.id, results);
  const linked = await reportAccountLink(run, opp, sale, results);
  if (linked && opp.account) {
    const movedFrom = await linkAccount(run.sql, opp.account.id, sale.customerId, opp.account.currency, 'booking');
    await clearAccounts(run.sql, run.salesforce, movedFrom, bookedAt);
  }
  await saveBooking(run.sql, {
    opportunityId: opp.id,
    accountId: opp.account?.id ?? '',
    status: 'Booked',
    erpCustomerId: sale.customerId,
    erpOrderId: sale.id,
    erpInvoiceId: invoice.id,
    erpInvoiceNumber: invoice.number,
    error: null,
    errorCode: null,
    bookedAt,
    confirmedInSalesforceAt: bookedAt,
  });
  await trail(
    run,
    'booking.booked',
    { ...updates[0]?.fields, amount: formatMoney(sale.untaxedAmount) },
    {
      before: { Booking_Status__c: opp.bookingStatus, ERP_Order_Id__c: opp.erpOrderId },
    },
  );
}

/**
 * The opportunity already shows Booked (a run wrote Salesforce and stopped before finishing its
 * own bookkeeping): bring the backend's record and the audit trail up to date, touch nothing else.
 */
export async function catchUpWithSalesforce(run: BookingRun, opp: OpportunityForBooking): Promise<void> {
  const local = await getBooking(run.sql, opp.id);
  if (local?.status === 'Booked') return;
  await saveBooking(run.sql, {
    opportunityId: opp.id,
    accountId: opp.account?.id ?? '',
    status: 'Booked',
    erpOrderId: opp.erpOrderId,
    erpCustomerId: opp.account?.erpCustomerId ?? undefined,
    error: null,
    errorCode: null,
    bookedAt: now(run),
    confirmedInSalesforceAt: now(run),
  });
  if (opp.account?.erpCustomerId)
    await linkAccount(run.sql, opp.account.id, opp.account.erpCustomerId, opp.account.currency, 'booking');
  await trail(
    run,
    'booking.booked_found_in_salesforce',
    { Booking_Status__c: 'Booked', ERP_Order_Id__c: opp.erpOrderId },
    {
      before: { status: local?.status ?? null },
    },
  );
}

/** Shows a business failure on the opportunity (and keeps it in the backend's own record). */
export async function recordBusinessFailure(
  run: BookingRun,
  opp: OpportunityForBooking,
  status: 'Failed' | 'Credit Hold',
  code: string,
  message: string,
  sale?: ErpSale,
): Promise<void> {
  const update = failureUpdate(opp.id, status, message, sale?.id);
  assertOpportunityWritten(opp.id, await run.salesforce.update([update]));
  await saveBooking(run.sql, {
    opportunityId: opp.id,
    accountId: opp.account?.id ?? '',
    status,
    erpOrderId: sale?.id,
    erpCustomerId: sale?.customerId,
    error: message,
    errorCode: code,
  });
  await trail(
    run,
    status === 'Failed' ? 'booking.failed' : 'booking.credit_hold',
    { ...update.fields, code },
    {
      before: { Booking_Status__c: opp.bookingStatus },
    },
  );
  run.log.info(
    { opportunityId: opp.id, code },
    `booking ${status === 'Failed' ? 'failed' : 'held for credit'}: ${message}`,
  );
}

function assertOpportunityWritten(opportunityId: string, results: RecordResult[]): void {
  const result = results.find((r) => r.type === 'Opportunity' && r.id === opportunityId);
  if (result?.success) return;
  const why = result?.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ') ?? 'no result';
  throw new TransientError(
    'SALESFORCE_WRITE',
    `Salesforce did not save the booking on opportunity ${opportunityId} (${why})`,
  );
}

/**
 * A rejected account link (e.g. the ERP id is already on another account) is shown, not retried.
 * True when the account carries the sale's customer id now.
 */
async function reportAccountLink(
  run: BookingRun,
  opp: OpportunityForBooking,
  sale: ErpSale,
  results: RecordResult[],
): Promise<boolean> {
  const result = results.find((r) => r.type === 'Account');
  if (!result) return opp.account?.erpCustomerId === sale.customerId;
  if (result.success) {
    await trail(
      run,
      'account.erp_customer_linked',
      { ERP_Customer_Id__c: sale.customerId },
      {
        before: { ERP_Customer_Id__c: opp.account?.erpCustomerId ?? null },
        entityType: 'account',
        entityId: result.id,
      },
    );
    return true;
  }
  const why = result.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ');
  run.log.warn({ accountId: result.id, why }, 'could not store the ERP customer id on the account');
  await trail(run, 'account.erp_customer_link_failed', { why }, { entityType: 'account', entityId: result.id });
  return false;
}
