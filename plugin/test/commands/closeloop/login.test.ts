import { TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import Login from '../../../src/commands/closeloop/login.js';
import Status from '../../../src/commands/closeloop/status.js';
import { failureOf, printed, type UxStubs } from '../../support/commandOutput.js';
import { startTestBackend, type TestBackend } from '../../support/closeloopBackend.js';

describe('sf closeloop login', () => {
  const $$ = new TestContext();
  let backend: TestBackend;
  let ux: UxStubs;

  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(async () => {
    await backend.close();
  });
  beforeEach(() => {
    ux = stubSfCommandUx($$.SANDBOX);
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  /** What ~/.sf/closeloop.json holds (TestContext keeps config files in memory). */
  const stored = () => $$.configStubs.CloseloopSettings?.contents as Record<string, unknown> | undefined;

  it('stores the URL and the token (encrypted), printing the token masked; other commands then use them', async () => {
    const result = await Login.run(['--backend-url', `${backend.url}/`, '--token', backend.token]);

    expect(result).toEqual({
      backendUrl: backend.url,
      token: '********************abcd',
      path: expect.stringMatching(/[/\\]\.sf[/\\]closeloop\.json$/),
    });
    expect(stored()?.backendUrl).toBe(backend.url);
    expect(typeof stored()?.token).toBe('string');
    expect(stored()?.token).not.toContain(backend.token);
    expect(printed(ux)).not.toContain(backend.token);

    const status = await Status.run([]);
    expect(status.backend).toMatchObject({ url: backend.url, token: '********************abcd', healthy: true });
  });

  it('flags override the stored settings', async () => {
    await Login.run(['--backend-url', backend.url, '--token', backend.token]);

    const error = await failureOf(Status.run(['--token', 'another-token-5678']));

    expect(error.name).toBe('UnauthorizedError');
  });

  it('a token the backend refuses is not stored', async () => {
    const error = await failureOf(Login.run(['--backend-url', backend.url, '--token', 'wrong-token-0000']));

    expect(error.name).toBe('UnauthorizedError');
    expect(stored()?.token).toBeUndefined();
    expect(printed(ux)).not.toContain('wrong-token-0000');
  });

  it('a URL that is not http(s) is refused with an example', async () => {
    const error = await failureOf(Login.run(['--backend-url', 'ftp://closeloop.example.com', '--token', 't']));

    expect(error.name).toBe('BadBackendUrlError');
    expect(error.actions?.[0]).toContain('https://closeloop.example.com');
  });
});
