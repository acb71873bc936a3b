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
  /** Lets the request through to the target; resolves once the target has answered it. */
  release(): Promise<void>;
  /** Resolves when the client gave up on the request (closed its connection, e.g. a timeout). */
  clientGone: Promise<void>;
  /** Cuts the connection without forwarding (the request never reaches the target). */
  drop(): void;
}

type Matcher = (method: string, path: string, body: string) => boolean;

interface Hold {
  matches: Matcher;
  resolve(held: HeldRequest): void;
}

/** A canned answer given instead of forwarding (a failing remote). */
export interface CannedAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

interface Answering {
  matches: Matcher;
  answer: CannedAnswer;
  count: number;
}

export interface FaultProxy {
  url: string;
  /** While true, every connection is reset at once (the remote looks down). */
  setDown(down: boolean): void;
  /** The next request matching is held; the promise resolves when it arrives. */
  holdNext(matches: Matcher): Promise<HeldRequest>;
  /**
   * Every request matching is answered with `answer` instead of being forwarded, until the
   * returned `stop()`; `count()` tells how many were answered so.
   */
  answerWith(matches: Matcher, answer: CannedAnswer): { stop(): void; count(): number };
  /** While paused, requests wait (held requests already out can still be released). */
  pause(): void;
  /** Lets the waiting requests go on, in order. */
  resume(): void;
  /** Every request seen (method, path, body), in order (for recording what a flow does). */
  requests: Array<{ method: string; path: string; body: string }>;
  /** How many requests passed through (for "this many calls" assertions). */
  forwarded: number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let down = false;
  const holds: Hold[] = [];
  const held: HeldRequest[] = [];
  const answering: Answering[] = [];
  const requests: Array<{ method: string; path: string; body: string }> = [];
  const state = { forwarded: 0 };
  let waiting: Array<() => void> | null = null;

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) =>
    new Promise<void>((resolve) => {
      state.forwarded++;
      const out = http.request(
        // The Host header is passed unchanged: a remote that builds URLs from it (the local
        // Salesforce's instance_url) then keeps clients coming through the proxy.
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          answer.on('end', resolve).on('error', () => resolve());
          if (res.destroyed) return void answer.resume();
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => {
        res.destroy();
        resolve();
      });
      out.end(body);
    });

  const server = http.createServer((req, res) => {
    if (down) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (waiting) waiting.push(() => handle(req, res, Buffer.concat(chunks)));
      else handle(req, res, Buffer.concat(chunks));
    });
  });
  const handle = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const text = body.toString('utf8');
    requests.push({ method: req.method ?? '', path: req.url ?? '', body: text });
    const canned = answering.find((a) => a.matches(req.method ?? '', req.url ?? '', text));
    if (canned) {
      canned.count++;
      res.writeHead(canned.answer.status, { 'Content-Type': 'application/json', ...canned.answer.headers });
      res.end(canned.answer.body ?? '');
      return;
    }
    const index = holds.findIndex((h) => h.matches(req.method ?? '', req.url ?? '', text));
    if (index < 0) {
      void forward(req, res, body);
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
      clientGone: new Promise<void>((resolve) => {
        if (req.socket.destroyed) resolve();
        req.socket.once('close', () => resolve());
      }),
    };
    held.push(request);
    hold!.resolve(request);
  };
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
    answerWith(matches, answer) {
      const entry: Answering = { matches, answer, count: 0 };
      answering.push(entry);
      return {
        stop: () => {
          const index = answering.indexOf(entry);
          if (index >= 0) answering.splice(index, 1);
        },
        count: () => entry.count,
      };
    },
    requests,
    pause() {
      waiting ??= [];
    },
    resume() {
      const queued = waiting ?? [];
      waiting = null;
      for (const next of queued) next();
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
