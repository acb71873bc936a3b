import { createElement } from 'lwc';
import ForecastChart from 'c/forecastChart';

const BY_PERIOD = require('@contract/forecastVsActual.period.json');

/** The USD columns of the period example, as the container hands them over. */
function usdColumns() {
    return BY_PERIOD.groups
        .filter((g) => g.currency === 'USD')
        .map(({ key, label, pipeline, booked, invoiced, paid }) => ({ key, label, pipeline, booked, invoiced, paid }));
}

function mount(props) {
    const element = createElement('c-forecast-chart', { is: ForecastChart });
    Object.assign(element, { currency: 'USD', axisLabel: 'Period', ...props });
    document.body.appendChild(element);
    return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => Array.from(element.shadowRoot.querySelectorAll(selector));
/** The visible text of a column label (its <title> holds the full label, for a tooltip). */
const labelText = (text) => text.lastChild.textContent.trim();
const heightOf = (element, column, series) =>
    Number($(element, `g[data-column="${column}"] rect[data-series="${series}"]`).getAttribute('height'));

describe('c-forecast-chart', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('draws four bars per period, pipeline → booked → invoiced → paid, with a legend in that order', async () => {
        const element = mount({ columns: usdColumns() });
        await Promise.resolve();

        const groups = $$(element, 'svg g');
        expect(groups.map((g) => g.dataset.column)).toEqual(['2026-07', '2026-08', '2026-09']);
        for (const group of groups) {
            expect(Array.from(group.querySelectorAll('rect')).map((r) => r.dataset.series)).toEqual([
                'pipeline',
                'booked',
                'invoiced',
                'paid',
            ]);
        }
        expect($$(element, '.legend li').map((li) => li.textContent.trim())).toEqual([
            'Pipeline (open)',
            'Booked',
            'Invoiced',
            'Paid',
        ]);
        expect($$(element, 'svg text').map(labelText)).toEqual(['Jul 2026', 'Aug 2026', 'Sep 2026']);
    });

    it('scales every bar to the largest amount, exactly', async () => {
        const element = mount({ columns: usdColumns() });
        await Promise.resolve();

        // Sep's open pipeline (61,200.00) is the largest: full height, 160 units.
        expect(heightOf(element, '2026-09', 'pipeline')).toBe(160);
        // Jul booked 42,000.00 of 61,200.00: 68.6 % → 109.76 units.
        expect(heightOf(element, '2026-07', 'booked')).toBeCloseTo(109.76, 5);
        // Nothing open in July, nothing invoiced in September: no bar.
        expect(heightOf(element, '2026-07', 'pipeline')).toBe(0);
        expect(heightOf(element, '2026-09', 'invoiced')).toBe(0);
        const bar = $(element, 'g[data-column="2026-09"] rect[data-series="pipeline"]');
        expect(Number(bar.getAttribute('y')) + 160).toBe(164);
    });

    it('keeps its size in pixels however many columns, so labels stay readable', async () => {
        const months = Array.from({ length: 36 }, (_, i) => ({ ...usdColumns()[0], key: `m${i}`, label: `M${i}` }));
        const element = mount({ columns: months });
        await Promise.resolve();

        const svg = $(element, 'svg');
        // 36 groups of four 14 px bars, 2 px apart, 24 px between groups.
        expect(svg.getAttribute('width')).toBe(String(36 * 86));
        expect(svg.getAttribute('viewBox')).toBe(`0 0 ${36 * 86} 188`);
        expect($(element, '.chart-scroll').getAttribute('tabindex')).toBe('0');
    });

    it('is an image with a summary of the totals in its one currency', async () => {
        const element = mount({ columns: usdColumns() });
        await Promise.resolve();

        const svg = $(element, 'svg');
        expect(svg.getAttribute('role')).toBe('img');
        expect(svg.getAttribute('aria-label')).toBe(
            'Bar chart in USD, Jul 2026 to Sep 2026. In all: pipeline (open) $76,200.00, booked $67,550.50, ' +
                'invoiced $60,250.50, paid $43,250.50. The figures for each period are in the table below the chart.',
        );
        await expect(element).toBeAccessible();
    });

    it('gives the figures as a table behind a disclosure, each amount in its currency', async () => {
        const element = mount({ columns: usdColumns(), axisLabel: 'Owner' });
        await Promise.resolve();

        expect($(element, 'details summary').textContent).toBe("Show the chart's figures as a table");
        expect($$(element, 'details thead th').map((th) => th.textContent)).toEqual([
            'Owner',
            'Pipeline (open)',
            'Booked',
            'Invoiced',
            'Paid',
        ]);
        const paid = $(element, 'details tr[data-column="2026-08"] td[data-series="paid"] lightning-formatted-number');
        expect(paid.value).toBe('7250.50');
        expect(paid.currencyCode).toBe('USD');
        expect(paid.formatStyle).toBe('currency');
        expect($(element, 'svg').getAttribute('aria-label')).toContain('for each owner');
    });

    it('draws columns with no key (no lead source) and long labels shortened', async () => {
        const zero = { amount: '0.00', currency: 'USD' };
        const column = { pipeline: zero, booked: { amount: '5.00', currency: 'USD' }, invoiced: zero, paid: zero };
        const element = mount({
            columns: [
                { ...column, key: null, label: 'No lead source' },
                { ...column, key: 'Partner Referral', label: 'Partner Referral' },
            ],
        });
        await Promise.resolve();

        expect($$(element, 'svg text').map(labelText)).toEqual(['No lead sou…', 'Partner Ref…']);
        expect($$(element, 'svg text title').map((t) => t.textContent)).toEqual(['No lead source', 'Partner Referral']);
        expect($$(element, 'details tbody th').map((th) => th.textContent)).toEqual([
            'No lead source',
            'Partner Referral',
        ]);
    });

    it('says when there is nothing to draw', async () => {
        const element = mount({ columns: [] });
        await Promise.resolve();

        expect($(element, 'svg').getAttribute('aria-label')).toBe('No figures in USD.');
        expect($$(element, 'svg rect')).toHaveLength(0);
    });
});
