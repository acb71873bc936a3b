/**
 * What the booking writes onto Salesforce records — field names from PRODUCT.md's contract.
 * The opportunity and its account go in one composite call.
 */
import type { ErpInvoice, ErpSale } from '../erp/connector';
import { invoiceStatus, isoDay } from '../financials/invoiceStatus';
import { subtractMoney, toJsonNumber } from '../money';
import type { RecordUpdate } from '../salesforce/client';
import type { OpportunityForBooking } from '../salesforce/opportunities';

/** Salesforce's limit for Long Text fields we write (Booking_Error__c is 32,768). */
const MAX_ERROR_LENGTH = 32_000;

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
        Invoice_Status__c: invoiceStatus(
          {
            state: invoice.state,
            total: invoice.totalAmount.amount,
            openAmount: invoice.amountToPay.amount,
            dueDate: invoice.dueDate,
          },
          isoDay(bookedAt),
        ),
        Amount_Invoiced__c: toJsonNumber(invoice.totalAmount),
        Amount_Paid__c: toJsonNumber(subtractMoney(invoice.totalAmount, invoice.amountToPay)),
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
