import Decimal from 'decimal.js';
import { formatMoney, money, type Money } from '../../money';

export interface Exposure {
  customerName: string;
  limit: Money;
  /** Open invoices not yet paid. */
  owed: Money;
  /** The order being confirmed. */
  order: Money;
}

/** The ERP's credit rule: owed + this order must stay within the limit. Null when it does. */
export function creditHoldReason(e: Exposure): string | null {
  const after = new Decimal(e.owed.amount).plus(e.order.amount);
  if (after.lte(e.limit.amount)) return null;
  return (
    `Credit limit exceeded for ${e.customerName}: limit ${formatMoney(e.limit)}, ` +
    `already owed ${formatMoney(e.owed)}, this order ${formatMoney(e.order)} ` +
    `(${formatMoney(money(after.minus(e.limit.amount), e.limit.currency))} over).`
  );
}
