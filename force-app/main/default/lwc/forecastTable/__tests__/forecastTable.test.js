import { createElement } from 'lwc';
import ForecastTable from 'c/forecastTable';

const BY_OWNER = require('@contract/forecastVsActual.owner.json');
const BY_LEAD_SOURCE = require('@contract/forecastVsActual.leadSource.json');
const BY_PERIOD = require('@contract/forecastVsActual.period.json');

const usd = (forecast) => forecast.groups.filter((g) => g.currency === 'USD');

function mount(rows, groupBy) {
    const element = createElement('c-forecast-table', { is: ForecastTable });
    Object.assign(element, { rows, groupBy });
    document.body.appendChild(element);
    return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => Array.from(element.shadowRoot.querySelectorAll(selector));
const rowLabels = (element) => $$(element, 'tbody th').map((th) => th.textContent.trim());
const header = (element, column) => $(element, `th button[data-column="${column}"]`).parentElement;
const cellOf = (element, key, column) => $(element, `tbody tr[data-key="${key}"] td[data-column="${column}"]`);

async function sortBy(element, column) {
    $(element, `th button[data-column="${column}"]`).click();
    await Promise.resolve();
}

describe('c-forecast-table', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('shows one row per lead source with the ratios, paid on time included', async () => {
        const element = mount(BY_LEAD_SOURCE.groups, 'leadSource');
        await Promise.resolve();

        expect(rowLabels(element)).toEqual(['Partner Referral', 'Web', 'No lead source']);
        expect($$(element, 'thead th').map((th) => th.textContent.trim())).toEqual([
            'Lead source',
            'Booked',
            'Invoiced',
            'Invoiced of booked',
            'Paid',
            'Collection rate',
            'Open receivable',
            'Overdue',
            'DSO (days)',
            'Close → invoice (days)',
            'Invoice → payment (days)',
            'Paid on time',
        ]);
        const paid = cellOf(element, 'Web', 'paid').querySelector('lightning-formatted-number');
        expect(paid.value).toBe('7250.50');
        expect(paid.currencyCode).toBe('USD');
        const rate = cellOf(element, 'Web', 'collectionRate').querySelector('lightning-formatted-number');
        expect(rate.value).toBe(0.358);
        expect(rate.formatStyle).toBe('percent');
        expect(cellOf(element, 'Web', 'paidOnTimeRate').querySelector('lightning-formatted-number').value).toBe(0.5);
        expect(cellOf(element, 'Web', 'dso').querySelector('lightning-formatted-number').value).toBe(58.8);
        await expect(element).toBeAccessible();
    });

    it('shows "—" where nothing was measured', async () => {
        const element = mount(BY_LEAD_SOURCE.groups, 'leadSource');
        await Promise.resolve();

        const noSource = $$(element, 'tbody tr')[2];
        const rate = noSource.querySelector('td[data-column="collectionRate"]');
        expect(rate.querySelector('lightning-formatted-number')).toBeNull();
        expect(rate.querySelector('[aria-hidden="true"]').textContent).toBe('—');
        expect(rate.querySelector('.slds-assistive-text').textContent).toBe('Not measured');
        // Zero is a figure, not a missing one.
        expect(noSource.querySelector('td[data-column="bookedToInvoiced"] lightning-formatted-number').value).toBe(0);
        expect(noSource.querySelector('td[data-column="overdue"] lightning-formatted-number').value).toBe('0.00');
    });

    it('highlights overdue amounts above zero in red, and only those', async () => {
        const element = mount(BY_LEAD_SOURCE.groups, 'leadSource');
        await Promise.resolve();

        const web = cellOf(element, 'Web', 'overdue');
        expect(web.classList).toContain('slds-text-color_error');
        expect(web.classList).toContain('overdue');
        expect(web.querySelector('lightning-formatted-number').value).toBe('6000.00');
        expect(cellOf(element, 'Partner Referral', 'overdue').classList).not.toContain('slds-text-color_error');
        expect(cellOf(element, 'Web', 'openReceivable').classList).not.toContain('slds-text-color_error');
    });

    it('leaves out paid on time for reps and periods', async () => {
        const element = mount(usd(BY_OWNER), 'owner');
        await Promise.resolve();

        const headers = $$(element, 'thead th').map((th) => th.textContent.trim());
        expect(headers[0]).toBe('Owner');
        expect(headers).not.toContain('Paid on time');
        expect($(element, 'td[data-column="paidOnTimeRate"]')).toBeNull();
    });

    it('sorts money exactly by a click on its header, biggest first, then reversed', async () => {
        const element = mount(BY_LEAD_SOURCE.groups, 'leadSource');
        await Promise.resolve();
        expect(header(element, 'booked').getAttribute('aria-sort')).toBe('none');

        await sortBy(element, 'paid');
        expect(rowLabels(element)).toEqual(['Partner Referral', 'Web', 'No lead source']);
        expect(header(element, 'paid').getAttribute('aria-sort')).toBe('descending');

        await sortBy(element, 'paid');
        expect(rowLabels(element)).toEqual(['No lead source', 'Web', 'Partner Referral']);
        expect(header(element, 'paid').getAttribute('aria-sort')).toBe('ascending');

        await sortBy(element, 'overdue');
        expect(rowLabels(element)[0]).toBe('Web');
        expect(header(element, 'paid').getAttribute('aria-sort')).toBe('none');
        expect(header(element, 'overdue').getAttribute('aria-sort')).toBe('descending');
    });

    it('sorts ratios with the unmeasured rows last, whichever the direction', async () => {
        const element = mount(BY_LEAD_SOURCE.groups, 'leadSource');
        await Promise.resolve();

        await sortBy(element, 'collectionRate');
        expect(rowLabels(element)).toEqual(['Partner Referral', 'Web', 'No lead source']);
        await sortBy(element, 'collectionRate');
        expect(rowLabels(element)).toEqual(['Web', 'Partner Referral', 'No lead source']);
        await expect(element).toBeAccessible();
    });

    it('sorts reps by name and periods by date', async () => {
        const owners = mount([...usd(BY_OWNER)].reverse(), 'owner');
        await Promise.resolve();
        expect(rowLabels(owners)).toEqual(['Sam Okafor', 'Dana Reyes']);
        await sortBy(owners, 'label');
        expect(rowLabels(owners)).toEqual(['Dana Reyes', 'Sam Okafor']);

        const periods = mount([...usd(BY_PERIOD)].reverse(), 'period');
        await Promise.resolve();
        await sortBy(periods, 'label');
        expect(rowLabels(periods)).toEqual(['Jul 2026', 'Aug 2026', 'Sep 2026']);
        await sortBy(periods, 'label');
        expect(rowLabels(periods)).toEqual(['Sep 2026', 'Aug 2026', 'Jul 2026']);
    });

    it('opens a rep by period', async () => {
        const element = mount(usd(BY_OWNER), 'owner');
        const handler = jest.fn();
        element.addEventListener('drilldown', handler);
        await Promise.resolve();

        const dana = $(element, 'tbody tr[data-key="005000000000001AAA"] button.drilldown');
        expect(dana.title).toBe('Show Dana Reyes by period');
        dana.click();

        expect(handler).toHaveBeenCalledTimes(1);
        expect(handler.mock.calls[0][0].detail).toEqual({
            groupBy: 'owner',
            key: '005000000000001AAA',
            label: 'Dana Reyes',
        });
    });

    it('offers no drill-down for periods or for deals with no lead source', async () => {
        const periods = mount(usd(BY_PERIOD), 'period');
        const sources = mount(BY_LEAD_SOURCE.groups, 'leadSource');
        await Promise.resolve();

        expect($$(periods, 'button.drilldown')).toHaveLength(0);
        expect($$(sources, 'button.drilldown').map((b) => b.dataset.key)).toEqual(['Partner Referral', 'Web']);
    });
});
