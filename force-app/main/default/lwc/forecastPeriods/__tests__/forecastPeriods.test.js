import {
    convertRange,
    currentPeriod,
    defaultRange,
    isPeriod,
    periodLabel,
    periodOptions,
    shiftPeriod,
} from 'c/forecastPeriods';

// 21 November 2026, local time: in Q4.
const TODAY = new Date(2026, 10, 21, 9, 30);

describe('forecastPeriods', () => {
    it('names the current month and quarter as the backend does', () => {
        expect(currentPeriod('month', TODAY)).toBe('2026-11');
        expect(currentPeriod('quarter', TODAY)).toBe('2026-Q4');
        expect(currentPeriod('month', new Date(2027, 0, 1))).toBe('2027-01');
        expect(currentPeriod('quarter', new Date(2027, 2, 31))).toBe('2027-Q1');
    });

    it('knows a period of its grain from anything else', () => {
        expect(isPeriod('2026-07', 'month')).toBe(true);
        expect(isPeriod('2026-Q3', 'quarter')).toBe(true);
        expect(isPeriod('2026-13', 'month')).toBe(false);
        expect(isPeriod('2026-Q3', 'month')).toBe(false);
        expect(isPeriod('2026-07', 'quarter')).toBe(false);
        expect(isPeriod(undefined, 'month')).toBe(false);
    });

    it('moves across year ends', () => {
        expect(shiftPeriod('2026-01', 'month', -1)).toBe('2025-12');
        expect(shiftPeriod('2025-12', 'month', 13)).toBe('2027-01');
        expect(shiftPeriod('2026-Q1', 'quarter', -1)).toBe('2025-Q4');
        expect(shiftPeriod('2026-Q4', 'quarter', 1)).toBe('2027-Q1');
        expect(shiftPeriod('July', 'month', 1)).toBeNull();
    });

    it('starts with the last periods up to the current one', () => {
        expect(defaultRange('month', 6, TODAY)).toEqual({ fromPeriod: '2026-06', toPeriod: '2026-11' });
        expect(defaultRange('quarter', 4, TODAY)).toEqual({ fromPeriod: '2026-Q1', toPeriod: '2026-Q4' });
        expect(defaultRange('month', 0, TODAY)).toEqual({ fromPeriod: '2026-11', toPeriod: '2026-11' });
    });

    it('labels periods like the backend does', () => {
        expect(periodLabel('2026-07', 'month', 'en-US')).toBe('Jul 2026');
        expect(periodLabel('2026-Q3', 'quarter', 'en-US')).toBe('Q3 2026');
        expect(periodLabel('junk', 'month', 'en-US')).toBe('junk');
    });

    it('offers three years back and one ahead, oldest first', () => {
        const months = periodOptions('month', 'en-US', TODAY);
        expect(months).toHaveLength(49);
        expect(months[0]).toEqual({ label: 'Nov 2023', value: '2023-11' });
        expect(months[48]).toEqual({ label: 'Nov 2027', value: '2027-11' });
        const quarters = periodOptions('quarter', 'en-US', TODAY);
        expect(quarters.map((o) => o.value).slice(0, 2)).toEqual(['2023-Q4', '2024-Q1']);
        expect(quarters).toHaveLength(17);
    });

    it('keeps a chosen period that lies outside the usual reach', () => {
        const months = periodOptions('month', 'en-US', TODAY, ['2020-01', 'not a period']);
        expect(months[0].value).toBe('2020-01');
        expect(months).toHaveLength(50);
    });

    it('turns a month range into the quarters that hold it, and back into whole quarters', () => {
        expect(convertRange({ fromPeriod: '2026-05', toPeriod: '2026-08' }, 'month', 'quarter')).toEqual({
            fromPeriod: '2026-Q2',
            toPeriod: '2026-Q3',
        });
        expect(convertRange({ fromPeriod: '2026-Q2', toPeriod: '2026-Q3' }, 'quarter', 'month')).toEqual({
            fromPeriod: '2026-04',
            toPeriod: '2026-09',
        });
        expect(convertRange({ fromPeriod: '2026-05', toPeriod: '2026-08' }, 'month', 'month')).toEqual({
            fromPeriod: '2026-05',
            toPeriod: '2026-08',
        });
    });
});
