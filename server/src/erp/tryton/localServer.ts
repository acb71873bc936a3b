/**
 * Starts a local Tryton (Debian's trytond with SQLite) for tests, demos and development.
 * Used by `server/test/support/tryton.ts` and `scripts/tryton/start.mjs`.
 *
 * The prepared database is built once by `scripts/tryton/setup_database.py` (~25–50 s) and cached
 * as `<repo>/.tryton/cache/closeloop-<year>-<key>.sqlite`, where the key hashes the setup script
 * and the login it creates: a new year (fiscal years) or a changed script builds a new one. Each
 * start copies the cached file into its own data folder, so every server starts from the same
 * clean state and none can spoil the cache.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, openSync, closeSync, readFileSync, accessSync, constants as fsConstants } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export interface LocalTrytonOptions {
  /** Port to listen on (127.0.0.1); a free one when omitted. */
  port?: number;
  /**
   * Data folder. When omitted, a fresh temporary folder removed by `stop()`. When given, it is
   * kept, and a database already in it is reused (a demo ERP that keeps its data).
   */
  dataDir?: string;
  /** Progress messages (database build, start); silent when omitted. */
  log?: (message: string) => void;
  /** How long to wait for trytond to answer; default 90 s (it loads every module first). */
  startTimeoutMs?: number;
}

export interface RunningTryton {
  /** http://127.0.0.1:PORT */
  url: string;
  database: string;
  user: string;
  password: string;
  pid: number;
  dataDir: string;
  /** Settles when trytond ends, for whatever reason, with how it ended (e.g. "signal SIGTERM"). */
  exited: Promise<string>;
  stop(): Promise<void>;
}

/** A local, throw-away test ERP: the login is fixed and not a secret. */
export const LOCAL_TRYTON_LOGIN = { database: 'closeloop', user: 'admin', password: 'closeloop-admin' } as const;

export const NOT_INSTALLED_MESSAGE = 'Tryton is not installed: run scripts/tryton/install.sh';

/** Debian's python: the only one that can import proteus (see notes/tryton.md). */
const SYSTEM_PYTHON = '/usr/bin/python3';
const SETUP_SCRIPT = join('scripts', 'tryton', 'setup_database.py');

export async function startLocalTryton(options: LocalTrytonOptions = {}): Promise<RunningTryton> {
  const log = options.log ?? (() => undefined);
  const trytond = findTrytond();
  const cached = await ensureCachedDatabase(log);

  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'closeloop-tryton-')));
  const removeDataDir = () => (ownsDataDir ? rm(dataDir, { recursive: true, force: true }) : Promise.resolve());
  try {
    await placeDatabase(cached, dataDir, ownsDataDir, log);
    const port = options.port ?? (await freePort());
    const started = Date.now();
    const { child, exited, url } = await launch(trytond, dataDir, port, options.startTimeoutMs ?? 90_000);
    log(`trytond answers at ${url} after ${Date.now() - started} ms (data in ${dataDir})`);

    const stop = once(async () => {
      await stopProcess(child);
      await removeDataDir();
    });
    return { ...LOCAL_TRYTON_LOGIN, url, pid: child.pid as number, dataDir, exited, stop };
  } catch (e) {
    await removeDataDir();
    throw e;
  }
}

/** A fresh copy of the prepared database, unless a kept data folder already has one. */
async function placeDatabase(cached: string, dataDir: string, fresh: boolean, log: (message: string) => void) {
  await mkdir(dataDir, { recursive: true });
  const dbFile = join(dataDir, `${LOCAL_TRYTON_LOGIN.database}.sqlite`);
  if (!fresh && existsSync(dbFile)) {
    log(`reusing the database in ${dataDir} (delete it to start from the prepared one)`);
    return;
  }
  await copyFile(cached, dbFile);
}

/** Writes trytond.conf, starts trytond and waits until it answers. */
async function launch(trytond: string, dataDir: string, port: number, timeoutMs: number) {
  const configFile = join(dataDir, 'trytond.conf');
  const logFile = join(dataDir, 'trytond.log');
  await writeFile(configFile, trytondConfig(dataDir, port));
  const url = `http://127.0.0.1:${port}`;
  const child = spawnTrytond(trytond, configFile, logFile);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
  });
  await waitUntilAnswering(url, child, exited, logFile, timeoutMs);
  return { child, exited, url };
}

/**
 * The path of the prepared database for this year and this setup script, building it first when
 * it is missing. setup_database.py holds a lock while building, so parallel callers build once.
 */
export async function ensureCachedDatabase(log: (message: string) => void = () => undefined): Promise<string> {
  findTrytond();
  const root = repoRoot();
  const script = join(root, SETUP_SCRIPT);
  const target = join(root, '.tryton', 'cache', `closeloop-${new Date().getFullYear()}-${cacheKey(script)}.sqlite`);
  if (existsSync(target)) return target;

  log(`building the Tryton database ${target} (takes 25–50 s, once)…`);
  const passDir = await mkdtemp(join(tmpdir(), 'closeloop-tryton-pass-'));
  try {
    const passFile = join(passDir, 'password');
    await writeFile(passFile, LOCAL_TRYTON_LOGIN.password, { mode: 0o600 });
    await runSetup(script, target, passFile);
  } finally {
    await rm(passDir, { recursive: true, force: true });
  }
  return target;
}

/** The key changes with the script and with the login it creates. */
function cacheKey(script: string): string {
  const { user, password } = LOCAL_TRYTON_LOGIN;
  const hash = createHash('sha256').update(readFileSync(script)).update(`\0${user}\0${password}`);
  return hash.digest('hex').slice(0, 12);
}

function runSetup(script: string, target: string, passFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(SYSTEM_PYTHON, [script, '--output', target], {
      env: { ...process.env, TRYTONPASSFILE: passFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`building the Tryton database failed (${signal ?? `exit ${code}`}):\n${output}`));
    });
  });
}

/** trytond from Debian's packages, or the "not installed" error everyone should see. */
export function findTrytond(): string {
  const candidates = (process.env.PATH ?? '').split(delimiter).filter(Boolean).concat('/usr/bin');
  for (const dir of candidates) {
    const path = join(dir, 'trytond');
    if (isExecutable(path) && isExecutable(join(dir, 'trytond-admin')) && isExecutable(SYSTEM_PYTHON)) {
      return path;
    }
  }
  throw new Error(NOT_INSTALLED_MESSAGE);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The repository root: the folder holding scripts/tryton/setup_database.py above this file. */
export function repoRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, SETUP_SCRIPT))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find ${SETUP_SCRIPT} above ${__dirname}`);
  }
}

function trytondConfig(dataDir: string, port: number): string {
  return ['[database]', 'uri = sqlite://', `path = ${dataDir}`, '[web]', `listen = 127.0.0.1:${port}`, ''].join('\n');
}

/**
 * Launch trytond through a tiny python stub that, before exec'ing it:
 * - closes every inherited descriptor above stderr, so trytond never holds a lock file the
 *   caller's shell or CI had open (a held lock can hang the next run of a locking script);
 * - asks the kernel to SIGTERM it when this Node process dies (PR_SET_PDEATHSIG), so a crashed
 *   test run leaves no trytond behind.
 * It runs detached (own process group), so a terminal's Ctrl-C reaches only Node, which then
 * stops it in order.
 */
const LAUNCHER = `
import ctypes, os, signal, sys
os.closerange(3, os.sysconf('SC_OPEN_MAX'))
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
except Exception:
    pass
if os.getppid() != int(sys.argv[1]):
    sys.exit(0)
os.execv(sys.argv[2], sys.argv[2:])
`;

function spawnTrytond(trytond: string, configFile: string, logFile: string): ChildProcess {
  const logFd = openSync(logFile, 'a');
  try {
    const args = ['-c', LAUNCHER, String(process.pid), trytond, '-c', configFile, '-d', LOCAL_TRYTON_LOGIN.database];
    const child = spawn(SYSTEM_PYTHON, args, { detached: true, stdio: ['ignore', logFd, logFd] });
    child.unref();
    trackForExit(child);
    return child;
  } finally {
    closeSync(logFd);
  }
}

/** trytond loads every module before it listens (`-d`), so the first answer means ready. */
async function waitUntilAnswering(
  url: string,
  child: ChildProcess,
  exited: Promise<string>,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended: string | null = null;
  void exited.then((how) => (ended = how));
  while (Date.now() < deadline) {
    if (ended) throw new Error(`trytond stopped during start (${ended}):\n${await logTail(logFile)}`);
    if (await answers(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stopProcess(child);
  throw new Error(`trytond did not answer at ${url} within ${timeoutMs} ms:\n${await logTail(logFile)}`);
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 0, method: 'common.server.version', params: [] }),
      signal: AbortSignal.timeout(2_000),
    });
    await res.text();
    return res.ok;
  } catch {
    return false;
  }
}

async function logTail(logFile: string): Promise<string> {
  try {
    return (await readFile(logFile, 'utf8')).split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Belt and braces with PDEATHSIG: a normal exit of Node also ends its trytonds. */
function trackForExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of running) killGroup(c, 'SIGKILL');
    });
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // detached: the pid is its group's id
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => (done ??= fn());
}
