/**
 * The real backend as a child process (`node server/dist/main.js`, exactly what `npm start`
 * runs), so tests can SIGKILL it mid-flight and start another one on the same store.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const MAIN_JS = path.resolve(__dirname, '..', '..', 'dist', 'main.js');

export interface BackendProcess {
  url: string;
  child: ChildProcess;
  /** Every log line so far (JSON, parsed). */
  logs: Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startBackend(env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<BackendProcess> {
  const child = spawn(process.execPath, [MAIN_JS], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`backend did not start in ${timeoutMs} ms: ${stderr.join('')}`)),
      timeoutMs,
    );
    void exited.then(({ code }) => reject(new Error(`backend exited (${code}) before listening: ${stderr.join('')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (entry.msg === 'Closeloop is listening' && typeof entry.url === 'string') {
        clearTimeout(timer);
        resolve(entry.url);
      }
    });
  });
  return {
    url,
    child,
    logs,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
