/**
 * Money, exactly. Amounts are decimal strings on every boundary (JSON, SQL `numeric`, the ERP's
 * Decimal) and decimal.js values in arithmetic — never a binary float.
 *
 * Rounding happens here and nowhere else, always half-up ("commercial rounding", what Salesforce
 * and Tryton both apply):
 * - amounts: `roundToCurrency`, to the currency's ISO 4217 minor units. The minor units come from
 *   the ICU data built into Node (`Intl.NumberFormat`), so JPY has 0 decimals, EUR 2, KWD 3;
 * - unit prices: `roundUnitPrice`, to the 4 decimals ERPs keep for prices (Tryton's price digits).
 * Stored amounts use SQL `numeric` without a fixed scale, so the database never rounds again.
 */
import Decimal from 'decimal.js';

export { Decimal };

/** An amount with its currency. `amount` is a plain decimal string such as "1250.00". */
export interface Money {
  amount: string;
  currency: string;
}

const minorUnitsCache = new Map<string, number>();

/** ISO 4217 minor units of a currency (EUR → 2, JPY → 0, KWD → 3). */
export function minorUnits(currency: string): number {
  const code = currency.toUpperCase();
  let digits = minorUnitsCache.get(code);
  if (digits === undefined) {
    if (!/^[A-Z]{3}$/.test(code)) throw new RangeError(`not an ISO 4217 currency code: ${currency}`);
    digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits as number;
    minorUnitsCache.set(code, digits);
  }
  return digits;
}

/** The one rounding rule of the product: half-up to the currency's minor units. */
export function roundToCurrency(value: Decimal.Value, currency: string): Decimal {
  return new Decimal(value).toDecimalPlaces(minorUnits(currency), Decimal.ROUND_HALF_UP);
}

/** ERPs keep unit prices to 4 decimals, whatever the currency. */
export const UNIT_PRICE_DECIMALS = 4;

/** The product's second rounding rule: a unit price (e.g. after a discount) to 4 decimals, half-up. */
export function roundUnitPrice(value: Decimal.Value): Decimal {
  return new Decimal(value).toDecimalPlaces(UNIT_PRICE_DECIMALS, Decimal.ROUND_HALF_UP);
}

/** A Money value rounded to its currency, with exactly the currency's number of decimals. */
export function money(value: Decimal.Value, currency: string): Money {
  const code = currency.toUpperCase();
  return { amount: roundToCurrency(value, code).toFixed(minorUnits(code)), currency: code };
}

export function zero(currency: string): Money {
  return money(0, currency);
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(new Decimal(a.amount).plus(b.amount), a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(new Decimal(a.amount).minus(b.amount), a.currency);
}

export function equalMoney(a: Money, b: Money): boolean {
  return a.currency === b.currency && new Decimal(a.amount).equals(b.amount);
}

export function compareMoney(a: Money, b: Money): number {
  assertSameCurrency(a, b);
  return new Decimal(a.amount).comparedTo(b.amount);
}

/** "USD 1,250.00" — for messages people read (errors on the opportunity, audit). */
export function formatMoney(m: Money): string {
  const digits = minorUnits(m.currency);
  const [int, frac] = new Decimal(m.amount).toFixed(digits).split('.');
  const grouped = (int ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${m.currency} ${frac ? `${grouped}.${frac}` : grouped}`;
}

/**
 * A number that arrived in JSON (Salesforce sends currency fields as JSON numbers, and jsforce
 * parses them into doubles). Any decimal of at most 15 significant digits survives that trip: the
 * shortest text that round-trips the double IS the original decimal, so `String(n)` recovers it
 * exactly. Beyond 15 digits that is no longer guaranteed, so such a value is refused rather than
 * guessed (a Currency(16,2) amount of USD 10 trillion or more).
 */
export function decimalFromJson(n: number): Decimal {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  const d = new Decimal(String(n));
  if (d.precision(true) > 15)
    throw new RangeError(`${String(n)} has more than 15 significant digits and cannot be read exactly`);
  return d;
}

/**
 * The JSON number Salesforce expects for a Currency field. Safe for the same reason as
 * `decimalFromJson`: a decimal of at most 15 significant digits survives the trip through a
 * double unchanged, and JSON.stringify writes back exactly that decimal text.
 */
export function toJsonNumber(m: Money): number {
  const d = new Decimal(m.amount);
  if (d.precision(true) > 15)
    throw new RangeError(`${formatMoney(m)} has more digits than a JSON number can carry exactly`);
  return d.toNumber();
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new RangeError(`cannot combine ${a.currency} and ${b.currency} amounts`);
  }
}
