import { createElement } from 'lwc';
import InvoiceList from 'c/invoiceList';

const PULSE = require('@contract/accountPulse.json');
const UNLINKED = require('@contract/accountPulse.unlinked.json');

function mount(invoices) {
    const element = createElement('c-invoice-list', { is: InvoiceList });
    element.invoices = invoices;
    document.body.appendChild(element);
    return element;
}

describe('c-invoice-list', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('shows each invoice with a status badge: overdue red, paid green', async () => {
        const element = mount(PULSE.invoices);
        await Promise.resolve();

        const rows = Array.from(element.shadowRoot.querySelectorAll('tbody tr'));
        expect(rows.map((r) => r.querySelector('.number').textContent)).toEqual([
            'INV-2026-00318',
            'INV-2026-00301',
            'INV-2026-00288',
        ]);
        const badges = rows.map((r) => r.querySelector('lightning-badge'));
        expect(badges.map((b) => b.label)).toEqual(['Partially Paid', 'Overdue', 'Paid']);
        expect(badges[1].classList).toContain('slds-theme_error');
        expect(badges[2].classList).toContain('slds-theme_success');
        await expect(element).toBeAccessible();
    });

    it('shows how late an overdue invoice is, and its amounts in its currency', async () => {
        const element = mount(PULSE.invoices);
        await Promise.resolve();

        const overdue = element.shadowRoot.querySelector('[data-invoice="301"]');
        expect(overdue.querySelector('.overdue').textContent).toBe('32 days overdue');
        expect(overdue.querySelector('lightning-formatted-date-time').value).toBe('2026-10-20');
        const open = overdue.querySelector('lightning-formatted-number.open');
        expect(open.value).toBe('11988.00');
        expect(open.currencyCode).toBe('USD');
        expect(element.shadowRoot.querySelector('[data-invoice="288"] .overdue')).toBeNull();
    });

    it('says how many invoices there are beyond the ones shown', async () => {
        const element = mount(PULSE.invoices);
        await Promise.resolve();

        expect(element.shadowRoot.querySelector('.count').textContent).toBe('3 of 4 invoices');
    });

    it('names a draft invoice that has no number yet', async () => {
        const page = JSON.parse(JSON.stringify(PULSE.invoices));
        page.items = [{ ...page.items[0], number: null, status: 'Draft' }];
        page.total = 1;
        const element = mount(page);
        await Promise.resolve();

        expect(element.shadowRoot.querySelector('.number').textContent).toBe('Draft 318');
        expect(element.shadowRoot.querySelector('.count')).toBeNull();
    });

    it('shows an empty state without invoices', async () => {
        const element = mount(UNLINKED.invoices);
        await Promise.resolve();

        expect(element.shadowRoot.querySelector('table')).toBeNull();
        expect(element.shadowRoot.querySelector('.empty').textContent).toBe('No invoices yet.');
    });
});
