import { createElement } from 'lwc';
import AgingBar from 'c/agingBar';

const PULSE = require('@contract/accountPulse.json');

function mount(aging) {
    const element = createElement('c-aging-bar', { is: AgingBar });
    element.aging = aging;
    document.body.appendChild(element);
    return element;
}

const zero = { amount: '0.00', currency: 'USD' };

describe('c-aging-bar', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('draws one segment per non-empty bucket, sized exactly from the decimal strings', async () => {
        const element = mount(PULSE.summary.aging);
        await Promise.resolve();

        // 11,962.00 current and 11,988.00 at 31–60 days of 23,950.00: 49.9 % and 50.1 %.
        const segments = Array.from(element.shadowRoot.querySelectorAll('.bar span'));
        expect(segments.map((s) => s.className)).toEqual(['segment segment_current', 'segment segment_late-2']);
        expect(segments.map((s) => s.style.width)).toEqual(['49.9%', '50.1%']);
        expect(element.shadowRoot.querySelector('.bar').getAttribute('aria-label')).toBe(
            'Not yet due: 49.9%, 31–60 days: 50.1%',
        );
        await expect(element).toBeAccessible();
    });

    it('lists every bucket with its amount in its currency', async () => {
        const element = mount(PULSE.summary.aging);
        await Promise.resolve();

        const items = Array.from(element.shadowRoot.querySelectorAll('.legend li'));
        expect(items.map((li) => li.dataset.bucket)).toEqual([
            'current',
            'days1to30',
            'days31to60',
            'days61to90',
            'over90',
        ]);
        const late = element.shadowRoot.querySelector('[data-bucket="days31to60"] lightning-formatted-number');
        expect(late.value).toBe('11988.00');
        expect(late.currencyCode).toBe('USD');
    });

    it('says nothing is owed when every bucket is zero', async () => {
        const element = mount({ current: zero, days1to30: zero, days31to60: zero, days61to90: zero, over90: zero });
        await Promise.resolve();

        expect(element.shadowRoot.querySelector('.bar')).toBeNull();
        expect(element.shadowRoot.querySelector('.no-balance').textContent).toBe('Nothing is owed.');
        await expect(element).toBeAccessible();
    });
});
