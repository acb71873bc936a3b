import type { AnyJson } from '@salesforce/ts-types';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import Status from '../../../src/commands/closeloop/status.js';
import { CONTRACT_FIELDS } from '../../../src/orgContract.js';
import { closedPort, failureOf, printed, type UxStubs } from '../../support/commandOutput.js';
import { startTestBackend, type TestBackend } from '../../support/closeloopBackend.js';

/** The org's describe of an object, with the contract's fields except `without`. */
function describeOf(object: keyof typeof CONTRACT_FIELDS, without: string[] = []): AnyJson {
  const fields = ['Id', 'Name', ...CONTRACT_FIELDS[object]].filter((f) => !without.includes(f));
  return { name: object, fields: fields.map((name) => ({ name, type: 'string' })) };
}

/** jsforce hands the connection either a URL or a request object. */
function requestUrl(request: AnyJson): string {
  return typeof request === 'string' ? request : String((request as { url?: unknown }).url);
}

describe('sf closeloop status', () => {
  const $$ = new TestContext();

  async function stubOrg(): Promise<MockTestOrgData> {
    const testOrg = new MockTestOrgData();
    await $$.stubAuths(testOrg);
    // core catches a missing alias file with `instanceof Error`, which fails for Node's errors
    // under jest's module sandbox (another realm): give it the empty file it would have created.
    $$.stubAliases({});
    return testOrg;
  }
  let backend: TestBackend;
  let ux: UxStubs;
  let flags: string[];

  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(async () => {
    await backend.close();
  });
  beforeEach(() => {
    ux = stubSfCommandUx($$.SANDBOX);
    flags = ['--backend-url', backend.url, '--token', backend.token];
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('shows the backend, its sync runs and queue in tables, with the token masked', async () => {
    const result = await Status.run(flags);

    expect(result.backend).toEqual({
      url: backend.url,
      token: '********************abcd',
      healthy: true,
      ready: true,
      checks: { store: { ok: true }, erp: { ok: true }, salesforce: { ok: true } },
    });
    const tables = ux.table.args.map(([options]) => options);
    expect(tables.map((t) => t.title)).toEqual([undefined, 'Sync runs', 'Job queue']);
    expect(tables[0]?.data).toContainEqual({ Setting: 'Token', Value: '********************abcd' });
    expect(tables[1]?.data.map((row) => row.Run)).toEqual(['Booking poll', 'Financial sweep', 'Opportunity sync']);
    expect(tables[2]?.data).toEqual([
      { Queued: 0, 'Due now': 0, Running: 0, Done: 0, 'Dead letters': 0, 'Rejected by Salesforce': 0 },
    ]);
    expect(printed(ux)).not.toContain(backend.token);
  });

  it('returns the typed result with --json: last runs, freshness lag, queue depth, dead letters', async () => {
    const before = Date.now();
    const sweep = await fetch(`${backend.url}/v1/sync/financials`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${backend.token}` },
    });
    expect(sweep.status).toBe(200);

    const result = await Status.run([...flags, '--json']);

    expect(result.sync.financials.lastSweep).toMatchObject({ trigger: 'manual', error: null });
    expect(Date.parse(result.sync.financials.lastSweep?.startedAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(result.freshness.financialsLagSeconds).toBeGreaterThanOrEqual(0);
    expect(result.freshness.financialsLagSeconds).toBeLessThan(60);
    expect(result.sync.queue).toMatchObject({ queued: 0, running: 0, deadLetters: 0 });
    expect(result.org).toBeNull();
    expect(JSON.stringify(result)).not.toContain(backend.token);
  });

  it('with --target-org, reports the contract fields the org lacks', async () => {
    const testOrg = await stubOrg();
    const asked: string[] = [];
    $$.fakeConnectionRequest = (request) => {
      const url = requestUrl(request);
      asked.push(url);
      if (url.endsWith('/sobjects/Account/describe')) return Promise.resolve(describeOf('Account'));
      if (url.endsWith('/sobjects/Opportunity/describe')) {
        return Promise.resolve(describeOf('Opportunity', ['Booking_Status__c', 'Invoice_Status__c']));
      }
      return Promise.reject(new Error(`unexpected request ${url}`));
    };

    const result = await Status.run([...flags, '--target-org', testOrg.username, '--api-version', '62.0']);

    // (the org flag also reads Organization; only the describes are this command's own calls)
    expect(asked.filter((url) => url.includes('/sobjects/')).sort()).toEqual([
      expect.stringContaining('/services/data/v62.0/sobjects/Account/describe'),
      expect.stringContaining('/services/data/v62.0/sobjects/Opportunity/describe'),
    ]);
    expect(result.org).toMatchObject({
      username: testOrg.username,
      orgId: testOrg.orgId,
      apiVersion: '62.0',
      deployed: false,
      objects: [
        { object: 'Account', missing: [] },
        { object: 'Opportunity', missing: ['Booking_Status__c', 'Invoice_Status__c'] },
      ],
    });
    expect(ux.table.lastCall?.args[0].data).toContainEqual({
      Object: 'Opportunity',
      'Fields found': '6 of 8',
      Missing: 'Booking_Status__c, Invoice_Status__c',
    });
    expect(printed(ux)).toContain('Some of Closeloop');
  });

  it('with --target-org, says so when every field is there', async () => {
    const testOrg = await stubOrg();
    $$.fakeConnectionRequest = (request) => {
      const url = requestUrl(request);
      return Promise.resolve(describeOf(url.includes('/Account/') ? 'Account' : 'Opportunity'));
    };

    const result = await Status.run([...flags, '--target-org', testOrg.username]);

    expect(result.org?.deployed).toBe(true);
    expect(ux.logSuccess.args.flat()).toContain("Closeloop's fields are in the org.");
  });

  it('an unreachable backend is a clear error with next steps, and no stack trace', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;

    const error = await failureOf(Status.run(['--backend-url', url, '--token', backend.token]));

    expect(error.name).toBe('BackendUnreachableError');
    expect(error.message).toBe(`Cannot reach the Closeloop backend at ${url} (ECONNREFUSED).`);
    expect(error.actions?.join('\n')).toContain('sf closeloop status');
    expect(error.actions?.join('\n')).toContain(url);
    const stderr = ux.logToStderr.args.flat().join('\n');
    expect(stderr).toContain(`Cannot reach the Closeloop backend at ${url}`);
    expect(stderr).toContain('Try this:');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(printed(ux)).not.toContain(backend.token);
  });

  it('a token the backend refuses is a clear error that names the fix', async () => {
    const error = await failureOf(Status.run(['--backend-url', backend.url, '--token', 'not-the-token-9999']));

    expect(error.name).toBe('UnauthorizedError');
    expect(error.message).toBe(`The Closeloop backend at ${backend.url} refused the token.`);
    expect(error.actions?.[0]).toContain('sf closeloop login');
    expect(printed(ux)).not.toContain('not-the-token-9999');
  });

  it('without a URL or token anywhere, says how to give them', async () => {
    const error = await failureOf(Status.run([]));

    expect(error.name).toBe('NoBackendError');
    expect(error.actions?.[0]).toContain('sf closeloop login --backend-url');
  });
});
