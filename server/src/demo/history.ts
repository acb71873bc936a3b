/**
 * The past quarters: the demo org has run Closeloop for a while. Each won deal of
 * `past-deals.json` is put in the sandbox ERP as Closeloop booked it then — its customer (the
 * account's id as external reference), a confirmed sale on the close date with the opportunity
 * as reference, the invoice posted on its own date, and the customer's payments, on time, late or
 * in part — and the booking's ids go onto the Salesforce records. Invoice status and amounts are
 * left to the financial sweep, which pulls these invoices like any other.
 */
import Decimal from 'decimal.js';
import { countryCode } from '../booking/country';
import type { LocalSalesforce } from '../emulator/salesforce';
import type { NewSaleLine } from '../erp/connector';
import type { SandboxErp } from '../erp/sandbox/sandboxErp';
import { decimalFromJson, formatMoney, money, roundUnitPrice } from '../money';
import { accounts, catalogue, dayBefore, pastDeals, type DemoDeal } from './fixtures';

const BOOKING_TIME = 'T15:30:00.000Z';

export async function loadPastBookings(
  erp: SandboxErp,
  sf: LocalSalesforce,
  keys: Record<string, string>,
  today: Date,
): Promise<void> {
  const oldestFirst = pastDeals.filter((d) => d.erp).sort((a, b) => b.closedDaysAgo - a.closedDaysAgo);
  for (const deal of oldestFirst) await loadBooking(erp, sf, keys, deal, today);
}

async function loadBooking(
  erp: SandboxErp,
  sf: LocalSalesforce,
  keys: Record<string, string>,
  deal: DemoDeal,
  today: Date,
): Promise<void> {
  const booking = deal.erp as NonNullable<DemoDeal['erp']>;
  const opportunityId = keys[deal.key] as string;
  const opportunity = sf.org.get('Opportunity', opportunityId) ?? {};
  const currency = String(opportunity.CurrencyIsoCode);
  const customerId = await customerFor(erp, sf, keys, deal.account);
  const sale = await erp.createSale({
    reference: opportunityId,
    customerId,
    currency,
    saleDate: String(opportunity.CloseDate),
    description: deal.name,
    lines: saleLines(deal, currency),
  });
  const amount = money(decimalFromJson(Number(opportunity.Amount)), currency);
  if (sale.untaxedAmount.amount !== amount.amount)
    throw new Error(
      `demo data ${deal.key}: the ERP totals ${formatMoney(sale.untaxedAmount)}, Salesforce ${formatMoney(amount)}`,
    );
  const confirmed = await erp.confirmSale(sale.id);
  if (confirmed.status !== 'confirmed') throw new Error(`demo data ${deal.key}: ${confirmed.reason}`);

  const invoiceDate = dayBefore(today, deal.closedDaysAgo - booking.invoicedAfterDays);
  const [draftId] = (await erp.getSale(sale.id)).invoiceIds;
  const invoice = await erp.postInvoiceOn(draftId as string, invoiceDate);
  for (const payment of booking.payments) {
    const paidOn = dayBefore(today, deal.closedDaysAgo - booking.invoicedAfterDays - payment.afterDays);
    if (paidOn > dayBefore(today, 0)) throw new Error(`demo data ${deal.key}: a payment on ${paidOn}, after today`);
    await erp.recordPayment(invoice.id, payment.amount ? money(payment.amount, currency) : undefined, paidOn);
  }
  sf.org.update('Opportunity', opportunityId, {
    Booking_Status__c: 'Booked',
    ERP_Order_Id__c: sale.id,
    ERP_Invoice_Number__c: invoice.number,
    Booked_At__c: `${invoiceDate}${BOOKING_TIME}`,
  });
}

/** The account's ERP customer, created (as a booking would) the first time one of its deals is loaded. */
async function customerFor(
  erp: SandboxErp,
  sf: LocalSalesforce,
  keys: Record<string, string>,
  accountKey: string,
): Promise<string> {
  const accountId = keys[accountKey] as string;
  const linked = sf.org.get('Account', accountId)?.ERP_Customer_Id__c;
  if (typeof linked === 'string' && linked !== '') return linked;
  const account = accounts.find((a) => a.key === accountKey);
  if (!account) throw new Error(`demo data: no account ${accountKey}`);
  const customer = await erp.createCustomer({
    name: account.name,
    externalRef: accountId,
    city: account.city,
    postalCode: account.postalCode,
    countryCode: countryCode(account.country),
  });
  sf.org.update('Account', accountId, { ERP_Customer_Id__c: customer.id });
  return customer.id;
}

/** The deal's lines at their net unit price, as the booking's price snapshot takes them. */
function saleLines(deal: DemoDeal, currency: string): NewSaleLine[] {
  return Object.entries(deal.lines).map(([code, quantity]) => {
    const product = catalogue.products.find((p) => p.code === code);
    if (!product) throw new Error(`demo data ${deal.key}: "${code}" is not in the ERP's catalogue`);
    const discount = new Decimal(deal.discounts?.[code] ?? 0);
    const net = roundUnitPrice(
      new Decimal(product.prices[currency] as string).times(new Decimal(100).minus(discount)).dividedBy(100),
    );
    return {
      productCode: code,
      description: product.name,
      quantity: new Decimal(quantity).toString(),
      unitPrice: { amount: net.toString(), currency },
    };
  });
}
