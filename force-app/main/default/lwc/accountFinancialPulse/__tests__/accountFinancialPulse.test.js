import { createElement } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import AccountFinancialPulse from 'c/accountFinancialPulse';
import getPulse from '@salesforce/apex/AccountPulseController.getPulse';
import refreshPulse from '@salesforce/apex/AccountPulseController.refreshPulse';

// The backend's own examples: the same files the server's tests check against its schemas.
const LINKED = require('@contract/accountPulse.json');
const UNLINKED = require('@contract/accountPulse.unlinked.json');
const STALE = require('@contract/accountPulse.stale.json');

jest.mock(
    '@salesforce/apex/AccountPulseController.getPulse',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/wire-service-jest-util');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true },
);
jest.mock('@salesforce/apex/AccountPulseController.refreshPulse', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

const APEX_ERROR = {
    body: { message: "Closeloop's server had a problem (HTTP 503). Try again in a minute." },
    ok: false,
    status: 500,
    statusText: 'Server Error',
};

function clone(value) {
    return JSON.parse(JSON.stringify(value));
}

function mount(props = {}) {
    const element = createElement('c-account-financial-pulse', { is: AccountFinancialPulse });
    Object.assign(element, { recordId: LINKED.accountId, ...props });
    document.body.appendChild(element);
    return element;
}

const flush = () => Promise.resolve().then(() => Promise.resolve());
/** Lets every pending promise of the component settle (the refresh awaits Apex, then the cache). */
async function settle() {
    for (let i = 0; i < 10; i += 1) {
        // eslint-disable-next-line no-await-in-loop
        await Promise.resolve();
    }
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => Array.from(element.shadowRoot.querySelectorAll(selector));

describe('c-account-financial-pulse', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        refreshPulse.mockReset();
        refreshApex.mockReset();
        refreshApex.mockImplementation(() => Promise.resolve());
    });

    it('shows a spinner until the pulse arrives', async () => {
        const element = mount();
        await flush();

        expect($(element, '.loading lightning-spinner')).not.toBeNull();
        expect($(element, 'c-error-panel')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('asks Apex for this account with the App Builder row counts', async () => {
        mount({ invoicesToShow: 3, paymentsToShow: 2 });
        await flush();

        expect(getPulse.getLastConfig()).toEqual({ accountId: LINKED.accountId, invoicesLimit: 3, paymentsLimit: 2 });
    });

    it('shows the key figures in the currency each amount carries', async () => {
        const element = mount();
        getPulse.emit(clone(LINKED));
        await flush();

        const outstanding = $(element, '.outstanding lightning-formatted-number');
        expect(outstanding.value).toBe('23950.00');
        expect(outstanding.currencyCode).toBe('USD');
        expect(outstanding.formatStyle).toBe('currency');

        const overdue = $(element, '[data-id="overdue"]');
        expect(overdue.classList).toContain('slds-text-color_error');
        expect(overdue.querySelector('lightning-formatted-number').value).toBe('11988.00');

        expect($(element, '.available-credit lightning-formatted-number').value).toBe('26050.00');
        expect($(element, '.credit-limit').value).toBe('50000.00');
        expect($(element, '.last-payment lightning-formatted-date-time').value).toBe('2026-11-14');
        expect($(element, '.last-payment lightning-formatted-date-time').timeZone).toBe('UTC');
        expect($(element, '.dso lightning-formatted-number').value).toBe(41.5);
        expect($(element, '.as-of lightning-formatted-date-time').value).toBe('2026-11-21T23:58:12.000Z');
        expect($(element, '.credit-hold')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('draws credit used against the limit from the decimal strings', async () => {
        const element = mount();
        getPulse.emit(clone(LINKED));
        await flush();

        // 50,000.00 limit, 26,050.00 available: 47.9 % used.
        const bar = $(element, '.credit-bar');
        expect(bar.getAttribute('aria-valuenow')).toBe('47.9');
        expect(bar.getAttribute('aria-label')).toBe('47.9% of the credit limit used');
        expect($(element, '.credit-used').style.width).toBe('47.9%');
    });

    it('shows the credit hold badge and a red bar when the customer is over its limit', async () => {
        const held = clone(LINKED);
        held.summary.creditHold = true;
        held.summary.availableCredit = { amount: '-1200.00', currency: 'USD' };
        const element = mount();
        getPulse.emit(held);
        await flush();

        const badge = $(element, '.credit-hold');
        expect(badge.label).toBe('Credit hold');
        expect(badge.classList).toContain('slds-theme_error');
        expect($(element, '.credit-bar').getAttribute('aria-valuenow')).toBe('100');
        expect($(element, '.credit-used').classList).toContain('credit-used_high');
    });

    it('says so when the ERP sets no credit limit, and when nothing is overdue', async () => {
        const noLimit = clone(LINKED);
        noLimit.summary.creditLimit = null;
        noLimit.summary.availableCredit = null;
        noLimit.summary.overdue = { amount: '0.00', currency: 'USD' };
        noLimit.summary.dso = null;
        noLimit.summary.lastPaymentDate = null;
        const element = mount();
        getPulse.emit(noLimit);
        await flush();

        expect($(element, '.no-limit').textContent).toBe('No credit limit in the ERP.');
        expect($(element, '.credit-bar')).toBeNull();
        expect($(element, '[data-id="overdue"]').classList).not.toContain('slds-text-color_error');
        expect($(element, '.dso').textContent).toContain('Not enough sales');
        expect($(element, '.last-payment').textContent).toContain('None yet');
    });

    it('passes aging, invoices and payments to the lists', async () => {
        const element = mount();
        getPulse.emit(clone(LINKED));
        await flush();

        expect($(element, 'c-aging-bar').aging).toEqual(LINKED.summary.aging);
        expect($(element, 'c-invoice-list').invoices).toEqual(LINKED.invoices);
        expect($(element, 'c-payment-list').payments).toEqual(LINKED.payments);
    });

    it('lists what is owed in other currencies without converting it', async () => {
        const element = mount();
        getPulse.emit(clone(LINKED));
        await flush();

        const eur = $(element, '.other-currencies [data-currency="EUR"] lightning-formatted-number');
        expect(eur.value).toBe('1200.00');
        expect(eur.currencyCode).toBe('EUR');
    });

    it('shows the empty state for an account with no ERP customer yet', async () => {
        const element = mount();
        getPulse.emit(clone(UNLINKED));
        await flush();

        expect($(element, '.unlinked').textContent).toContain('No ERP customer yet');
        expect($(element, '.figures')).toBeNull();
        expect($(element, 'c-invoice-list')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('shows the error panel with the readable Apex message', async () => {
        const element = mount();
        getPulse.error(APEX_ERROR.body, APEX_ERROR.status, APEX_ERROR.statusText);
        await flush();

        const panel = $(element, 'c-error-panel');
        expect(panel).not.toBeNull();
        expect(panel.friendlyMessage).toBe("Closeloop could not load this account's finances.");
        expect(panel.errors.body.message).toBe(APEX_ERROR.body.message);
        expect($(element, '.figures')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('refreshes live: asks Apex, shows the new figures', async () => {
        const fresher = clone(LINKED);
        fresher.summary.outstanding = { amount: '20912.00', currency: 'USD' };
        fresher.refresh = { live: true, reason: null };
        refreshPulse.mockResolvedValue(fresher);
        const element = mount({ invoicesToShow: 4, paymentsToShow: 6 });
        getPulse.emit(clone(LINKED));
        await flush();

        $(element, 'lightning-button-icon.refresh').click();
        await flush();

        expect(refreshPulse).toHaveBeenCalledWith({ accountId: LINKED.accountId, invoicesLimit: 4, paymentsLimit: 6 });
        expect($(element, '.outstanding lightning-formatted-number').value).toBe('20912.00');
        expect($(element, '.refresh-note')).toBeNull();
    });

    it('refreshes the wired cache after a refresh, so the next visit does not show the old figures', async () => {
        refreshPulse.mockResolvedValue(clone(LINKED));
        const element = mount();
        getPulse.emit(clone(LINKED));
        await flush();

        $(element, 'lightning-button-icon.refresh').click();
        await settle();

        expect(refreshApex).toHaveBeenCalledTimes(1);
        // The very result the wire provided (what LDS keys its cache on).
        expect(refreshApex.mock.calls[0][0]).toEqual({ data: LINKED, error: undefined });
        expect($(element, 'lightning-button-icon.refresh').disabled).toBe(false);
        expect($$(element, 'lightning-spinner')).toHaveLength(0);
    });

    it('keeps showing the refreshed answer when the wire brings the same or older figures again', async () => {
        const fresher = clone(LINKED);
        fresher.summary.outstanding = { amount: '20912.00', currency: 'USD' };
        fresher.asOf = '2026-11-22T00:01:00.000Z';
        fresher.refresh = { live: true, reason: null };
        refreshPulse.mockResolvedValue(fresher);
        // refreshApex makes the wire run again: here with what it had cached (older) and then with the
        // read model after the pull (same time, without the live pull's note).
        refreshApex.mockImplementation(() => {
            getPulse.emit(clone(LINKED));
            getPulse.emit({ ...clone(fresher), refresh: null });
            return Promise.resolve();
        });
        const element = mount();
        getPulse.emit(clone(LINKED));
        await flush();

        $(element, 'lightning-button-icon.refresh').click();
        await settle();

        expect(refreshApex).toHaveBeenCalledTimes(1);
        expect($(element, '.outstanding lightning-formatted-number').value).toBe('20912.00');
        expect($(element, '.as-of lightning-formatted-date-time').value).toBe('2026-11-22T00:01:00.000Z');
    });

    it('keeps the note of a refresh that fell back to the last figures after the cache is refreshed', async () => {
        refreshPulse.mockResolvedValue(clone(STALE));
        refreshApex.mockImplementation(() => {
            getPulse.emit(clone(LINKED));
            return Promise.resolve();
        });
        const element = mount();
        getPulse.emit(clone(LINKED));
        await flush();

        $(element, 'lightning-button-icon.refresh').click();
        await settle();

        expect($(element, '.refresh-note').textContent.trim()).toBe(STALE.refresh.reason);
    });

    it('shows newer figures the wire brings after a refresh', async () => {
        refreshPulse.mockResolvedValue(clone(STALE));
        const element = mount();
        getPulse.emit(clone(LINKED));
        await flush();
        $(element, 'lightning-button-icon.refresh').click();
        await settle();

        const newer = clone(LINKED);
        newer.asOf = '2026-11-22T00:05:00.000Z';
        newer.summary.outstanding = { amount: '18000.00', currency: 'USD' };
        getPulse.emit(newer);
        await flush();

        expect($(element, '.outstanding lightning-formatted-number').value).toBe('18000.00');
        expect($(element, '.refresh-note')).toBeNull();
    });

    it('keeps the fresh figures when only the cache refresh fails', async () => {
        const fresher = clone(LINKED);
        fresher.summary.outstanding = { amount: '20912.00', currency: 'USD' };
        refreshPulse.mockResolvedValue(fresher);
        refreshApex.mockImplementation(() => Promise.reject(new Error('offline')));
        const element = mount();
        getPulse.emit(clone(LINKED));
        await flush();

        $(element, 'lightning-button-icon.refresh').click();
        await settle();

        expect($(element, '.outstanding lightning-formatted-number').value).toBe('20912.00');
        expect($(element, '.refresh-error')).toBeNull();
        expect($(element, 'lightning-button-icon.refresh').disabled).toBe(false);
    });

    it('says when a refresh fell back to the last known figures, and why', async () => {
        refreshPulse.mockResolvedValue(clone(STALE));
        const element = mount();
        getPulse.emit(clone(LINKED));
        await flush();

        $(element, 'lightning-button-icon.refresh').click();
        await flush();

        expect($(element, '.refresh-note').textContent.trim()).toBe(STALE.refresh.reason);
        await expect(element).toBeAccessible();
    });

    it('keeps the figures and shows why when the refresh itself fails', async () => {
        refreshPulse.mockRejectedValue({ body: { message: 'Closeloop could not reach its server.' } });
        const element = mount();
        getPulse.emit(clone(LINKED));
        await flush();

        $(element, 'lightning-button-icon.refresh').click();
        await flush();

        expect($(element, '.refresh-error').textContent).toContain('Closeloop could not reach its server.');
        expect($(element, '.outstanding lightning-formatted-number').value).toBe('23950.00');
        expect(refreshApex).not.toHaveBeenCalled();
    });

    it('disables Refresh while there is nothing to refresh', async () => {
        const element = mount();
        await flush();
        expect($(element, 'lightning-button-icon.refresh').disabled).toBe(true);

        getPulse.emit(clone(LINKED));
        await flush();
        expect($(element, 'lightning-button-icon.refresh').disabled).toBe(false);
        expect($$(element, 'lightning-spinner')).toHaveLength(0);
    });
});
