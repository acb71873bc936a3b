/**
 * Flow 1 — booking: a Closed-Won opportunity becomes an ERP customer, a confirmed sale and a
 * posted invoice, and the confirmation goes back onto the opportunity.
 *
 * Every step is idempotent, keyed on the Opportunity Id, which is stored on the ERP sale as its
 * reference and looked up before anything is created. Whatever happened before — a retry, a
 * duplicate event, a crash between two steps — a run picks up from what the ERP already has:
 *
 *   find sale by reference ── none ──▶ snapshot ▶ products ▶ customer ▶ create ▶ check ERP total
 *      │ found, unconfirmed: still the deal? ── no ──▶ cancel it, create anew ──┘
 *      ▼
 *   confirm (credit check; also repairs a confirmed sale without invoice) ─▶ post invoice
 *      ─▶ write back to Salesforce ─▶ Booked
 *
 * Business failures (unknown product, amounts that disagree, credit hold, ambiguous customer) end
 * the run and are shown on the opportunity; anything else is thrown for the queue to retry.
 * Modules: sales.ts (making the sale), outcomes.ts (writing how it ended), customerMatch.ts.
 */
import { BusinessError, TransientError } from '../errors';
import type { ErpInvoice, ErpSale } from '../erp/connector';
import type { OpportunityForBooking } from '../salesforce/opportunities';
import { assertStillHeld, trail, type BookingDeps, type BookingRequest, type BookingRun } from './context';
import { catchUpWithSalesforce, recordBusinessFailure, writeBooked } from './outcomes';
import { cancelStaleSale, createSale, keepOldestSale, saleStillMatchesDeal } from './sales';

export type { BookingDeps, BookingRequest, BookingSalesforce } from './context';

export type BookingOutcome = 'booked' | 'already_booked' | 'failed' | 'credit_hold' | 'not_won' | 'not_found';

/** Outcomes after which an event or a poll may run the booking again (the deal may change). */
export const RERUNNABLE_OUTCOMES: BookingOutcome[] = ['not_won', 'not_found'];

/**
 * Books one opportunity under a per-opportunity lock shared by every worker on the store: two
 * concurrent runs are impossible even if a lease lapsed under a slow worker (ERPs such as Tryton
 * would happily invoice a sale twice if asked twice at once).
 */
export async function bookOpportunity(deps: BookingDeps, req: BookingRequest): Promise<BookingOutcome> {
  const locked = await deps.sql.tryWithLock(`booking:${req.opportunityId}`, (held) =>
    runBooking({ ...deps, req, held }),
  );
  if (!locked.acquired) {
    throw new TransientError(
      'BOOKING_IN_PROGRESS',
      `Another worker is booking opportunity ${req.opportunityId} right now`,
      1000,
    );
  }
  return locked.value;
}

async function runBooking(run: BookingRun): Promise<BookingOutcome> {
  const opp = await run.salesforce.readOpportunity(run.req.opportunityId);
  if (!opp) {
    await trail(run, 'booking.not_found', undefined);
    return 'not_found';
  }
  if (!opp.isWon) {
    await trail(run, 'booking.skipped_not_won', { stage: opp.stageName });
    return 'not_won';
  }
  if (opp.bookingStatus === 'Booked' && opp.erpOrderId) {
    await catchUpWithSalesforce(run, opp);
    return 'already_booked';
  }
  try {
    return await book(run, opp);
  } catch (e) {
    if (!(e instanceof BusinessError)) throw e;
    await recordBusinessFailure(run, opp, 'Failed', e.code, e.message);
    return 'failed';
  }
}

async function book(run: BookingRun, opp: OpportunityForBooking): Promise<BookingOutcome> {
  const account = opp.account;
  if (!account) {
    throw new BusinessError(
      'NO_ACCOUNT',
      'The opportunity has no account, so there is no customer to invoice. Set the Account, then retry.',
    );
  }
  let sale = await currentSale(run, opp);
  if (!sale) sale = await createSale(run, opp, account);

  if (needsConfirmation(sale)) {
    assertStillHeld(run);
    const confirmation = await run.erp.confirmSale(sale.id);
    if (confirmation.status === 'credit_hold') {
      await recordBusinessFailure(run, opp, 'Credit Hold', 'CREDIT_HOLD', confirmation.reason, sale);
      return 'credit_hold';
    }
    sale = confirmation.sale;
    await trail(run, 'erp.sale_confirmed', { saleId: sale.id, state: sale.state });
  }

  const invoice = await postInvoice(run, sale);
  await writeBooked(run, opp, sale, invoice);
  return 'booked';
}

/** The sale already in the ERP for this deal, if it still is the deal; a stale quotation is cancelled. */
async function currentSale(run: BookingRun, opp: OpportunityForBooking): Promise<ErpSale | undefined> {
  const found = (await run.erp.findSalesByReference(opp.id))[0];
  if (!found) return undefined;
  const sale = await keepOldestSale(run, opp.id, found);
  await trail(run, 'booking.resumed', { saleId: sale.id, state: sale.state });
  const unconfirmed = sale.state === 'draft' || sale.state === 'quotation';
  if (unconfirmed && !(await saleStillMatchesDeal(run, opp, sale))) {
    await cancelStaleSale(run, sale);
    return undefined;
  }
  return sale;
}

/** Unconfirmed, or confirmed without its invoice (the ERP's invoicing failed): confirm (again). */
function needsConfirmation(sale: ErpSale): boolean {
  return sale.state === 'draft' || sale.state === 'quotation' || sale.invoiceIds.length === 0;
}

async function postInvoice(run: BookingRun, sale: ErpSale): Promise<ErpInvoice> {
  const invoiceId = sale.invoiceIds[0];
  if (!invoiceId) {
    // Some ERPs (Tryton) invoice confirmed sales in a background task: try again shortly.
    throw new TransientError(
      'ERP_INVOICE_PENDING',
      `Sale ${sale.id} is confirmed but the ERP has not created its invoice yet`,
    );
  }
  assertStillHeld(run);
  const invoice = await run.erp.postInvoice(invoiceId);
  await trail(run, 'erp.invoice_posted', { invoiceId: invoice.id, number: invoice.number, total: invoice.totalAmount });
  return invoice;
}
