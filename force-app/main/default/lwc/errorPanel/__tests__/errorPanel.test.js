import { createElement } from 'lwc';
import ErrorPanel from 'c/errorPanel';

function mount(props) {
    const element = createElement('c-error-panel', { is: ErrorPanel });
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

describe('c-error-panel', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('shows the sentence and each readable message as an alert', async () => {
        const element = mount({
            friendlyMessage: 'Closeloop could not load this account.',
            errors: [{ body: { message: 'First' } }, new Error('Second'), { body: { message: 'First' } }],
        });
        await Promise.resolve();

        const alert = element.shadowRoot.querySelector('[role="alert"]');
        expect(alert.querySelector('.friendly-message').textContent).toBe('Closeloop could not load this account.');
        expect(Array.from(alert.querySelectorAll('.messages li')).map((li) => li.textContent)).toEqual([
            'First',
            'Second',
        ]);
        await expect(element).toBeAccessible();
    });

    it('shows only the sentence when there are no details', async () => {
        const element = mount({ errors: undefined });
        await Promise.resolve();

        expect(element.shadowRoot.querySelector('.friendly-message').textContent).toBe('Something went wrong.');
        expect(element.shadowRoot.querySelector('.messages')).toBeNull();
    });
});
