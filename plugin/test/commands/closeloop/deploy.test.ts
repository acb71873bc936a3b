import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyJson } from '@salesforce/ts-types';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import Deploy, { checkBackendUrl, withBackendUrl } from '../../../src/commands/closeloop/deploy.js';
import { failureOf, printed, type UxStubs } from '../../support/commandOutput.js';

const forceApp = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'force-app');
const BACKEND = 'https://closeloop.acme.test';

interface Request {
  url: string;
  method: string;
  body: string | undefined;
}

const asRequest = (request: AnyJson): Request =>
  typeof request === 'string'
    ? { url: request, method: 'GET', body: undefined }
    : {
        url: String((request as { url?: unknown }).url),
        method: String((request as { method?: unknown }).method ?? 'GET'),
        body: (request as { body?: string }).body,
      };

const soql = (url: string) => new URL(url, 'https://x').searchParams.get('q') ?? '';

describe('sf closeloop deploy', () => {
  const $$ = new TestContext();
  let ux: UxStubs;
  let testOrg: MockTestOrgData;
  let requests: Request[];
  /** What the stubbed SDR deploy saw: its options and the Named Credential it would send. */
  let deployed: Array<{ options: { apiOptions?: Record<string, unknown> }; credentialXml: string | null }>;
  let deployStatus: Record<string, unknown>;
  /** Users in the org; permission set assignments that already exist. */
  let users: Array<{ Id: string; Username: string; IsActive: boolean }>;
  let existing: Array<{ AssigneeId: string; PermissionSetId: string }>;

  const permissionSets = [
    { Id: '0PS000000000001AAA', Name: 'Closeloop_User' },
    { Id: '0PS000000000002AAA', Name: 'Closeloop_Admin' },
    { Id: '0PS000000000003AAA', Name: 'Closeloop_Manager' },
  ];

  beforeEach(async () => {
    ux = stubSfCommandUx($$.SANDBOX);
    stubSpinner($$.SANDBOX);
    testOrg = new MockTestOrgData();
    await $$.stubAuths(testOrg);
    $$.stubAliases({});
    requests = [];
    deployed = [];
    users = [
      { Id: '005000000000001AAA', Username: 'rep@acme.test', IsActive: true },
      { Id: '005000000000002AAA', Username: 'lead@acme.test', IsActive: true },
    ];
    existing = [{ AssigneeId: '005000000000002AAA', PermissionSetId: '0PS000000000001AAA' }];
    deployStatus = {
      id: '0Af000000000001AAA',
      status: 'Succeeded',
      success: true,
      done: true,
      checkOnly: false,
      numberComponentsDeployed: 42,
      numberComponentsTotal: 42,
      numberComponentErrors: 0,
      numberTestsCompleted: 0,
      numberTestsTotal: 0,
      details: {},
    };

    $$.SANDBOX.stub(ComponentSet.prototype, 'deploy').callsFake(function (this: ComponentSet, options: unknown) {
      const credential = this.getSourceComponents()
        .toArray()
        .find((c) => c.type.name === 'NamedCredential' && c.fullName === 'Closeloop_Backend');
      deployed.push({
        options: options as { apiOptions?: Record<string, unknown> },
        credentialXml: credential?.xml ? readFileSync(credential.xml, 'utf8') : null,
      });
      let onUpdate: ((s: unknown) => void) | undefined;
      return Promise.resolve({
        onUpdate: (fn: (s: unknown) => void) => {
          onUpdate = fn;
        },
        pollStatus: () => {
          onUpdate?.({ ...deployStatus, status: 'InProgress', numberComponentsDeployed: 10 });
          return Promise.resolve({ response: { ...deployStatus } });
        },
      } as never);
    });

    $$.fakeConnectionRequest = (raw) => {
      const request = asRequest(raw);
      requests.push(request);
      const q = soql(request.url);
      const records = (list: unknown[]) =>
        Promise.resolve({ totalSize: list.length, done: true, records: list } as AnyJson);
      if (q.startsWith('SELECT Id, Username, IsActive FROM User')) {
        return records(users.filter((u) => q.includes(`'${u.Username}'`)));
      }
      if (q.startsWith('SELECT Id, Name FROM PermissionSet')) {
        return records(permissionSets.filter((p) => q.includes(`'${p.Name}'`)));
      }
      if (q.startsWith('SELECT AssigneeId, PermissionSetId FROM PermissionSetAssignment')) return records(existing);
      if (request.method === 'POST' && request.url.includes('/composite/sobjects')) {
        const body = JSON.parse(request.body ?? '{}') as { records: unknown[] };
        return Promise.resolve(
          body.records.map((_, i) => ({ id: `0Pa00000000000${i}AAA`, success: true, errors: [] })) as AnyJson,
        );
      }
      if (q) return records([]);
      return Promise.reject(new Error(`unexpected request ${request.method} ${request.url}`));
    };
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  const base = () => ['--target-org', testOrg.username, '--source-dir', forceApp, '--backend-url', BACKEND];

  it('deploys force-app with the Named Credential pointing at the backend, assigns, and prints the next steps', async () => {
    const result = await Deploy.run([...base(), '--assign-to', 'rep@acme.test', '--assign-to', 'lead@acme.test']);

    expect(deployed).toHaveLength(1);
    expect(deployed[0]?.options.apiOptions).toMatchObject({ checkOnly: false });
    expect(deployed[0]?.credentialXml).toContain(`<parameterValue>${BACKEND}</parameterValue>`);
    expect(deployed[0]?.credentialXml).not.toContain('closeloop.example.com');
    // The project's own source is untouched.
    expect(
      readFileSync(
        path.join(forceApp, 'main/default/namedCredentials/Closeloop_Backend.namedCredential-meta.xml'),
        'utf8',
      ),
    ).toContain('https://closeloop.example.com');

    expect(result).toMatchObject({
      dryRun: false,
      deployId: '0Af000000000001AAA',
      status: 'Succeeded',
      componentsDeployed: 42,
      namedCredentialUrl: BACKEND,
      assignments: [
        { username: 'rep@acme.test', permissionSet: 'Closeloop_User', status: 'assigned' },
        { username: 'lead@acme.test', permissionSet: 'Closeloop_User', status: 'already assigned' },
      ].sort((a, b) => a.status.localeCompare(b.status)),
    });
    const inserts = requests.filter((r) => r.method === 'POST' && r.url.includes('/composite/sobjects'));
    expect(inserts).toHaveLength(1);
    expect(JSON.parse(inserts[0]?.body ?? '{}')).toMatchObject({
      records: [
        {
          attributes: { type: 'PermissionSetAssignment' },
          AssigneeId: '005000000000001AAA',
          PermissionSetId: '0PS000000000001AAA',
        },
      ],
    });
    const out = printed(ux);
    expect(out).toContain(
      'Deployed 42 components; the Named Credential Closeloop_Backend calls https://closeloop.acme.test.',
    );
    expect(out).toContain('External Credentials → Closeloop Backend Auth → Principals → Closeloop_Service');
    expect(out).toContain('#deploy-it');
    expect(out).toContain(`sf closeloop status --target-org ${testOrg.username}`);
  });

  it('--permission-set chooses the sets to assign', async () => {
    existing = [];
    const result = await Deploy.run([
      ...base(),
      '--assign-to',
      'lead@acme.test',
      '--permission-set',
      'Closeloop_Admin',
      '--permission-set',
      'Closeloop_Manager',
    ]);

    expect(result.assignments.map((a) => a.permissionSet)).toEqual(['Closeloop_Admin', 'Closeloop_Manager']);
    const unknown = await failureOf(Deploy.run([...base(), '--permission-set', 'Closeloop_Integration']));
    expect(unknown.message).toContain('Expected --permission-set=Closeloop_Integration to be one of');
  });

  it('--dry-run is a check-only deploy and assigns nothing', async () => {
    deployStatus.checkOnly = true;
    const result = await Deploy.run([
      ...base(),
      '--dry-run',
      '--assign-to',
      'rep@acme.test',
      '--test-level',
      'RunSpecifiedTests',
    ]);

    expect(deployed[0]?.options.apiOptions).toMatchObject({
      checkOnly: true,
      testLevel: 'RunSpecifiedTests',
      runTests: expect.arrayContaining(['CloseloopApiTest', 'ForecastControllerTest']),
    });
    expect(result.dryRun).toBe(true);
    expect(result.assignments).toEqual([]);
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
    expect(requests.some((r) => soql(r.url).includes('PermissionSet'))).toBe(false);
    expect(printed(ux)).toContain('check-only: nothing was saved and no permission set was assigned');
  });

  it('an unknown username stops before deploying, with what to do', async () => {
    const error = await failureOf(
      Deploy.run([...base(), '--assign-to', 'rep@acme.test', '--assign-to', 'nobody@acme.test']),
    );

    expect(error.name).toBe('UnknownUsersError');
    expect(error.message).toBe('No active user in the org has the username nobody@acme.test.');
    expect(error.actions?.join('\n')).toContain('Nothing was deployed');
    expect(deployed).toHaveLength(0);
  });

  it('a backend URL that is not https (or has a path) is a flag error; http to localhost is allowed', async () => {
    const plain = await failureOf(
      Deploy.run(['--target-org', testOrg.username, '--backend-url', 'http://closeloop.acme.test']),
    );
    expect(plain.message).toContain('is not an https URL (http is allowed only for localhost)');
    const withPath = await failureOf(Deploy.run(['--target-org', testOrg.username, '--backend-url', `${BACKEND}/v1`]));
    expect(withPath.message).toContain('has a path');
    expect(deployed).toHaveLength(0);

    expect(checkBackendUrl('http://localhost:8080')).toBe('http://localhost:8080');
    expect(checkBackendUrl('https://closeloop.acme.test/')).toBe('https://closeloop.acme.test');
    expect(() => withBackendUrl('<NamedCredential/>', BACKEND)).toThrow('has no URL parameter');
  });

  it('a failed deployment lists the component errors and exits non-zero, assigning nothing', async () => {
    Object.assign(deployStatus, {
      status: 'Failed',
      success: false,
      numberComponentsDeployed: 40,
      numberComponentErrors: 1,
      details: {
        componentFailures: {
          componentType: 'ApexClass',
          fullName: 'CloseloopApi',
          problem: 'Variable does not exist: Foo',
          fileName: 'classes/CloseloopApi.cls',
          lineNumber: '12',
          success: 'false',
        },
      },
    });

    const error = await failureOf(Deploy.run([...base(), '--assign-to', 'rep@acme.test']));

    expect(error.name).toBe('DeployFailedError');
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain('ended Failed: ApexClass CloseloopApi: Variable does not exist: Foo');
    expect(ux.table.lastCall?.args[0]).toMatchObject({
      title: 'Component errors (1)',
      data: [
        {
          Type: 'ApexClass',
          Name: 'CloseloopApi',
          Problem: 'Variable does not exist: Foo',
          Where: 'classes/CloseloopApi.cls:12',
        },
      ],
    });
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
  });
});
