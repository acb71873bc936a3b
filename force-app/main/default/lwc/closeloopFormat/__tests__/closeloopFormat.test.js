import {
    toScaled,
    percentOf,
    isZero,
    sumMoney,
    compareMoney,
    maxMoney,
    formatMoney,
    invoiceStatusClass,
    bookingStatusClass,
} from 'c/closeloopFormat';

const usd = (amount) => ({ amount, currency: 'USD' });

describe('closeloopFormat', () => {
    it('scales decimal strings to exact integers', () => {
        expect(toScaled('1234.5', 2)).toBe(BigInt(123450));
        expect(toScaled('-0.07', 2)).toBe(BigInt(-7));
        expect(toScaled('10', 3)).toBe(BigInt(10000));
        expect(toScaled('12.345', 2)).toBe(BigInt(1234));
        expect(toScaled('1e3', 2)).toBeNull();
        expect(toScaled(12.5, 2)).toBeNull();
    });

    it('computes shares exactly where binary floats would drift', () => {
        expect(percentOf(usd('26050.00'), usd('50000.00'))).toBe(52.1);
        expect(percentOf(usd('0.10'), usd('0.30'))).toBe(33.3);
        expect(percentOf(usd('1'), usd('3.000'))).toBe(33.3);
        expect(percentOf(usd('60000.00'), usd('50000.00'))).toBe(100);
        expect(percentOf(usd('-5.00'), usd('50.00'))).toBe(0);
        expect(percentOf(usd('5.00'), usd('0.00'))).toBe(0);
        expect(percentOf(null, usd('1.00'))).toBe(0);
    });

    it('knows zero in any notation', () => {
        expect(isZero(usd('0.00'))).toBe(true);
        expect(isZero(usd('-0.0'))).toBe(true);
        expect(isZero(usd('0.01'))).toBe(false);
        expect(isZero(null)).toBe(false);
    });

    it('adds money of one currency exactly, and refuses to mix currencies', () => {
        expect(sumMoney([usd('0.10'), usd('0.20')])).toEqual(usd('0.30'));
        expect(sumMoney([usd('11962.00'), usd('0.00'), usd('11988.00')])).toEqual(usd('23950.00'));
        expect(sumMoney([usd('1.5'), usd('-2.25')])).toEqual(usd('-0.75'));
        expect(sumMoney([usd('7'), usd('8')])).toEqual(usd('15'));
        expect(sumMoney([usd('1.00'), { amount: '1.00', currency: 'EUR' }])).toBeNull();
        expect(sumMoney([])).toBeNull();
    });

    it('orders money exactly, whatever the number of decimals', () => {
        expect(compareMoney(usd('0.30'), usd('0.3'))).toBe(0);
        expect(compareMoney(usd('20250.50'), usd('20250.49'))).toBe(1);
        expect(compareMoney(usd('9007199254740993.01'), usd('9007199254740993.02'))).toBe(-1);
        expect(compareMoney(usd('-1'), usd('0'))).toBe(-1);
        expect(compareMoney(null, usd('0'))).toBe(-1);
        expect(compareMoney(null, null)).toBe(0);
    });

    it('finds the largest amount of one currency, and refuses to compare currencies', () => {
        expect(maxMoney([usd('7300.00'), usd('42000.00'), null, usd('18250.50')])).toEqual(usd('42000.00'));
        expect(maxMoney([usd('0'), usd('0.00')])).toEqual(usd('0'));
        expect(maxMoney([usd('1.00'), { amount: '2.00', currency: 'EUR' }])).toBeNull();
        expect(maxMoney([])).toBeNull();
    });

    it('writes money as text in its own currency', () => {
        expect(formatMoney(usd('67550.50'), 'en-US')).toBe('$67,550.50');
        expect(formatMoney({ amount: '9500.00', currency: 'EUR' }, 'en-US')).toBe('€9,500.00');
        expect(formatMoney({ amount: '1500', currency: 'JPY' }, 'en-US')).toBe('¥1,500');
        expect(formatMoney(null, 'en-US')).toBe('');
    });

    it('colours statuses: overdue and failed red, paid and booked green', () => {
        expect(invoiceStatusClass('Overdue')).toBe('slds-theme_error');
        expect(invoiceStatusClass('Paid')).toBe('slds-theme_success');
        expect(invoiceStatusClass('Unknown')).toBe('');
        expect(bookingStatusClass('Failed')).toBe('slds-theme_error');
        expect(bookingStatusClass('Booked')).toBe('slds-theme_success');
        expect(bookingStatusClass('Credit Hold')).toBe('slds-theme_warning');
    });
});
