/**
 * Small helpers the Closeloop components share. Money arrives as {amount: "1234.50", currency:
 * "USD"}: amounts stay decimal strings, shown by lightning-formatted-number in their own
 * currency. The only arithmetic here is proportions for bars, done on scaled integers (BigInt),
 * never on binary floats.
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A decimal string as an integer count of 10^-scale units (BigInt); null if it is not a decimal. */
export function toScaled(amount, scale) {
    const match = DECIMAL.exec(typeof amount === 'string' ? amount.trim() : '');
    if (!match) {
        return null;
    }
    const [, sign, whole, fraction = ''] = match;
    const digits = whole + fraction.padEnd(scale, '0').slice(0, scale);
    const value = BigInt(digits);
    return sign === '-' ? -value : value;
}

function scaleOf(amount) {
    const dot = typeof amount === 'string' ? amount.indexOf('.') : -1;
    return dot === -1 ? 0 : amount.length - dot - 1;
}

/**
 * part / whole as a percentage with one decimal (0 to 100), for a bar's width. Negative parts
 * count as 0; a zero or missing whole gives 0.
 */
export function percentOf(part, whole) {
    if (!part || !whole) {
        return 0;
    }
    const scale = Math.max(scaleOf(part.amount), scaleOf(whole.amount));
    const p = toScaled(part.amount, scale);
    const w = toScaled(whole.amount, scale);
    if (p === null || w === null || w <= BigInt(0) || p <= BigInt(0)) {
        return 0;
    }
    const permille = (p * BigInt(1000) + w / BigInt(2)) / w;
    const capped = permille > BigInt(1000) ? BigInt(1000) : permille;
    return Number(capped) / 10;
}

/** True for a money object whose amount is exactly zero ("0", "0.00", "-0.0"). */
export function isZero(money) {
    const scaled = money ? toScaled(money.amount, scaleOf(money.amount)) : null;
    return scaled !== null && scaled === BigInt(0);
}

/** Sum of several money objects of ONE currency, as a money object (exact, via BigInt). */
export function sumMoney(items) {
    const present = items.filter((m) => m && toScaled(m.amount, 0) !== null);
    if (present.length === 0) {
        return null;
    }
    const currency = present[0].currency;
    if (present.some((m) => m.currency !== currency)) {
        return null;
    }
    const scale = Math.max(...present.map((m) => scaleOf(m.amount)));
    const total = present.reduce((acc, m) => acc + toScaled(m.amount, scale), BigInt(0));
    const negative = total < BigInt(0);
    const digits = (negative ? -total : total).toString().padStart(scale + 1, '0');
    const amount = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    return { amount: negative ? `-${amount}` : amount, currency };
}

/**
 * Orders two money objects of ONE currency exactly: negative, zero or positive like a sort
 * comparator. Missing or unreadable amounts come first.
 */
export function compareMoney(a, b) {
    const scale = Math.max(scaleOf(a && a.amount), scaleOf(b && b.amount));
    const x = a ? toScaled(a.amount, scale) : null;
    const y = b ? toScaled(b.amount, scale) : null;
    if (x === null || y === null) {
        return (x === null ? 0 : 1) - (y === null ? 0 : 1);
    }
    if (x === y) {
        return 0;
    }
    return x < y ? -1 : 1;
}

/** The largest of several money objects of ONE currency; null when there is none or currencies mix. */
export function maxMoney(items) {
    const present = items.filter((m) => m && toScaled(m.amount, 0) !== null);
    if (present.length === 0 || present.some((m) => m.currency !== present[0].currency)) {
        return null;
    }
    return present.reduce((max, m) => (compareMoney(m, max) > 0 ? m : max));
}

/**
 * A money object as text in the user's locale ("$42,000.00"), for labels that cannot hold a
 * lightning-formatted-number (an aria-label). The decimal string goes to Intl as it is.
 */
export function formatMoney(money, locale) {
    if (!money || toScaled(money.amount, 0) === null) {
        return '';
    }
    return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(money.amount);
}

const INVOICE_BADGES = {
    Overdue: 'slds-theme_error',
    Paid: 'slds-theme_success',
    'Partially Paid': 'slds-theme_warning',
    Open: 'slds-badge_inverse',
    Draft: 'slds-badge_lightest',
    Void: 'slds-badge_lightest',
};

/** SLDS classes for an invoice status badge: overdue red, paid green. */
export function invoiceStatusClass(status) {
    return INVOICE_BADGES[status] || '';
}

const BOOKING_BADGES = {
    Booked: 'slds-theme_success',
    Failed: 'slds-theme_error',
    'Credit Hold': 'slds-theme_warning',
    Pending: 'slds-badge_inverse',
    'Not Booked': 'slds-badge_lightest',
};

/** SLDS classes for a booking status badge. */
export function bookingStatusClass(status) {
    return BOOKING_BADGES[status] || '';
}
