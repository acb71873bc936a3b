/** What a command printed (through the stubbed ux) and how it failed, for assertions. */
import type { SfError } from '@salesforce/core';
import type { stubSfCommandUx } from '@salesforce/sf-plugins-core';

export type UxStubs = ReturnType<typeof stubSfCommandUx>;

/** Everything the command wrote, as one string: to look for words, or for a secret that must not be there. */
export function printed(ux: UxStubs): string {
  return Object.values(ux)
    .flatMap((stub: { args: unknown[][] }) => stub.args.flat())
    .map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg)))
    .join('\n');
}

/** The error a command run rejected with; fails the test if it succeeded. */
export async function failureOf(run: Promise<unknown>): Promise<SfError & { actions?: string[] }> {
  try {
    await run;
  } catch (e) {
    return e as SfError;
  }
  throw new Error('the command succeeded, but it should have failed');
}

/** A port on this machine where nothing listens (a stopped backend). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
