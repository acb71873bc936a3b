/** What every benchmark script shares: the compiled backend, a throw-away database, results. */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

/** A module of the compiled backend (`npm run build` first; the bench:* scripts do). */
export function backend(module) {
  return require(join(root, 'server', 'dist', module));
}

/** The --postgres-url option every script takes. */
export const postgresOption = {
  'postgres-url': {
    type: 'string',
    default: process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  },
};

/** A new database for one run, dropped by `drop()`. */
export async function benchDatabase(prefix, adminUrl) {
  const name = `closeloop_${prefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    /** Leaves the database for study. */
    async keep() {
      await admin.end();
    },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Migrates the database with the backend's own migrations, then a plain client to seed it in bulk. */
export async function seedingClient(url) {
  const { openStore } = backend('store/open.js');
  const migrated = await openStore({ databaseUrl: url, dataDir: '/tmp' });
  await migrated.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** n, p50, p95 and max of a list of milliseconds, rounded. */
export function latencySummary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: Math.round(percentile(s, 50)),
    p95: Math.round(percentile(s, 95)),
    max: Math.round(s[s.length - 1]),
  };
}

/** Writes results/<name>.json (with when and where it was measured) and prints it. */
export function writeResult(name, result) {
  const full = {
    benchmark: name,
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    ...result,
  };
  mkdirSync(join(root, 'results'), { recursive: true });
  writeFileSync(join(root, 'results', `${name}.json`), `${JSON.stringify(full, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(full, null, 2)}\n`);
}

/** Runs a script's main, printing a failure and exiting non-zero. */
export function run(main) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

/** The backend as deployed (`node server/dist/main.js`) with this environment; resolves once it listens. */
export function startBackend(env) {
  const nodeFlags = process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : [];
  const child = spawn(process.execPath, [...nodeFlags, join(root, 'server/dist/main.js')], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolveStart, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const entry = JSON.parse(line);
        if (entry.msg === 'Closeloop is listening') resolveStart({ child, url: entry.url });
      } catch {
        /* not a log line */
      }
    });
    child.once('exit', (code) => reject(new Error(`backend exited ${code}`)));
  });
}
