import { TestContext } from '@salesforce/core/testSetup';
import { stubPrompter, stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import Backfill from '../../../src/commands/closeloop/backfill.js';
import { failureOf, printed, type UxStubs } from '../../support/commandOutput.js';
import { startTestBackend, until, type TestBackend } from '../../support/closeloopBackend.js';

describe('sf closeloop backfill', () => {
  const $$ = new TestContext();
  let backend: TestBackend;
  let ux: UxStubs;
  let prompter: ReturnType<typeof stubPrompter>;
  let spinner: ReturnType<typeof stubSpinner>;
  let flags: string[];
  const ids = { globexCustomer: '', initechCustomer: '', globex: '', initech: '', umbrella: '' };

  /** What ~/.sf/closeloop.json holds (TestContext keeps config files in memory). */
  const cursors = () =>
    ($$.configStubs.CloseloopSettings?.contents as { backfillCursors?: Record<string, string> } | undefined)
      ?.backfillCursors ?? {};
  const account = (Name: string) => backend.sf.org.insert('Account', { Name, BillingCountry: 'United States' });
  const customer = async (name: string) =>
    (await backend.erp.createCustomer({ name, externalRef: 'imported', countryCode: 'US' })).id;

  beforeAll(async () => {
    backend = await startTestBackend();
    ids.globexCustomer = await customer('Globex Corporation');
    ids.initechCustomer = await customer('Initek Software LLC'); // a typo in the ERP: similar, not the same
    ids.globex = account('Globex Corporation');
    ids.initech = account('Initech Software');
    ids.umbrella = account('Umbrella Health');
  });
  afterAll(async () => {
    await backend.close();
  });
  beforeEach(() => {
    ux = stubSfCommandUx($$.SANDBOX);
    prompter = stubPrompter($$.SANDBOX);
    spinner = stubSpinner($$.SANDBOX);
    flags = ['--backend-url', backend.url, '--token', backend.token];
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('loads the history with sweeps until the backend is caught up, with running counts', async () => {
    // A deal booked before the backfill: its ERP invoice is history to pull.
    await backend.addProduct('CL-SEAT');
    const opportunityId = backend.seedWonDeal('CL-SEAT');
    await fetch(`${backend.url}/v1/opportunities/${opportunityId}/book`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${backend.token}` },
    });
    await until(async () => (await backend.bookingStatus(opportunityId)) === 'Booked', 'the deal to be booked');

    const result = await Backfill.run(flags);

    expect(result.invoices).toMatchObject({ behind: false });
    expect(result.invoices?.sweeps).toBeGreaterThanOrEqual(1);
    expect(result.invoices?.invoicesPulled).toBeGreaterThanOrEqual(1);
    expect(spinner.start.firstCall.args[0]).toBe('Loading historical invoices and payments');
    expect(spinner.stop.firstCall.args[0]).toBe(
      `${result.invoices?.invoicesPulled} invoices, ${result.invoices?.paymentsPulled} payments`,
    );
    expect(ux.logSuccess.args.flat().join('\n')).toContain('Historical invoices loaded:');
    expect(result.links).toEqual({ made: 0, rejected: 0, results: [] });
  });

  it('lists the unmatched accounts with the exact match or the best suggestions (name and score)', async () => {
    const result = await Backfill.run([...flags, '--skip-invoices']);

    expect(result.invoices).toBeNull();
    expect(result.accounts).toMatchObject({ listed: 3, withExactMatch: 1, resumedAfter: null });
    const byName = new Map(result.accounts.unmatched.map((a) => [a.name, a]));
    expect(byName.get('Globex Corporation')?.match?.erpCustomerId).toBe(ids.globexCustomer);
    expect(byName.get('Initech Software')?.match).toBeNull();
    expect(byName.get('Initech Software')?.suggestions[0]?.erpCustomerId).toBe(ids.initechCustomer);

    const table = ux.table.lastCall?.args[0];
    expect(table?.title).toBe('Accounts without an ERP customer (3)');
    const rows = new Map(table?.data.map((row) => [row.Name, row]));
    expect(rows.get('Globex Corporation')).toMatchObject({
      Account: ids.globex,
      'Exact match': `${ids.globexCustomer} Globex Corporation`,
    });
    expect(String(rows.get('Initech Software')?.Suggestions)).toMatch(
      new RegExp(`^${ids.initechCustomer} Initek Software LLC \\(\\d+%\\)`),
    );
    expect(rows.get('Umbrella Health')).toMatchObject({ 'Exact match': '-', Suggestions: '-' });
    expect(printed(ux)).toContain('--accept-exact');
    expect(cursors()[backend.url]).toBeUndefined(); // a listing that went to the end leaves no cursor
  });

  it('--link with a malformed value or a non-Account id is a clear flag error', async () => {
    const bad = await failureOf(Backfill.run([...flags, '--link', 'Globex']));
    expect(bad.message).toContain('"Globex" is not a link: write it as <accountId>=<erpCustomerId>');

    const notAccount = await failureOf(Backfill.run([...flags, '--link', '006Kj00000B7xAAIAZ=12']));
    expect(notAccount.message).toContain('Account Ids start with 001');
  });

  it('--accept-exact with --json but without --no-prompt refuses, since no one can answer', async () => {
    const error = await failureOf(Backfill.run([...flags, '--skip-invoices', '--accept-exact', '--json']));

    expect(error.name).toBe('PromptInJsonError');
    expect(prompter.confirm.called).toBe(false);
  });

  it('--link with a wrong customer is rejected with the reason shown', async () => {
    const result = await Backfill.run([...flags, '--skip-invoices', '--link', `${ids.umbrella}=999999`]);

    expect(result.links).toMatchObject({
      made: 0,
      rejected: 1,
      results: [{ accountId: ids.umbrella, erpCustomerId: '999999', status: 'rejected' }],
    });
    expect(ux.warn.args.flat().join('\n')).toContain(
      `Not linked: account ${ids.umbrella} to ERP customer 999999. The ERP has no customer 999999.`,
    );
    expect(backend.sf.org.get('Account', ids.umbrella)?.ERP_Customer_Id__c ?? null).toBeNull();
  });

  it('--accept-exact --no-prompt links the exact matches, and --link the chosen suggestion', async () => {
    const result = await Backfill.run([
      ...flags,
      '--skip-invoices',
      '--accept-exact',
      '--no-prompt',
      '--link',
      `${ids.initech}=${ids.initechCustomer}`,
    ]);

    expect(prompter.confirm.called).toBe(false);
    expect(result.links.made).toBe(2);
    expect(backend.sf.org.get('Account', ids.globex)?.ERP_Customer_Id__c).toBe(ids.globexCustomer);
    expect(backend.sf.org.get('Account', ids.initech)?.ERP_Customer_Id__c).toBe(ids.initechCustomer);
    expect(ux.logSuccess.args.flat().join('\n')).toContain('Linked 2 account(s)');

    const after = await Backfill.run([...flags, '--skip-invoices']);
    expect(after.accounts.unmatched.map((a) => a.name)).toEqual(['Umbrella Health']);
  });

  it('an interrupted listing resumes after the last page it saw; --restart starts over', async () => {
    const extra = Array.from({ length: 52 }, (_, i) => account(`Filler ${String(i).padStart(2, '0')} Trading`));
    // The backend goes away after the first page of 50.
    const realFetch = globalThis.fetch;
    const fetchStub = $$.SANDBOX.stub(globalThis, 'fetch').callsFake((input, init) =>
      String(input).includes('/v1/backfill/accounts?limit=50&after=')
        ? Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }))
        : realFetch(input, init),
    );
    const error = await failureOf(Backfill.run([...flags, '--skip-invoices']));
    expect(error.message).toContain('Cannot reach the Closeloop backend');
    const stopped = cursors()[backend.url];
    expect(stopped).toMatch(/^001/);
    fetchStub.restore();

    const resumed = await Backfill.run([...flags, '--skip-invoices']);
    expect(resumed.accounts.resumedAfter).toBe(stopped);
    expect(printed(ux)).toContain(`Resuming the listing after account ${stopped}`);
    // Umbrella plus 52 fillers are unmatched; the first 50 were listed before the interruption.
    expect(resumed.accounts.listed).toBe(3);
    expect(resumed.accounts.unmatched.map((a) => a.accountId)).toEqual(extra.slice(-3));
    expect(cursors()[backend.url]).toBeUndefined();

    const again = await Backfill.run([...flags, '--skip-invoices', '--restart']);
    expect(again.accounts).toMatchObject({ listed: 53, resumedAfter: null });
  });
});
