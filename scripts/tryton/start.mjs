#!/usr/bin/env node
/**
 * Starts a local Tryton for development and demos, prints the backend's environment for it, and
 * keeps it running until Ctrl-C.
 *
 *   node scripts/tryton/start.mjs [--port 8000] [--data-dir DIR]
 *
 * --port      port on 127.0.0.1 (default 8000; 0 picks a free one)
 * --data-dir  keep the ERP's data in DIR across restarts (default: a fresh copy each start)
 *
 * The environment lines go to stdout (e.g. `node scripts/tryton/start.mjs > .env.tryton`), the
 * progress to stderr. The start logic is the backend's own (server/src/erp/tryton/localServer.ts),
 * compiled by the server's build when it is missing or older than its sources.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sources = join(root, 'server', 'src', 'erp', 'tryton');
const compiledDir = join(root, 'server', 'dist', 'erp', 'tryton');
const compiled = join(compiledDir, 'localServer.js');

function main() {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '8000' }, 'data-dir': { type: 'string' } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port: not a port number: ${values.port}`);

  ensureBuilt();
  const { startLocalTryton } = createRequire(import.meta.url)(compiled);
  startLocalTryton({
    port: port === 0 ? undefined : port,
    dataDir: values['data-dir'] ? resolve(values['data-dir']) : undefined,
    log: (message) => console.error(`[tryton] ${message}`),
  }).then(serve, (e) => fail(e instanceof Error ? e.message : String(e)));
}

function serve(tryton) {
  process.stdout.write(
    [
      'ERP_KIND=tryton',
      `TRYTON_URL=${tryton.url}`,
      `TRYTON_DATABASE=${tryton.database}`,
      `TRYTON_USER=${tryton.user}`,
      `TRYTON_PASSWORD=${tryton.password}`,
      '',
    ].join('\n'),
  );
  console.error(`[tryton] running (pid ${tryton.pid}); Ctrl-C stops it`);

  const keepAlive = setInterval(() => undefined, 1 << 30);
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.error(`[tryton] ${signal}: stopping`);
    await tryton.stop();
    clearInterval(keepAlive);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  tryton.exited.then((how) => {
    if (!stopping) fail(`trytond stopped on its own (${how}); its log is in ${tryton.dataDir}/trytond.log`);
  });
}

/** Builds the server when the compiled start logic is missing or older than its sources. */
function ensureBuilt() {
  if (existsSync(compiled) && newest(sources, '.ts') <= newest(compiledDir, '.js')) return;
  console.error('[tryton] building the server (npm run build -w server)…');
  const build = spawnSync('npm', ['run', 'build', '--silent', '-w', 'server'], {
    cwd: root,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (build.status !== 0) {
    // tsc still emits on type errors elsewhere in the server; go on if our file is there.
    if (!existsSync(compiled)) fail('the server build failed, see above');
    console.error('[tryton] the build reported errors (see above); starting with what it emitted');
  }
}

function newest(dir, extension) {
  const times = readdirSync(dir)
    .filter((f) => f.endsWith(extension))
    .map((f) => statSync(join(dir, f)).mtimeMs);
  return Math.max(0, ...times);
}

function fail(message) {
  console.error(`[tryton] ${message}`);
  process.exit(1);
}

main();
