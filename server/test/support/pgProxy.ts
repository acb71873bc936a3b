/**
 * A TCP proxy in front of the machine's PostgreSQL, one per test, so a test can make the store
 * misbehave for one backend without touching the server other tests share:
 * - `cutAll()`: every open connection is cut (pg_terminate_backend as the backend sees it);
 * - `setRefusing(true)`: new connections are closed at once (the server is restarting);
 * - `holdStatement(match)`: the next statement whose SQL matches is held before it reaches the
 *   server, so a fault lands exactly at one store step.
 * It reads the frontend protocol just enough to see statement texts: Query ('Q'), Parse ('P') and
 * Bind ('B', by the prepared statement's name, remembered from its Parse).
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface HeldStatement {
  sql: string;
  /** Lets the statement (and whatever follows on its connection) through. */
  release(): void;
  /** Cuts the statement's connection: the statement never reaches the server. */
  cut(): void;
}

export interface PgProxy {
  /** The same database URL, through the proxy. */
  via(databaseUrl: string): string;
  cutAll(): void;
  setRefusing(on: boolean): void;
  holdStatement(match: (sql: string) => boolean): Promise<HeldStatement>;
  /** Every statement text seen, in order (for recording what a flow does). */
  statements: string[];
  /** Connections open right now. */
  readonly open: number;
  close(): Promise<void>;
}

interface Hold {
  match(sql: string): boolean;
  resolve(held: HeldStatement): void;
}

const SSL_REQUEST = 80877103;

export async function startPgProxy(target = { host: '127.0.0.1', port: 5432 }): Promise<PgProxy> {
  const pairs = new Set<{ client: net.Socket; server: net.Socket }>();
  const names = new Map<string, string>();
  const holds: Hold[] = [];
  const statements: string[] = [];
  let refusing = false;

  const proxy = net.createServer((client) => {
    if (refusing) return void client.destroy();
    const server = net.connect(target.port, target.host);
    const pair = { client, server };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('error', end).on('close', end);
    server.on('error', end).on('close', end);
    server.pipe(client);

    let buffer = Buffer.alloc(0);
    let untyped = true; // the startup message (and an SSL request) has no type byte
    let paused = false;
    const pump = () => {
      while (!paused) {
        const header = untyped ? 0 : 1;
        if (buffer.length < header + 4) return;
        const length = buffer.readInt32BE(header) + header;
        if (buffer.length < length) return;
        const message = buffer.subarray(0, length);
        if (untyped) untyped = message.length === 8 && message.readInt32BE(4) === SSL_REQUEST;
        else {
          const sql = statementOf(message, names);
          if (sql !== undefined) {
            statements.push(sql);
            const index = holds.findIndex((h) => h.match(sql));
            if (index >= 0) {
              const [hold] = holds.splice(index, 1);
              paused = true;
              hold!.resolve({
                sql,
                release: () => {
                  paused = false;
                  forward();
                },
                cut: end,
              });
              return;
            }
          }
        }
        forward();
      }
    };
    // Sends the first message in the buffer on to the server.
    const forward = () => {
      const header = untyped ? 0 : 1;
      const length = buffer.readInt32BE(header) + header;
      if (!server.destroyed) server.write(buffer.subarray(0, length));
      buffer = buffer.subarray(length);
      pump();
    };
    client.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      pump();
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;

  const cutAll = () => {
    for (const { client, server } of [...pairs]) {
      client.destroy();
      server.destroy();
    }
  };
  return {
    via(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    cutAll,
    setRefusing(on) {
      refusing = on;
    },
    holdStatement(match) {
      return new Promise((resolve) => holds.push({ match, resolve }));
    },
    statements,
    get open() {
      return pairs.size;
    },
    async close() {
      cutAll();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

/** The SQL a frontend message runs: Query and Parse carry it, Bind names a statement parsed earlier. */
function statementOf(message: Buffer, names: Map<string, string>): string | undefined {
  const type = String.fromCharCode(message[0]!);
  const body = message.subarray(5);
  if (type === 'Q') return cString(body, 0).text;
  if (type === 'P') {
    const name = cString(body, 0);
    const text = cString(body, name.next).text;
    if (name.text) names.set(name.text, text);
    return text;
  }
  if (type === 'B') {
    const portal = cString(body, 0);
    const name = cString(body, portal.next).text;
    return name ? names.get(name) : undefined;
  }
  return undefined;
}

function cString(buffer: Buffer, start: number): { text: string; next: number } {
  const end = buffer.indexOf(0, start);
  return { text: buffer.toString('utf8', start, end), next: end + 1 };
}
