/**
 * The fault suite's gate figure: which fault points were exercised (step × fault), how many
 * passed and failed, and how long it took. Each test file writes its part under
 * results/gates/faults/, then results/gates/faults.json is rebuilt from every part present.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import path from 'node:path';

const GATES = path.resolve(__dirname, '..', '..', '..', 'results', 'gates');
const PARTS = path.join(GATES, 'faults');

export interface FaultPointResult {
  step: string;
  fault: string;
  passed: boolean;
  ms: number;
  error?: string;
}

interface Part {
  suite: string;
  startedAt: string;
  seconds: number;
  points: FaultPointResult[];
}

export class FaultTally {
  private readonly started = Date.now();
  readonly points: FaultPointResult[] = [];

  constructor(private readonly suite: string) {}

  /** Runs one fault point and records how it went (the error is rethrown: the test fails). */
  async run(step: string, fault: string, body: () => Promise<void>): Promise<void> {
    const t0 = Date.now();
    try {
      await body();
      this.points.push({ step, fault, passed: true, ms: Date.now() - t0 });
    } catch (e) {
      const error = e instanceof Error ? e.message.split('\n', 1)[0] : String(e);
      this.points.push({ step, fault, passed: false, ms: Date.now() - t0, error });
      throw e;
    }
  }

  /** Writes this file's part and the merged results/gates/faults.json; prints one summary line. */
  write(): void {
    mkdirSync(PARTS, { recursive: true });
    const part: Part = {
      suite: this.suite,
      startedAt: new Date(this.started).toISOString(),
      seconds: Math.round((Date.now() - this.started) / 100) / 10,
      points: [...this.points].sort((a, b) => `${a.step}|${a.fault}`.localeCompare(`${b.step}|${b.fault}`)),
    };
    writeFileSync(path.join(PARTS, `${this.suite}.json`), `${JSON.stringify(part, null, 2)}\n`);
    withLock(() => writeFileSync(path.join(GATES, 'faults.json'), `${JSON.stringify(merge(), null, 2)}\n`));
    const failed = part.points.filter((p) => !p.passed).length;
    process.stdout.write(
      `faults gate (${this.suite}): ${part.points.length} fault points tried, ${failed} failed, ${part.seconds} s\n`,
    );
  }
}

function merge() {
  const parts = readdirSync(PARTS)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(PARTS, f), 'utf8')) as Part);
  const points = parts.flatMap((p) => p.points.map((point) => ({ suite: p.suite, ...point })));
  const byStep: Record<string, Record<string, 'passed' | 'failed'>> = {};
  for (const p of points) (byStep[`${p.suite}:${p.step}`] ??= {})[p.fault] = p.passed ? 'passed' : 'failed';
  const byFault: Record<string, number> = {};
  for (const p of points) byFault[p.fault] = (byFault[p.fault] ?? 0) + 1;
  return {
    gate: 'faults',
    tried: points.length,
    passed: points.filter((p) => p.passed).length,
    failed: points.filter((p) => !p.passed).length,
    suites: parts.map((p) => ({ suite: p.suite, startedAt: p.startedAt, seconds: p.seconds, tried: p.points.length })),
    totalSeconds: Math.round(parts.reduce((s, p) => s + p.seconds, 0) * 10) / 10,
    byFault,
    byStep,
    failures: points
      .filter((p) => !p.passed)
      .map((p) => ({ suite: p.suite, step: p.step, fault: p.fault, error: p.error })),
  };
}

/** Two test files may finish together: the merge runs under a lock file. */
function withLock(fn: () => void): void {
  const lock = path.join(GATES, '.faults.lock');
  for (let i = 0; ; i++) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      if (i > 200) rmSync(lock, { force: true }); // a stale lock from a killed run
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { force: true });
  }
}
