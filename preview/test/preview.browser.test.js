/**
 * The preview in a real browser: the demo runs as `npm run demo` runs it, Chromium opens the URL
 * it prints, and each test checks what a person sees in the package's real components after acting
 * out a scenario. Nothing of the backend is mocked.
 */
const { startDemo } = require('./support/demo');
const { openBrowser, screenshot } = require('./support/browser');
const { choose, regions, waitForText } = require('./support/page');

// One demo and one browser for the file, on a shared machine: generous, bounded waits.
jest.setTimeout(180000);

let demo;
let browser;
let page;

beforeAll(async () => {
  demo = await startDemo();
  browser = await openBrowser();
  page = await browser.context.newPage();
  await page.goto(demo.url);
  await page.getByRole('combobox', { name: 'Account or opportunity' }).waitFor({ timeout: 60000 });
}, 240000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

afterEach(() => {
  // A component that threw is a failure even when the page still looks right.
  expect(browser.pageErrors()).toEqual([]);
});

test("an account's pulse shows its outstanding balance and an overdue invoice's red badge", async () => {
  await choose(page, 'Account or opportunity', 'Account: Fabrikam Manufacturing');
  const { pulse } = regions(page);
  const text = await waitForText(pulse, /Outstanding\s+\$[\d,]+\.\d\d/, { what: 'the outstanding balance' });
  // Fabrikam's invoice billed 50 days ago is past due: the overdue figure is not zero.
  expect(text).toMatch(/Overdue\s+\$[\d,]+\.\d\d/);
  expect(text).not.toMatch(/Overdue\s+\$0\.00/);
  const overdueBadge = pulse.locator('lightning-badge', { hasText: 'Overdue' });
  await overdueBadge.first().waitFor();
  expect(await overdueBadge.first().getAttribute('class')).toContain('slds-theme_error');
  // Words next to a formatted value keep their space (the LWC compiler trims text at element edges).
  expect(text).toMatch(/DSO\s+[\d.]+\sdays/);
  expect(text).toMatch(/As of\s[A-Z][a-z]{2} \d/);
  await screenshot(page, 'account-pulse-overdue');
});

test('closing an opportunity as won books it: Booked with an invoice number, and the balance grows', async () => {
  await choose(page, 'Account or opportunity', 'Opportunity: Coho — cellar sensors (Proposal/Price Quote)');
  const { billing, pulse, scenarios } = regions(page);
  await waitForText(billing, /Not Booked/, { what: 'the billing card before closing' });
  await scenarios.getByRole('button', { name: 'Mark Closed Won' }).click();
  const booked = await waitForText(billing, (t) => /Booked/.test(t) && /INV-\d{4}-\d+/.test(t), {
    what: 'Booked with an invoice number',
  });
  expect(booked).not.toMatch(/Not Booked|Pending/);
  // Coho was a prospect: after the booking its whole balance is this deal's invoice.
  const amount = dollars((await cohoDeal()).amount);
  await waitForText(pulse, (t) => t.includes(`Outstanding\n${amount}`), { what: `Outstanding ${amount}` });
  await screenshot(page, 'opportunity-booked');
});

test('paying the invoice in the ERP brings the balance down after the sync', async () => {
  const { pulse, scenarios } = regions(page);
  const amount = dollars((await cohoDeal()).amount);
  await waitForText(pulse, (t) => t.includes(`Outstanding\n${amount}`));
  await scenarios.getByRole('button', { name: 'Record payment' }).click();
  await waitForText(pulse, /Outstanding\s+\$0\.00/, { what: 'the balance after the payment' });
  await waitForText(regions(page).billing, /Paid/, { what: 'the invoice shown as paid' });
  await screenshot(page, 'invoice-paid');
});

test('the forecast dashboard draws its chart and its table', async () => {
  const { forecast } = regions(page);
  await forecast.locator('svg[role="img"]').first().waitFor();
  expect(await forecast.locator('svg[role="img"] rect').count()).toBeGreaterThan(0);
  const text = await waitForText(forecast, /Booked[\s\S]*Invoiced[\s\S]*Paid/, { what: 'the table headings' });
  expect(text).toMatch(/\$[\d,]+\.\d\d/);
  expect(await forecast.getByRole('table').count()).toBeGreaterThan(0);
  await forecast.scrollIntoViewIfNeeded();
  await screenshot(page, 'forecast-dashboard');
});

test('an opportunity with an unknown product code shows why and offers the retry button', async () => {
  await choose(page, 'Account or opportunity', 'Opportunity: Tailspin — Enterprise pilot (Closed Won)');
  const { billing } = regions(page);
  const text = await waitForText(billing, /Booking failed/, { what: 'the failure' });
  expect(text).toContain('The ERP has no product with code "CL-LICENSE-ENT"');
  expect(await billing.getByRole('button', { name: 'Retry booking' }).isVisible()).toBe(true);
  await screenshot(page, 'booking-failed');
});

/** The open Coho deal as the local Salesforce has it (amount: a decimal string). */
async function cohoDeal() {
  const res = await fetch(`${demo.origin}/preview/api/records`, { headers: { Authorization: `Bearer ${demo.token}` } });
  const { opportunities } = await res.json();
  return opportunities.find((o) => o.name === 'Coho — cellar sensors');
}

/** "5394.00" → "$5,394.00", as lightning-formatted-number shows USD in en-US (no float involved). */
function dollars(amount) {
  const [units, cents] = amount.split('.');
  return `$${units.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}
