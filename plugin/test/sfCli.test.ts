/**
 * The plugin in the real `sf` CLI (@salesforce/cli): linked from plugin/lib as an admin would
 * (`sf plugins link plugin --no-install`), with HOME in a temporary folder and telemetry and
 * update checks off, against the real backend running in this process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedPort } from './support/commandOutput.js';
import { startTestBackend, type TestBackend } from './support/closeloopBackend.js';

const pluginDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The root devDependency (its package exports do not expose bin/, so by path).
const sfBin = path.join(pluginDir, '..', 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

describe('the plugin in the real sf CLI', () => {
  let backend: TestBackend;
  let home: string;

  const env = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH ?? '',
    HOME: home,
    SF_DISABLE_TELEMETRY: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_TELEMETRY_DISABLE_ACKNOWLEDGEMENT: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    ...extra,
  });

  /** Runs sf asynchronously: the backend it talks to answers from this same process. */
  function sf(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [sfBin, ...args], { env: env(extraEnv), cwd: home });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'closeloop-sf-'));
    // plugin/lib is built by globalSetup (and by `npm run build`).
    const link = spawnSync(process.execPath, [sfBin, 'plugins', 'link', pluginDir, '--no-install'], {
      env: env(),
      cwd: home,
      encoding: 'utf8',
    });
    if (link.status !== 0) throw new Error(`sf plugins link failed:\n${link.stdout}${link.stderr}`);
    backend = await startTestBackend();
    await backend.addProduct('CL-SEAT');
  });
  afterAll(async () => {
    await backend?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('sf closeloop status --json prints the typed result', async () => {
    const run = await sf(['closeloop', 'status', '--json', '--backend-url', backend.url, '--token', backend.token]);

    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { status: number; result: Record<string, Record<string, unknown>> };
    expect(json.status).toBe(0);
    expect(json.result.backend).toMatchObject({
      url: backend.url,
      healthy: true,
      ready: true,
      token: '********************abcd',
    });
    expect(json.result.sync?.queue).toMatchObject({ deadLetters: 0 });
    expect(run.stdout).not.toContain(backend.token);
  });

  it('an unreachable backend: exit code 1, the error and what to do, no stack trace', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;

    const run = await sf(['closeloop', 'status', '--backend-url', url, '--token', backend.token]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Error (BackendUnreachableError): Cannot reach the Closeloop backend at ${url}`);
    expect(run.stderr).toContain('Try this:');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('a bad Opportunity Id is refused with what an id looks like', async () => {
    const run = await sf(['closeloop', 'sync', '--opportunity', '006-nope', '--backend-url', backend.url]);

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('"006-nope" is not an Opportunity Id');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('login stores the backend; sync and replay then need no flags; the token is nowhere in clear', async () => {
    const login = await sf(['closeloop', 'login', '--backend-url', backend.url, '--json'], {
      CLOSELOOP_TOKEN: backend.token,
    });
    expect(login.code).toBe(0);
    const settingsFile = path.join(home, '.sf', 'closeloop.json');
    expect((JSON.parse(readFileSync(settingsFile, 'utf8')) as { backendUrl: string }).backendUrl).toBe(backend.url);

    const opportunityId = backend.seedWonDeal('CL-SEAT');
    const sync = await sf(['closeloop', 'sync', '--opportunity', opportunityId, '--json']);
    expect(sync.code).toBe(0);
    expect((JSON.parse(sync.stdout) as { result: { outcome: string } }).result.outcome).toBe('Booked');

    const replay = await sf(['closeloop', 'replay', '--json']);
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ status: 0, result: { deadLetters: [], replayed: [] } });

    // Neither the settings nor sf's own logs under HOME hold the token.
    const leaks = filesUnder(home).filter((file) => readFileSync(file, 'utf8').includes(backend.token));
    expect(leaks).toEqual([]);
  });
});
