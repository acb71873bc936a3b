import { createElement } from 'lwc';
import OpportunityBilling from 'c/opportunityBilling';
import getBilling from '@salesforce/apex/OpportunityBillingController.getBilling';
import retryBooking from '@salesforce/apex/OpportunityBillingController.retryBooking';
import { refreshApex } from '@salesforce/apex';
import { getRecord } from 'lightning/uiRecordApi';
// The platform's toast event name (the stub does not export it).
const ShowToastEventName = 'lightning__showtoast';

// The backend's own examples: the same files the server's tests check against its schemas.
const BOOKED = require('@contract/opportunityBilling.booked.json');
const FAILED = require('@contract/opportunityBilling.failed.json');
const OPEN = require('@contract/opportunityBilling.open.json');

jest.mock(
    '@salesforce/apex/OpportunityBillingController.getBilling',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/wire-service-jest-util');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true },
);
jest.mock('@salesforce/apex/OpportunityBillingController.retryBooking', () => ({ default: jest.fn() }), {
    virtual: true,
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

function clone(value) {
    return JSON.parse(JSON.stringify(value));
}

function mount(recordId = BOOKED.opportunityId) {
    const element = createElement('c-opportunity-billing', { is: OpportunityBilling });
    element.recordId = recordId;
    document.body.appendChild(element);
    return element;
}

function record(stage, status, amount = 30000) {
    return {
        apiName: 'Opportunity',
        fields: {
            StageName: { value: stage, displayValue: stage },
            Amount: { value: amount, displayValue: null },
            Booking_Status__c: { value: status, displayValue: status },
        },
    };
}

const flush = () => Promise.resolve().then(() => Promise.resolve());
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

describe('c-opportunity-billing', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        retryBooking.mockReset();
        refreshApex.mockClear();
    });

    it('shows a spinner until the billing arrives, and asks for this opportunity', async () => {
        const element = mount();
        await flush();

        expect($(element, '.loading lightning-spinner')).not.toBeNull();
        expect(getBilling.getLastConfig()).toEqual({ opportunityId: BOOKED.opportunityId });
        await expect(element).toBeAccessible();
    });

    it('shows a booked deal: order, invoice, status badges, amounts and due date', async () => {
        const element = mount();
        getBilling.emit(clone(BOOKED));
        await flush();

        const status = $(element, 'lightning-badge.booking-status');
        expect(status.label).toBe('Booked');
        expect(status.classList).toContain('slds-theme_success');
        expect($(element, '.erp-order').textContent).toBe('77');
        expect($(element, '.invoice-number').textContent).toBe('INV-2026-00318');
        const invoiceStatus = $(element, 'lightning-badge.invoice-status');
        expect(invoiceStatus.label).toBe('Partially Paid');
        expect(invoiceStatus.classList).toContain('slds-theme_warning');
        const invoiced = $(element, '.amount-invoiced lightning-formatted-number');
        expect(invoiced.value).toBe('15000.00');
        expect(invoiced.currencyCode).toBe('USD');
        expect($(element, '.amount-paid lightning-formatted-number').value).toBe('3038.00');
        expect($(element, '.due-date lightning-formatted-date-time').value).toBe('2026-12-10');
        expect($(element, '.booked-at lightning-formatted-date-time').value).toBe('2026-11-10T15:02:11.000Z');
        expect($(element, '.failure')).toBeNull();
        expect($(element, '.credit-warning')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('marks a paid invoice green and an overdue one red', async () => {
        const paid = clone(BOOKED);
        paid.invoice.status = 'Paid';
        const element = mount();
        getBilling.emit(paid);
        await flush();
        expect($(element, 'lightning-badge.invoice-status').classList).toContain('slds-theme_success');

        const overdue = clone(BOOKED);
        overdue.invoice.status = 'Overdue';
        getBilling.emit(overdue);
        await flush();
        expect($(element, 'lightning-badge.invoice-status').classList).toContain('slds-theme_error');
    });

    it('shows why a booking failed and offers Retry booking', async () => {
        const element = mount(FAILED.opportunityId);
        getBilling.emit(clone(FAILED));
        await flush();

        expect($(element, 'lightning-badge.booking-status').classList).toContain('slds-theme_error');
        expect($(element, '.failure-title').textContent).toBe('Booking failed');
        expect($(element, '.failure-text').textContent).toBe(FAILED.bookingError);
        expect($(element, 'lightning-button.retry').label).toBe('Retry booking');
        expect($(element, '.erp-order')).toBeNull();
        expect($(element, '.invoice-number')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('explains a credit hold and hides Retry when the backend says it cannot be retried', async () => {
        const held = clone(FAILED);
        held.bookingStatus = 'Credit Hold';
        held.bookingError = 'Credit limit exceeded for Woodgrove Bank: limit USD 5,000.00.';
        held.canRetry = false;
        const element = mount(held.opportunityId);
        getBilling.emit(held);
        await flush();

        expect($(element, 'lightning-badge.booking-status').classList).toContain('slds-theme_warning');
        expect($(element, '.failure-title').textContent).toBe('The ERP is holding this order for credit');
        expect($(element, '.failure-text').textContent).toBe(held.bookingError);
        expect($(element, 'lightning-button.retry')).toBeNull();
    });

    it('retries the booking, confirms with a toast and reloads the card', async () => {
        retryBooking.mockResolvedValue({ opportunityId: FAILED.opportunityId, job: { id: '12', status: 'queued' } });
        const element = mount(FAILED.opportunityId);
        const toasts = [];
        element.addEventListener(ShowToastEventName, (event) => toasts.push(event.detail));
        getBilling.emit(clone(FAILED));
        await flush();

        $(element, 'lightning-button.retry').click();
        await flush();
        await flush();

        expect(retryBooking).toHaveBeenCalledWith({ opportunityId: FAILED.opportunityId });
        expect(toasts).toHaveLength(1);
        expect(toasts[0].variant).toBe('success');
        expect(toasts[0].title).toBe('Booking requested');
        expect(refreshApex).toHaveBeenCalledTimes(1);
    });

    it('shows the refusal in an error toast when the retry fails', async () => {
        retryBooking.mockRejectedValue({
            body: { message: 'Only people who can edit this opportunity can retry its booking.' },
        });
        const element = mount(FAILED.opportunityId);
        const toasts = [];
        element.addEventListener(ShowToastEventName, (event) => toasts.push(event.detail));
        getBilling.emit(clone(FAILED));
        await flush();

        $(element, 'lightning-button.retry').click();
        await flush();
        await flush();

        expect(toasts).toHaveLength(1);
        expect(toasts[0].variant).toBe('error');
        expect(toasts[0].message).toBe('Only people who can edit this opportunity can retry its booking.');
        expect(refreshApex).not.toHaveBeenCalled();
        expect($(element, 'lightning-button.retry').disabled).toBe(false);
    });

    it('warns on an open deal that would go over the available credit', async () => {
        const element = mount(OPEN.opportunityId);
        getBilling.emit(clone(OPEN));
        await flush();

        const warning = $(element, '.credit-warning');
        expect(warning.getAttribute('role')).toBe('alert');
        expect($(element, '.credit-message').textContent).toBe(OPEN.creditCheck.message);
        expect($(element, '.available-credit').value).toBe('26050.00');
        expect($(element, '.deal-amount').value).toBe('30000.00');
        expect($(element, 'lightning-badge.booking-status').label).toBe('Not Booked');
        expect($(element, '.status-hint').textContent).toContain('when it is Closed Won');
        expect($(element, '.failure')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('says the deal is within credit when the check passes', async () => {
        const fine = clone(OPEN);
        fine.creditCheck.exceedsAvailableCredit = false;
        const element = mount(fine.opportunityId);
        getBilling.emit(fine);
        await flush();

        expect($(element, '.credit-warning')).toBeNull();
        expect($(element, '.credit-ok')).not.toBeNull();
    });

    it('warns when the customer is on credit hold even if the amount fits', async () => {
        const held = clone(OPEN);
        held.creditCheck.exceedsAvailableCredit = false;
        held.creditCheck.creditHold = true;
        const element = mount(held.opportunityId);
        getBilling.emit(held);
        await flush();

        expect($(element, '.credit-warning')).not.toBeNull();
        expect($(element, '.credit-ok')).toBeNull();
    });

    it('shows the error panel when the billing cannot be loaded', async () => {
        const element = mount();
        getBilling.error({ message: 'You do not have access to this opportunity, or it no longer exists.' });
        await flush();

        const panel = $(element, 'c-error-panel');
        expect(panel.friendlyMessage).toBe("Closeloop could not load this deal's billing.");
        expect(panel.errors.body.message).toBe('You do not have access to this opportunity, or it no longer exists.');
        expect($(element, 'lightning-badge.booking-status')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('reloads the billing when the stage changes on the page, not on the first load', async () => {
        mount(OPEN.opportunityId);
        getBilling.emit(clone(OPEN));
        getRecord.emit(record('Negotiation', 'Not Booked'));
        await flush();
        expect(refreshApex).not.toHaveBeenCalled();

        getRecord.emit(record('Negotiation', 'Not Booked'));
        await flush();
        expect(refreshApex).not.toHaveBeenCalled();

        getRecord.emit(record('Closed Won', 'Pending'));
        await flush();
        expect(refreshApex).toHaveBeenCalledTimes(1);
    });
});
