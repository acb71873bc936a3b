import { createElement } from 'lwc';
import PaymentList from 'c/paymentList';

const PULSE = require('@contract/accountPulse.json');
const UNLINKED = require('@contract/accountPulse.unlinked.json');

function mount(payments) {
    const element = createElement('c-payment-list', { is: PaymentList });
    element.payments = payments;
    document.body.appendChild(element);
    return element;
}

describe('c-payment-list', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('shows each payment: date, invoice and amount in its currency', async () => {
        const element = mount(PULSE.payments);
        await Promise.resolve();

        const items = Array.from(element.shadowRoot.querySelectorAll('li'));
        expect(items.map((li) => li.dataset.payment)).toEqual(['905', '870', '861']);
        expect(items[0].querySelector('lightning-formatted-date-time').value).toBe('2026-11-14');
        expect(items[0].querySelector('.invoice').textContent).toBe('INV-2026-00318');
        const amount = items[0].querySelector('lightning-formatted-number');
        expect(amount.value).toBe('3038.00');
        expect(amount.currencyCode).toBe('USD');
        await expect(element).toBeAccessible();
    });

    it('shows an empty state without payments', async () => {
        const element = mount(UNLINKED.payments);
        await Promise.resolve();

        expect(element.shadowRoot.querySelector('ul')).toBeNull();
        expect(element.shadowRoot.querySelector('.empty').textContent).toBe('No payments yet.');
    });
});
