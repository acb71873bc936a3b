/**
 * The immutable price snapshot a sale is made from: the opportunity's line items as they were
 * when it was booked. Line items are authoritative; each ERP line carries the net unit price
 * (UnitPrice × (1 − Discount/100)) and the quantity, and what the ERP will total must equal the
 * opportunity's Amount to the cent — a different amount is never booked.
 */
import Decimal from 'decimal.js';
import { BusinessError } from '../errors';
import { formatMoney, money, roundUnitPrice, type Money } from '../money';
import type { OpportunityForBooking } from '../salesforce/opportunities';

export interface SnapshotLine {
  lineItemId: string;
  productCode: string;
  description: string;
  quantity: string;
  listUnitPrice: Money;
  discountPercent: string | null;
  netUnitPrice: Money;
  /** quantity × netUnitPrice, rounded to the currency — what the ERP line will amount to. */
  amount: Money;
}

export interface PriceSnapshot {
  opportunityId: string;
  currency: string;
  lines: SnapshotLine[];
  total: Money;
  takenAt: string;
}

export function takePriceSnapshot(opp: OpportunityForBooking, now: Date = new Date()): PriceSnapshot {
  if (opp.lines.length === 0) {
    throw new BusinessError(
      'NO_LINE_ITEMS',
      'The opportunity has no products. Add line items with product codes, then retry the booking.',
    );
  }
  const missingCode = opp.lines.filter((l) => !l.productCode?.trim());
  if (missingCode.length > 0) {
    const names = missingCode.map((l) => l.productName ?? l.id).join(', ');
    throw new BusinessError(
      'MISSING_PRODUCT_CODE',
      `These products have no Product Code, so the ERP cannot identify them: ${names}. Set Product Code on the product, then retry.`,
    );
  }
  const lines = opp.lines.map((l) => snapshotLine(l, opp.currency));
  const total = money(
    lines.reduce((sum, l) => sum.plus(l.amount.amount), new Decimal(0)),
    opp.currency,
  );
  const snapshot = { opportunityId: opp.id, currency: opp.currency, lines, total, takenAt: now.toISOString() };
  assertTotalMatchesAmount(snapshot, opp.amount);
  return snapshot;
}

function snapshotLine(l: OpportunityForBooking['lines'][number], currency: string): SnapshotLine {
  const discount = l.discountPercent === null ? new Decimal(0) : new Decimal(l.discountPercent);
  const net = roundUnitPrice(new Decimal(l.unitPrice.amount).times(new Decimal(100).minus(discount)).dividedBy(100));
  return {
    lineItemId: l.id,
    productCode: (l.productCode as string).trim(),
    description: l.description?.trim() || l.productName || (l.productCode as string),
    quantity: l.quantity,
    listUnitPrice: l.unitPrice,
    discountPercent: l.discountPercent,
    netUnitPrice: { amount: net.toString(), currency },
    amount: money(net.times(l.quantity), currency),
  };
}

/** Fails — showing both figures — when the lines would not add up to the opportunity's Amount. */
export function assertTotalMatchesAmount(snapshot: PriceSnapshot, amount: Money | null): void {
  if (amount === null) {
    throw new BusinessError(
      'AMOUNT_MISSING',
      `The opportunity has no Amount; its products total ${formatMoney(snapshot.total)}.`,
    );
  }
  if (!new Decimal(amount.amount).equals(snapshot.total.amount)) {
    throw new BusinessError(
      'AMOUNT_MISMATCH',
      `The products add up to ${formatMoney(snapshot.total)} in the ERP but the opportunity's Amount is ${formatMoney(amount)}. ` +
        'Nothing was booked. Correct the line items or the amount, then retry.',
    );
  }
}
