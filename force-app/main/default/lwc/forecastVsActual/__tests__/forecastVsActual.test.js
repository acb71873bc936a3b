import { createElement } from 'lwc';
import ForecastVsActual from 'c/forecastVsActual';
import getForecast from '@salesforce/apex/ForecastController.getForecast';

// The backend's own examples: the same files the server's tests check against its schema.
const BY_PERIOD = require('@contract/forecastVsActual.period.json');
const BY_OWNER = require('@contract/forecastVsActual.owner.json');
const BY_LEAD_SOURCE = require('@contract/forecastVsActual.leadSource.json');
const EMPTY = require('@contract/forecastVsActual.empty.json');

jest.mock(
    '@salesforce/apex/ForecastController.getForecast',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/wire-service-jest-util');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true },
);

const APEX_ERROR = {
    body: { message: 'to: a range can span at most 36 months' },
    status: 400,
    statusText: 'Bad Request',
};

// 21 November 2026: only Date is faked, so the component's microtasks run as usual.
const TODAY = new Date(2026, 10, 21, 9, 30);

function clone(value) {
    return JSON.parse(JSON.stringify(value));
}

function mount(props = {}) {
    const element = createElement('c-forecast-vs-actual', { is: ForecastVsActual });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

const flush = () => Promise.resolve().then(() => Promise.resolve());
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const inChild = (element, child, selector) => Array.from($(element, child).shadowRoot.querySelectorAll(selector));
/** Every formatted amount on screen, in the chart's figures and in the table. */
const amounts = (element) =>
    [
        ...inChild(element, 'c-forecast-chart', 'lightning-formatted-number'),
        ...inChild(element, 'c-forecast-table', 'td lightning-formatted-number'),
    ]
        .filter((n) => n.formatStyle === 'currency')
        .map((n) => ({ value: n.value, currency: n.currencyCode }));
const tableLabels = (element) => inChild(element, 'c-forecast-table', 'tbody th').map((th) => th.textContent.trim());

function change(element, selector, detail) {
    $(element, selector).dispatchEvent(new CustomEvent('change', { detail }));
}

async function showing(forecast, props) {
    const element = mount(props);
    getForecast.emit(clone(forecast));
    await flush();
    return element;
}

describe('c-forecast-vs-actual', () => {
    beforeEach(() => {
        jest.useFakeTimers({
            now: TODAY,
            doNotFake: [
                'nextTick',
                'queueMicrotask',
                'setImmediate',
                'clearImmediate',
                'setTimeout',
                'clearTimeout',
                'setInterval',
                'clearInterval',
            ],
        });
    });

    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.useRealTimers();
    });

    it('shows a spinner until the forecast arrives', async () => {
        const element = mount();
        await flush();

        expect($(element, '.loading lightning-spinner')).not.toBeNull();
        expect($(element, 'c-forecast-chart')).toBeNull();
        expect($(element, 'c-error-panel')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('asks Apex for the last six months by period by default', async () => {
        mount();
        await flush();

        expect(getForecast.getLastConfig()).toEqual({
            fromPeriod: '2026-06',
            toPeriod: '2026-11',
            grain: 'month',
            groupBy: 'period',
            ownerId: null,
            leadSource: null,
            convertCurrency: false,
        });
    });

    it('starts from the App Builder settings', async () => {
        const element = mount({ defaultGrain: 'quarter', defaultGroupBy: 'leadSource', periodCount: 4 });
        await flush();

        expect(getForecast.getLastConfig()).toMatchObject({
            fromPeriod: '2026-Q1',
            toPeriod: '2026-Q4',
            grain: 'quarter',
            groupBy: 'leadSource',
        });
        expect($(element, '.grain').value).toBe('quarter');
        expect($(element, '.group-by').value).toBe('leadSource');
        const quarters = $(element, '.from').options.map((o) => o.value);
        expect(quarters).toContain('2026-Q1');
        expect(quarters.every((q) => /^\d{4}-Q[1-4]$/.test(q))).toBe(true);
    });

    it('falls back to sane settings when App Builder holds odd ones', async () => {
        mount({ defaultGrain: 'week', defaultGroupBy: 'stage', periodCount: 500 });
        await flush();

        expect(getForecast.getLastConfig()).toMatchObject({
            fromPeriod: '2023-12',
            toPeriod: '2026-11',
            grain: 'month',
            groupBy: 'period',
        });
    });

    it('renders the chart per period and the table from the backend answer', async () => {
        const element = await showing(BY_PERIOD);

        const chart = $(element, 'c-forecast-chart');
        expect(chart.columns.map((c) => c.label)).toEqual(['Jul 2026', 'Aug 2026', 'Sep 2026']);
        expect(chart.columns[0].booked).toEqual({ amount: '42000.00', currency: 'USD' });
        expect(chart.axisLabel).toBe('Period');
        expect(inChild(element, 'c-forecast-chart', 'svg g')).toHaveLength(3);
        expect(tableLabels(element)).toEqual(['Jul 2026', 'Aug 2026', 'Sep 2026']);
        expect($(element, '.range').textContent).toContain('Deals that close from Jul 2026 to Sep 2026, in USD.');
        expect($(element, '.deals-as-of lightning-formatted-date-time').value).toBe('2026-11-21T09:14:05.000Z');
        await expect(element).toBeAccessible();
    });

    it('fills periods with no deals with zero, so the chart keeps its axis', async () => {
        const oneMonth = clone(BY_PERIOD);
        oneMonth.groups = oneMonth.groups.filter((g) => g.key === '2026-08');
        oneMonth.currencies = ['USD'];
        const element = await showing(oneMonth);

        const columns = $(element, 'c-forecast-chart').columns;
        expect(columns.map((c) => c.key)).toEqual(['2026-07', '2026-08', '2026-09']);
        expect(columns[0].paid).toEqual({ amount: '0', currency: 'USD' });
        expect(columns[1].paid).toEqual({ amount: '7250.50', currency: 'USD' });
        expect($(element, '.currency-picker')).toBeNull();
    });

    it('shows one currency at a time and never adds currencies together', async () => {
        const element = await showing(BY_PERIOD);

        const picker = $(element, '.currency-picker');
        expect(picker.options.map((o) => o.value)).toEqual(['EUR', 'USD']);
        // The user's currency (USD here) first.
        expect(picker.value).toBe('USD');
        expect(amounts(element).every((a) => a.currency === 'USD')).toBe(true);
        expect($(element, '.other-currencies').textContent).toContain('Deals in EUR are shown separately');
        // July: 42,000.00 USD and 9,500.00 EUR booked. 51,500 in any form would be a sum of two currencies.
        const everything = [
            ...amounts(element).map((a) => a.value),
            inChild(element, 'c-forecast-chart', 'svg')[0].getAttribute('aria-label'),
        ].join(' ');
        expect(everything).not.toMatch(/51,?500/);

        change(element, '.currency-picker', { value: 'EUR' });
        await flush();

        expect(tableLabels(element)).toEqual(['Jul 2026']);
        expect(amounts(element).every((a) => a.currency === 'EUR')).toBe(true);
        expect($(element, 'c-forecast-chart').columns[0].booked).toEqual({ amount: '9500.00', currency: 'EUR' });
        expect($(element, '.range').textContent).toContain('in EUR.');
        expect(getForecast.getLastConfig().convertCurrency).toBe(false);
        await expect(element).toBeAccessible();
    });

    it("keeps a rep's deals in two currencies as two figures", async () => {
        const element = await showing(BY_OWNER);

        expect(tableLabels(element)).toEqual(['Dana Reyes', 'Sam Okafor']);
        const usdBooked = amounts(element).map((a) => a.value);
        expect(usdBooked).toContain('52300.00');
        expect(usdBooked).not.toContain('9500.00');
        // Dana booked 52,300.00 USD and 9,500.00 EUR: 61,800 would be a cross-currency sum.
        expect(usdBooked.join(' ')).not.toMatch(/61,?800/);

        change(element, '.currency-picker', { value: 'EUR' });
        await flush();
        expect(tableLabels(element)).toEqual(['Dana Reyes']);
        expect(amounts(element).map((a) => a.value)).toContain('9500.00');
        expect(amounts(element).every((a) => a.currency === 'EUR')).toBe(true);
    });

    it('says which stored rates converted the amounts', async () => {
        const converted = clone(BY_LEAD_SOURCE);
        converted.conversion = { currency: 'USD', rates: [{ currency: 'EUR', rate: '0.9200' }] };
        const element = await showing(converted);

        expect($(element, '.currency-picker')).toBeNull();
        expect($(element, '.conversion').textContent).toBe(
            ' Converted to USD at the rates stored in Salesforce: 1 USD = 0.9200 EUR.',
        );
        expect($(element, '.other-currencies')).toBeNull();
    });

    it('shows the empty state when no deal closed in the range', async () => {
        const element = await showing(EMPTY);

        expect($(element, '.empty').textContent).toContain('No deals closed in this range');
        expect($(element, '.empty').textContent).toContain('Deals that close from Jul 2026 to Sep 2026: none found.');
        expect($(element, 'c-forecast-chart')).toBeNull();
        expect($(element, 'c-forecast-table')).toBeNull();
        expect($(element, '.deals-as-of').textContent).toContain('not yet');
        await expect(element).toBeAccessible();
    });

    it('shows the error panel with the readable Apex message, and keeps the pickers', async () => {
        const element = mount();
        getForecast.error(APEX_ERROR.body, APEX_ERROR.status, APEX_ERROR.statusText);
        await flush();

        const panel = $(element, 'c-error-panel');
        expect(panel.friendlyMessage).toBe('Closeloop could not load the forecast.');
        expect(panel.errors.body.message).toBe(APEX_ERROR.body.message);
        expect($(element, 'c-forecast-chart')).toBeNull();
        expect($(element, '.from')).not.toBeNull();
        await expect(element).toBeAccessible();
    });

    it('tries again after an error when a picker changes', async () => {
        const element = mount();
        getForecast.error(APEX_ERROR.body, APEX_ERROR.status, APEX_ERROR.statusText);
        await flush();

        change(element, '.to', { value: '2026-09' });
        await flush();
        expect($(element, 'c-error-panel')).toBeNull();
        expect($(element, '.loading lightning-spinner')).not.toBeNull();

        getForecast.emit(clone(BY_PERIOD));
        await flush();
        expect($(element, '.loading')).toBeNull();
        expect($(element, 'c-forecast-chart')).not.toBeNull();
    });

    it('asks again when a picker changes, and shows a spinner until the answer', async () => {
        const element = await showing(BY_PERIOD);
        expect($(element, '.reloading')).toBeNull();

        change(element, '.group-by', { value: 'owner' });
        await flush();
        expect(getForecast.getLastConfig()).toMatchObject({
            groupBy: 'owner',
            fromPeriod: '2026-06',
            toPeriod: '2026-11',
        });
        expect($(element, '.reloading')).not.toBeNull();

        getForecast.emit(clone(BY_OWNER));
        await flush();
        expect($(element, '.reloading')).toBeNull();
        expect($(element, 'c-forecast-table').groupBy).toBe('owner');

        change(element, '.from', { value: '2026-09' });
        await flush();
        expect(getForecast.getLastConfig()).toMatchObject({ fromPeriod: '2026-09', toPeriod: '2026-11' });

        change(element, '.convert', { checked: true });
        await flush();
        expect(getForecast.getLastConfig().convertCurrency).toBe(true);
    });

    it('keeps the range in order: an end before the start moves the start', async () => {
        const element = await showing(BY_PERIOD);

        change(element, '.to', { value: '2026-03' });
        await flush();
        expect(getForecast.getLastConfig()).toMatchObject({ fromPeriod: '2026-03', toPeriod: '2026-03' });

        change(element, '.from', { value: '2026-05' });
        await flush();
        expect(getForecast.getLastConfig()).toMatchObject({ fromPeriod: '2026-05', toPeriod: '2026-05' });
    });

    it('moves the range to quarters and back when the grain changes', async () => {
        const element = await showing(BY_PERIOD);

        change(element, '.grain', { value: 'quarter' });
        await flush();
        expect(getForecast.getLastConfig()).toMatchObject({
            grain: 'quarter',
            fromPeriod: '2026-Q2',
            toPeriod: '2026-Q4',
        });
        expect($(element, '.to').options.every((o) => o.value.includes('-Q'))).toBe(true);

        change(element, '.grain', { value: 'month' });
        await flush();
        expect(getForecast.getLastConfig()).toMatchObject({
            grain: 'month',
            fromPeriod: '2026-04',
            toPeriod: '2026-12',
        });
    });

    it('opens a rep by period and back to everyone', async () => {
        const element = await showing(BY_OWNER);

        $(element, 'c-forecast-table').dispatchEvent(
            new CustomEvent('drilldown', {
                detail: { groupBy: 'owner', key: '005000000000001AAA', label: 'Dana Reyes' },
            }),
        );
        await flush();
        expect(getForecast.getLastConfig()).toMatchObject({
            groupBy: 'period',
            ownerId: '005000000000001AAA',
            leadSource: null,
        });
        expect($(element, '.filter').label).toBe('Owner: Dana Reyes');

        $(element, '.filter').dispatchEvent(new CustomEvent('remove'));
        await flush();
        expect(getForecast.getLastConfig()).toMatchObject({ ownerId: null, leadSource: null });
        expect($(element, '.filter')).toBeNull();
    });

    it('sorts the table and highlights overdue money', async () => {
        const element = await showing(BY_LEAD_SOURCE);
        expect(tableLabels(element)).toEqual(['Partner Referral', 'Web', 'No lead source']);

        inChild(element, 'c-forecast-table', 'th button[data-column="overdue"]')[0].click();
        await flush();

        expect(tableLabels(element)).toEqual(['Web', 'Partner Referral', 'No lead source']);
        const overdue = inChild(element, 'c-forecast-table', 'tr[data-key="Web"] td[data-column="overdue"]')[0];
        expect(overdue.classList).toContain('slds-text-color_error');
        await expect(element).toBeAccessible();
    });
});
