/**
 * What the booking writes onto Salesforce records — field names from PRODUCT.md's contract.
 * The opportunity and its account go in one composite call.
 */
import Decimal from 'decimal.js';
import type { ErpInvoice, ErpSale } from '../erp/connector';
import { toJsonNumber } from '../money';
import type { RecordUpdate } from '../salesforce/client';
import type { InvoiceStatus, OpportunityForBooking } from '../salesforce/opportunities';

/** Salesforce's limit for Long Text fields we write (Booking_Error__c is 32,768). */
const MAX_ERROR_LENGTH = 32_000;

/** Invoice status as reps read it, from the ERP's facts. */
export function invoiceStatus(invoice: ErpInvoice, today: Date): InvoiceStatus {
  if (invoice.state === 'cancelled') return 'Void';
  if (invoice.state === 'draft' || invoice.state === 'validated') return 'Draft';
  const toPay = new Decimal(invoice.amountToPay.amount);
  if (invoice.state === 'paid' || toPay.lte(0)) return 'Paid';
  if (invoice.dueDate && invoice.dueDate < today.toISOString().slice(0, 10)) return 'Overdue';
  return toPay.equals(invoice.totalAmount.amount) ? 'Open' : 'Partially Paid';
}

export function bookedUpdates(
  opp: OpportunityForBooking,
  sale: ErpSale,
  invoice: ErpInvoice,
  bookedAt: Date,
): RecordUpdate[] {
  const updates: RecordUpdate[] = [
    {
      type: 'Opportunity',
      id: opp.id,
      fields: {
        Booking_Status__c: 'Booked',
        Booking_Error__c: null,
        ERP_Order_Id__c: sale.id,
        ERP_Invoice_Number__c: invoice.number,
        Booked_At__c: bookedAt.toISOString(),
        Invoice_Status__c: invoiceStatus(invoice, bookedAt),
        Amount_Invoiced__c: toJsonNumber(invoice.untaxedAmount),
      },
    },
  ];
  if (opp.account && opp.account.erpCustomerId !== sale.customerId) {
    updates.push({ type: 'Account', id: opp.account.id, fields: { ERP_Customer_Id__c: sale.customerId } });
  }
  return updates;
}

export function failureUpdate(
  opportunityId: string,
  status: 'Failed' | 'Credit Hold',
  message: string,
  erpOrderId?: string,
): RecordUpdate {
  return {
    type: 'Opportunity',
    id: opportunityId,
    fields: {
      Booking_Status__c: status,
      Booking_Error__c: message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH)}…` : message,
      ...(erpOrderId ? { ERP_Order_Id__c: erpOrderId } : {}),
    },
  };
}
