/**
 * Making the ERP sale for an opportunity, and deciding whether a sale found in the ERP still
 * matches the deal. The price snapshot, the product check and the customer come first; the sale
 * is made from the snapshot; the ERP's own total is checked against the Amount last.
 */
import Decimal from 'decimal.js';
import { BusinessError, TransientError } from '../errors';
import type { ErpSale } from '../erp/connector';
import { equalMoney } from '../money';
import type { OpportunityForBooking } from '../salesforce/opportunities';
import { getBooking, saveBooking } from './bookings';
import { assertStillHeld, now, trail, type BookingRun } from './context';
import { matchOrCreateCustomer, type CustomerMatch } from './customerMatch';
import { assertTotalMatchesAmount, takePriceSnapshot, type PriceSnapshot } from './priceSnapshot';

type Account = NonNullable<OpportunityForBooking['account']>;

export async function createSale(run: BookingRun, opp: OpportunityForBooking, account: Account): Promise<ErpSale> {
  const snapshot = takePriceSnapshot(opp, now(run));
  await assertProductsKnown(run, snapshot);
  const match = await customerFor(run, account);
  await saveBooking(run.sql, {
    opportunityId: opp.id,
    accountId: account.id,
    status: 'Pending',
    erpCustomerId: match.customer.id,
    currency: snapshot.currency,
    amount: snapshot.total.amount,
    snapshot,
  });

  assertStillHeld(run);
  const sale = await run.erp.createSale({
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
  await trail(run, 'erp.sale_created', {
    saleId: sale.id,
    customerId: sale.customerId,
    customerMatchedBy: match.how,
    untaxed: sale.untaxedAmount,
  });
  const kept = await keepOldestSale(run, opp.id, sale);
  await saveBooking(run.sql, { opportunityId: opp.id, accountId: account.id, status: 'Pending', erpOrderId: kept.id });
  await withdrawIfTotalDisagrees(run, snapshot, kept, opp);
  return kept;
}

async function assertProductsKnown(run: BookingRun, snapshot: PriceSnapshot): Promise<void> {
  const codes = [...new Set(snapshot.lines.map((l) => l.productCode))];
  const known = new Set((await run.erp.findProducts(codes)).map((p) => p.code));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw new BusinessError(
      'UNKNOWN_PRODUCT_CODE',
      `The ERP has no product with code ${unknown.map((c) => `"${c}"`).join(', ')}. ` +
        'Create it in the ERP or correct the Product Code in Salesforce, then retry.',
    );
  }
}

/** How long a booking waits for another booking of the same account to finish with the customer. */
const CUSTOMER_LOCK_WAIT_MS = 30_000;
const CUSTOMER_LOCK_POLL_MS = 100;

/**
 * Matches or creates the customer under a lock on the account: two deals of one new account
 * booked at once must not each create the customer. The second waits (briefly — matching takes
 * a moment) and then finds the customer the first one made.
 */
async function customerFor(run: BookingRun, account: Account): Promise<CustomerMatch> {
  const deadline = Date.now() + CUSTOMER_LOCK_WAIT_MS;
  for (;;) {
    const locked = await run.sql.tryWithLock(`customer:${account.id}`, async (accountHeld) => {
      const guarded = { ...run, held: () => run.held() && accountHeld() };
      const match = await matchOrCreateCustomer(run.erp, run.sql, account, run.req.customerResolution, () =>
        assertStillHeld(guarded),
      );
      if (match.how === 'created')
        await trail(run, 'erp.customer_created', { customerId: match.customer.id, name: match.customer.name });
      return match;
    });
    if (locked.acquired) return locked.value;
    if (Date.now() > deadline) {
      throw new TransientError(
        'CUSTOMER_IN_PROGRESS',
        `Another booking has been creating the ERP customer of account ${account.id} for too long`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, CUSTOMER_LOCK_POLL_MS));
  }
}

/**
 * ERPs do not make a reference unique, so two runs that raced past the lookup could each create
 * a sale. Every run settles it the same way right after creating: the oldest sale with this
 * reference is the one, younger unconfirmed copies are cancelled — before anything is confirmed,
 * so at most one sale is ever confirmed and invoiced. (The per-opportunity lock makes this
 * practically impossible; this makes it harmless.)
 */
export async function keepOldestSale(run: BookingRun, reference: string, created: ErpSale): Promise<ErpSale> {
  const sales = await run.erp.findSalesByReference(reference);
  const keeper = sales[0] ?? created;
  for (const copy of sales.slice(1)) {
    if (copy.state !== 'draft' && copy.state !== 'quotation') {
      run.log.error(
        { opportunityId: reference, saleId: copy.id },
        'a second CONFIRMED sale carries this reference; a person must review it',
      );
      await trail(run, 'erp.duplicate_sale_confirmed', { keptSaleId: keeper.id, duplicateSaleId: copy.id });
      continue;
    }
    assertStillHeld(run);
    await run.erp.cancelSale(copy.id);
    await trail(run, 'erp.duplicate_sale_cancelled', { keptSaleId: keeper.id, cancelledSaleId: copy.id });
  }
  return keeper;
}

/** The ERP's own total is the last word: if it disagrees with the Amount, the sale is withdrawn. */
async function withdrawIfTotalDisagrees(
  run: BookingRun,
  snapshot: PriceSnapshot,
  sale: ErpSale,
  opp: OpportunityForBooking,
) {
  try {
    assertTotalMatchesAmount({ ...snapshot, total: sale.untaxedAmount }, opp.amount);
  } catch (e) {
    assertStillHeld(run);
    await run.erp.cancelSale(sale.id);
    await trail(run, 'erp.sale_withdrawn', { saleId: sale.id, reason: (e as Error).message });
    throw e;
  }
}

/**
 * A sale found unconfirmed in the ERP (held for credit, or left by a crash) is confirmed only if
 * it still is the deal: same lines and quantities at the same net prices, same total. If the
 * rep changed the deal since, the old quotation is cancelled and a new sale made from the deal
 * as it is now — a different amount is never booked silently.
 */
export async function saleStillMatchesDeal(
  run: BookingRun,
  opp: OpportunityForBooking,
  sale: ErpSale,
): Promise<boolean> {
  const now = takePriceSnapshot(opp); // a business error here (e.g. Amount mismatch) fails the booking
  const stored = (await getBooking(run.sql, opp.id))?.snapshot ?? null;
  // Without a stored snapshot (a sale made before Closeloop kept one) the total decides alone.
  return equalMoney(sale.untaxedAmount, now.total) && (stored === null || lineKey(stored) === lineKey(now));
}

function lineKey(snapshot: PriceSnapshot): string {
  return snapshot.lines
    .map(
      (l) => `${l.productCode}|${new Decimal(l.quantity).toString()}|${new Decimal(l.netUnitPrice.amount).toString()}`,
    )
    .sort()
    .join(';');
}

export async function cancelStaleSale(run: BookingRun, sale: ErpSale): Promise<void> {
  assertStillHeld(run);
  await run.erp.cancelSale(sale.id);
  await trail(run, 'erp.stale_quotation_cancelled', { saleId: sale.id, untaxed: sale.untaxedAmount });
}
