/**
 * Months and quarters as the backend names them ("2026-07", "2026-Q3"): the period pickers'
 * options, the default range, and moving a range from one grain to the other. Pure functions of
 * a date, so the component and its tests agree on "today".
 */

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;

/** How far back and ahead the pickers reach: three years back, one ahead (open deals close later). */
const REACH = {
    month: { back: 36, ahead: 12 },
    quarter: { back: 12, ahead: 4 },
};

export const GRAINS = ['month', 'quarter'];

/** A period key as a count of periods since year 0: months or quarters. */
function toIndex(key, grain) {
    const match = (grain === 'quarter' ? QUARTER : MONTH).exec(key || '');
    if (!match) {
        return null;
    }
    const perYear = grain === 'quarter' ? 4 : 12;
    return Number(match[1]) * perYear + Number(match[2]) - 1;
}

function fromIndex(index, grain) {
    const perYear = grain === 'quarter' ? 4 : 12;
    const year = Math.floor(index / perYear);
    const n = (index % perYear) + 1;
    return grain === 'quarter' ? `${year}-Q${n}` : `${year}-${String(n).padStart(2, '0')}`;
}

/** True for a key of this grain: 2026-07 for months, 2026-Q3 for quarters. */
export function isPeriod(key, grain) {
    return toIndex(key, grain) !== null;
}

/** The period that contains this date (local calendar). */
export function currentPeriod(grain, today = new Date()) {
    const month = today.getFullYear() * 12 + today.getMonth();
    return grain === 'quarter' ? fromIndex(Math.floor(month / 3), grain) : fromIndex(month, grain);
}

/** The period n periods after (or before, n < 0) this one. */
export function shiftPeriod(key, grain, n) {
    const index = toIndex(key, grain);
    return index === null ? null : fromIndex(index + n, grain);
}

/** The last `count` periods up to and including the current one. */
export function defaultRange(grain, count, today = new Date()) {
    const to = currentPeriod(grain, today);
    return { fromPeriod: shiftPeriod(to, grain, -(Math.max(1, count) - 1)), toPeriod: to };
}

/** "Jul 2026" or "Q3 2026", in the user's locale for months. */
export function periodLabel(key, grain, locale) {
    if (grain === 'quarter') {
        const match = QUARTER.exec(key);
        return match ? `Q${match[2]} ${match[1]}` : key;
    }
    const match = MONTH.exec(key);
    if (!match) {
        return key;
    }
    const first = Date.UTC(Number(match[1]), Number(match[2]) - 1, 1);
    return new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(first);
}

/** Combobox options, oldest first, from three years back to a year ahead, plus the keys given (kept in range). */
export function periodOptions(grain, locale, today = new Date(), keep = []) {
    const current = toIndex(currentPeriod(grain, today), grain);
    const { back, ahead } = REACH[grain];
    const indexes = new Set();
    for (let i = current - back; i <= current + ahead; i += 1) {
        indexes.add(i);
    }
    keep.map((key) => toIndex(key, grain)).forEach((index) => index !== null && indexes.add(index));
    return [...indexes]
        .sort((a, b) => a - b)
        .map((index) => {
            const value = fromIndex(index, grain);
            return { label: periodLabel(value, grain, locale), value };
        });
}

/**
 * The same stretch of time in the other grain: a month range becomes the quarters that hold it,
 * a quarter range the months from the first quarter's first month to the last one's last.
 */
export function convertRange({ fromPeriod, toPeriod }, from, to) {
    if (from === to) {
        return { fromPeriod, toPeriod };
    }
    if (to === 'quarter') {
        return {
            fromPeriod: fromIndex(Math.floor(toIndex(fromPeriod, 'month') / 3), 'quarter'),
            toPeriod: fromIndex(Math.floor(toIndex(toPeriod, 'month') / 3), 'quarter'),
        };
    }
    return {
        fromPeriod: fromIndex(toIndex(fromPeriod, 'quarter') * 3, 'month'),
        toPeriod: fromIndex(toIndex(toPeriod, 'quarter') * 3 + 2, 'month'),
    };
}
