/**
 * The gate's figures in results/gates/http-security.json: each test file writes its own section
 * (files run in parallel workers, so the merge holds a lock directory), then one summary line.
 */
import { mkdirSync, readFileSync, rmdirSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import path from 'node:path';

const DIR = path.resolve(__dirname, '..', '..', '..', 'results', 'gates');
export const RESULTS_FILE = path.join(DIR, 'http-security.json');

export interface GateSection {
  tried: number;
  failed: number;
  [detail: string]: unknown;
}

function withLock(run: () => void): void {
  const lock = `${RESULTS_FILE}.lock`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) rmdirSync(lock); // a crashed writer's lock
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    run();
  } finally {
    rmdirSync(lock);
  }
}

export function recordGate(name: string, section: GateSection): void {
  mkdirSync(DIR, { recursive: true });
  withLock(() => {
    const current = existsSync(RESULTS_FILE)
      ? (JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as { gates?: Record<string, GateSection> })
      : {};
    const gates = { ...current.gates, [name]: { ...section, measuredAt: new Date().toISOString() } };
    const all = Object.values(gates);
    const summary = {
      tried: all.reduce((n, g) => n + g.tried, 0),
      failed: all.reduce((n, g) => n + g.failed, 0),
    };
    const tmp = `${RESULTS_FILE}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ gate: 'http-security', issue: 8, summary, gates }, null, 2)}\n`);
    renameSync(tmp, RESULTS_FILE);
    const line = Object.entries(gates)
      .map(([n, g]) => `${n} ${g.tried} tried, ${g.failed} failed`)
      .join('; ');
    process.stdout.write(`http-security: ${line}\n`);
  });
}
