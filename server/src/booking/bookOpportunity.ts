/**
 * Flow 1 — booking: a Closed-Won opportunity becomes an ERP customer, a confirmed sale and a
 * posted invoice, and the confirmation goes back onto the opportunity.
 *
 * Every step is idempotent, keyed on the Opportunity Id, which is stored on the ERP sale as its
 * reference and looked up before anything is created. Whatever happened before — a retry, a
 * duplicate event, a crash between two steps — a run picks up from what the ERP already has:
 *   find sale by reference ─ none ─▶ snapshot prices ▶ match/create customer ▶ create sale
 *          │ found                                                                │
 *          ▼                                                                      ▼
 *   confirm (credit check) ──▶ post invoice ──▶ write back to Salesforce ──▶ Booked
 * Business failures (unknown product, amounts that disagree, credit hold, ambiguous customer) end
 * the run and are shown on the opportunity; anything else is thrown for the queue to retry.
 */
import { audit, type AuditTrigger } from '../audit/audit';
import { BusinessError, TransientError } from '../errors';
import type { ErpConnector, ErpInvoice, ErpSale } from '../erp/connector';
import type { Logger } from '../log';
import { formatMoney } from '../money';
import type { RecordResult, RecordUpdate } from '../salesforce/client';
import type { OpportunityForBooking } from '../salesforce/opportunities';
import type { Store } from '../store/db';
import { saveBooking } from './bookings';
import { matchOrCreateCustomer, type CustomerResolution } from './customerMatch';
import { assertTotalMatchesAmount, takePriceSnapshot, type PriceSnapshot } from './priceSnapshot';
import { bookedUpdates, failureUpdate } from './writeBack';

/** What booking needs from Salesforce. */
export interface BookingSalesforce {
  readOpportunity(id: string): Promise<OpportunityForBooking | null>;
  update(records: RecordUpdate[]): Promise<RecordResult[]>;
}

export interface BookingDeps {
  sql: Store;
  erp: ErpConnector;
  salesforce: BookingSalesforce;
  log: Logger;
  now?: () => Date;
}

export interface BookingRequest {
  opportunityId: string;
  trigger: AuditTrigger;
  actor?: string | null;
  jobId?: number | null;
  customerResolution?: CustomerResolution;
}

export type BookingOutcome = 'booked' | 'already_booked' | 'failed' | 'credit_hold' | 'not_won' | 'not_found';

/**
 * Books one opportunity. Runs under a per-opportunity lock shared by every worker on the store:
 * the queue already gives each opportunity one job, and this makes two concurrent runs
 * impossible even if a lease lapsed under a slow worker (ERPs such as Tryton would happily
 * invoice a sale twice if asked twice at once).
 */
export async function bookOpportunity(deps: BookingDeps, req: BookingRequest): Promise<BookingOutcome> {
  const locked = await deps.sql.tryWithLock(`booking:${req.opportunityId}`, () => bookUnlocked(deps, req));
  if (!locked.acquired) {
    throw new TransientError(
      'BOOKING_IN_PROGRESS',
      `Another worker is booking opportunity ${req.opportunityId} right now`,
      1000,
    );
  }
  return locked.value;
}

async function bookUnlocked(deps: BookingDeps, req: BookingRequest): Promise<BookingOutcome> {
  const opp = await deps.salesforce.readOpportunity(req.opportunityId);
  if (!opp) {
    await trail(deps, req, 'booking.not_found', undefined);
    return 'not_found';
  }
  if (!opp.isWon) {
    await trail(deps, req, 'booking.skipped_not_won', { stage: opp.stageName });
    return 'not_won';
  }
  if (opp.bookingStatus === 'Booked' && opp.erpOrderId) return 'already_booked';
  try {
    return await book(deps, req, opp);
  } catch (e) {
    if (!(e instanceof BusinessError)) throw e;
    await recordFailure(deps, req, opp, 'Failed', e.code, e.message);
    return 'failed';
  }
}

async function book(deps: BookingDeps, req: BookingRequest, opp: OpportunityForBooking): Promise<BookingOutcome> {
  const { erp } = deps;
  if (!opp.account) {
    throw new BusinessError(
      'NO_ACCOUNT',
      'The opportunity has no account, so there is no customer to invoice. Set the Account, then retry.',
    );
  }
  let sale = (await erp.findSalesByReference(opp.id))[0];
  if (sale) {
    await trail(deps, req, 'booking.resumed', { saleId: sale.id, state: sale.state });
  } else {
    sale = await createSale(deps, req, opp);
  }

  if (sale.state === 'draft' || sale.state === 'quotation') {
    const confirmation = await erp.confirmSale(sale.id);
    if (confirmation.status === 'credit_hold') {
      await recordFailure(deps, req, opp, 'Credit Hold', 'CREDIT_HOLD', confirmation.reason, sale);
      return 'credit_hold';
    }
    sale = confirmation.sale;
    await trail(deps, req, 'erp.sale_confirmed', { saleId: sale.id, state: sale.state });
  }

  const invoice = await postInvoice(deps, req, sale);
  await writeBooked(deps, req, opp, sale, invoice);
  return 'booked';
}

async function createSale(deps: BookingDeps, req: BookingRequest, opp: OpportunityForBooking): Promise<ErpSale> {
  const { erp } = deps;
  const account = opp.account as NonNullable<OpportunityForBooking['account']>;
  const snapshot = takePriceSnapshot(opp, now(deps));

  const codes = [...new Set(snapshot.lines.map((l) => l.productCode))];
  const known = new Set((await erp.findProducts(codes)).map((p) => p.code));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw new BusinessError(
      'UNKNOWN_PRODUCT_CODE',
      `The ERP has no product with code ${unknown.map((c) => `"${c}"`).join(', ')}. ` +
        'Create it in the ERP or correct the Product Code in Salesforce, then retry.',
    );
  }

  const match = await matchOrCreateCustomer(erp, deps.sql, account, req.customerResolution);
  if (match.how === 'created') {
    await trail(deps, req, 'erp.customer_created', { customerId: match.customer.id, name: match.customer.name });
  }
  await saveBooking(deps.sql, {
    opportunityId: opp.id,
    accountId: account.id,
    status: 'Pending',
    erpCustomerId: match.customer.id,
    currency: snapshot.currency,
    amount: snapshot.total.amount,
    snapshot,
  });

  const sale = await erp.createSale({
    reference: opp.id,
    customerId: match.customer.id,
    currency: snapshot.currency,
    saleDate: opp.closeDate,
    description: opp.name,
    lines: snapshot.lines.map((l) => ({
      productCode: l.productCode,
      description: l.description,
      quantity: l.quantity,
      unitPrice: l.netUnitPrice,
    })),
  });
  await trail(deps, req, 'erp.sale_created', saleSummary(sale, match.how));
  const kept = await keepOldestSale(deps, req, opp.id, sale);
  await saveBooking(deps.sql, { opportunityId: opp.id, accountId: account.id, status: 'Pending', erpOrderId: kept.id });
  await checkErpTotal(deps, snapshot, kept, opp);
  return kept;
}

/**
 * ERPs do not make a reference unique, so two runs that raced past the lookup could each create
 * a sale. Every run settles it the same way right after creating: the oldest sale with this
 * reference is the one, younger unconfirmed copies are cancelled — before anything is confirmed,
 * so at most one sale is ever confirmed and invoiced. (The queue's leases make this rare; this
 * makes it harmless.)
 */
async function keepOldestSale(
  deps: BookingDeps,
  req: BookingRequest,
  reference: string,
  created: ErpSale,
): Promise<ErpSale> {
  const sales = await deps.erp.findSalesByReference(reference);
  const keeper = sales[0] ?? created;
  for (const copy of sales.slice(1)) {
    if (copy.state !== 'draft' && copy.state !== 'quotation') {
      deps.log.error(
        { opportunityId: reference, saleId: copy.id },
        'a second CONFIRMED sale carries this reference; a person must review it',
      );
      await trail(deps, req, 'erp.duplicate_sale_confirmed', { keptSaleId: keeper.id, duplicateSaleId: copy.id });
      continue;
    }
    await deps.erp.cancelSale(copy.id);
    await trail(deps, req, 'erp.duplicate_sale_cancelled', { keptSaleId: keeper.id, cancelledSaleId: copy.id });
  }
  return keeper;
}

/** The ERP's own total is the last word: if it disagrees with the Amount, the sale is withdrawn. */
async function checkErpTotal(deps: BookingDeps, snapshot: PriceSnapshot, sale: ErpSale, opp: OpportunityForBooking) {
  try {
    assertTotalMatchesAmount({ ...snapshot, total: sale.untaxedAmount }, opp.amount);
  } catch (e) {
    await deps.erp.cancelSale(sale.id);
    throw e;
  }
}

async function postInvoice(deps: BookingDeps, req: BookingRequest, sale: ErpSale): Promise<ErpInvoice> {
  const invoiceId = sale.invoiceIds[0];
  if (!invoiceId) {
    // Some ERPs (Tryton) invoice confirmed sales in a background task: try again shortly.
    throw new TransientError(
      'ERP_INVOICE_PENDING',
      `Sale ${sale.id} is confirmed but the ERP has not created its invoice yet`,
    );
  }
  const invoice = await deps.erp.postInvoice(invoiceId);
  await trail(deps, req, 'erp.invoice_posted', {
    invoiceId: invoice.id,
    number: invoice.number,
    total: invoice.totalAmount,
  });
  return invoice;
}

async function writeBooked(
  deps: BookingDeps,
  req: BookingRequest,
  opp: OpportunityForBooking,
  sale: ErpSale,
  invoice: ErpInvoice,
) {
  const bookedAt = now(deps);
  const updates = bookedUpdates(opp, sale, invoice, bookedAt);
  const results = await deps.salesforce.update(updates);
  assertOpportunityWritten(opp.id, results);
  await reportAccountLink(deps, req, results, sale, opp.account?.erpCustomerId ?? null);
  await saveBooking(deps.sql, {
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
    deps,
    req,
    'booking.booked',
    { ...updates[0]?.fields, amount: formatMoney(sale.untaxedAmount) },
    { before: { Booking_Status__c: opp.bookingStatus, ERP_Order_Id__c: opp.erpOrderId } },
  );
}

/** Shows a business failure on the opportunity (and keeps it in the backend's own record). */
async function recordFailure(
  deps: BookingDeps,
  req: BookingRequest,
  opp: OpportunityForBooking,
  status: 'Failed' | 'Credit Hold',
  code: string,
  message: string,
  sale?: ErpSale,
) {
  const update = failureUpdate(opp.id, status, message, sale?.id);
  const results = await deps.salesforce.update([update]);
  assertOpportunityWritten(opp.id, results);
  await saveBooking(deps.sql, {
    opportunityId: opp.id,
    accountId: opp.account?.id ?? '',
    status,
    erpOrderId: sale?.id,
    erpCustomerId: sale?.customerId,
    error: message,
    errorCode: code,
  });
  await trail(
    deps,
    req,
    status === 'Failed' ? 'booking.failed' : 'booking.credit_hold',
    { ...update.fields, code },
    { before: { Booking_Status__c: opp.bookingStatus } },
  );
  deps.log.info(
    { opportunityId: opp.id, code },
    `booking ${status === 'Failed' ? 'failed' : 'held for credit'}: ${message}`,
  );
}

function assertOpportunityWritten(opportunityId: string, results: RecordResult[]) {
  const result = results.find((r) => r.type === 'Opportunity' && r.id === opportunityId);
  if (result?.success) return;
  const why = result?.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ') ?? 'no result';
  throw new TransientError(
    'SALESFORCE_WRITE',
    `Salesforce did not save the booking on opportunity ${opportunityId} (${why})`,
  );
}

/** A rejected account link (e.g. the ERP id is already on another account) is shown, not retried. */
async function reportAccountLink(
  deps: BookingDeps,
  req: BookingRequest,
  results: RecordResult[],
  sale: ErpSale,
  previousCustomerId: string | null,
) {
  for (const r of results.filter((x) => x.type === 'Account')) {
    if (r.success) {
      await trail(
        deps,
        req,
        'account.erp_customer_linked',
        { ERP_Customer_Id__c: sale.customerId },
        {
          before: { ERP_Customer_Id__c: previousCustomerId },
          entityType: 'account',
          entityId: r.id,
        },
      );
    } else {
      const why = r.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ');
      deps.log.warn({ accountId: r.id, why }, 'could not store the ERP customer id on the account');
      await trail(deps, req, 'account.erp_customer_link_failed', { why }, { entityType: 'account', entityId: r.id });
    }
  }
}

function saleSummary(sale: ErpSale, customerMatchedBy: string) {
  return {
    saleId: sale.id,
    customerId: sale.customerId,
    customerMatchedBy,
    untaxed: sale.untaxedAmount,
    state: sale.state,
  };
}

function now(deps: BookingDeps): Date {
  return deps.now?.() ?? new Date();
}

/** One audit entry for this booking: `after` is what the step produced, `before` what it replaced. */
async function trail(
  deps: BookingDeps,
  req: BookingRequest,
  action: string,
  after: unknown,
  options: { before?: unknown; entityType?: 'opportunity' | 'account'; entityId?: string } = {},
) {
  await audit(deps.sql, {
    entityType: options.entityType ?? 'opportunity',
    entityId: options.entityId ?? req.opportunityId,
    action,
    before: options.before,
    after,
    trigger: req.trigger,
    actor: req.actor,
    jobId: req.jobId,
  });
}
