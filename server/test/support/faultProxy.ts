/**
 * A small HTTP proxy placed between the backend and a real remote (Tryton, the local Salesforce)
 * to make the network misbehave on cue: refuse everything (an outage), or hold a request that
 * matches a pattern until the test lets it go — the deterministic place to SIGKILL a worker
 * "after the ERP sale is created and before Salesforce is updated".
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldRequest {
  method: string;
  path: string;
  body: string;
  /** Lets the request through to the target. */
  release(): void;
  /** Cuts the connection without forwarding (the request never reaches the target). */
  drop(): void;
}

interface Hold {
  matches(method: string, path: string, body: string): boolean;
  resolve(held: HeldRequest): void;
}

export interface FaultProxy {
  url: string;
  /** While true, every connection is reset at once (the remote looks down). */
  setDown(down: boolean): void;
  /** The next request matching is held; the promise resolves when it arrives. */
  holdNext(matches: (method: string, path: string, body: string) => boolean): Promise<HeldRequest>;
  /** How many requests passed through (for "this many calls" assertions). */
  forwarded: number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let down = false;
  const holds: Hold[] = [];
  const held: HeldRequest[] = [];
  const state = { forwarded: 0 };

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    state.forwarded++;
    const out = http.request(
      // The Host header is passed unchanged: a remote that builds URLs from it (the local
      // Salesforce's instance_url) then keeps clients coming through the proxy.
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (res.destroyed) return void answer.resume();
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    out.end(body);
  };

  const server = http.createServer((req, res) => {
    if (down) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      const index = holds.findIndex((h) => h.matches(req.method ?? '', req.url ?? '', text));
      if (index < 0) {
        forward(req, res, body);
        return;
      }
      const [hold] = holds.splice(index, 1);
      const request: HeldRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        body: text,
        // Forwarded even when the client is gone: the target still receives it, as a request
        // that was on the wire when its sender died.
        release: () => forward(req, res, body),
        drop: () => req.socket.destroy(),
      };
      held.push(request);
      hold!.resolve(request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${upstream.pathname === '/' ? '' : upstream.pathname}`,
    setDown(value) {
      down = value;
    },
    holdNext(matches) {
      return new Promise((resolve) => holds.push({ matches, resolve }));
    },
    get forwarded() {
      return state.forwarded;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
