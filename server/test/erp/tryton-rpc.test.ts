/**
 * The JSON-RPC client: session reuse, capped re-login, and how failures are classified.
 * Against the real trytond where it can be, and a scripted HTTP server for what a healthy
 * trytond never does (stall, answer 5xx, refuse every session).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../src/erp/tryton/localServer';
import { TrytonRpc } from '../../src/erp/tryton/rpc';
import { BusinessError, TransientError } from '../../src/errors';
import { startTryton, type RunningTryton } from '../support/tryton';

let tryton: RunningTryton;

beforeAll(async () => {
  tryton = await startTryton();
}, 180_000);

afterAll(async () => {
  await tryton?.stop();
});

interface Seen {
  method: string;
  authorization: string | null;
  status: number;
}

/** fetch that records every request's RPC method, Authorization header and HTTP status. */
function recordingFetch(): { fetch: typeof fetch; seen: Seen[]; logins: () => number } {
  const seen: Seen[] = [];
  const recording: typeof fetch = async (input, init) => {
    const { method } = JSON.parse(String(init?.body)) as { method: string };
    const response = await fetch(input, init);
    seen.push({ method, authorization: new Headers(init?.headers).get('authorization'), status: response.status });
    return response;
  };
  return { fetch: recording, seen, logins: () => seen.filter((s) => s.method === 'common.db.login').length };
}

describe('TrytonRpc against trytond', () => {
  test('logs in once and reuses the session for many calls, also when they start together', async () => {
    const traffic = recordingFetch();
    const rpc = new TrytonRpc({ ...tryton, fetch: traffic.fetch });
    try {
      await Promise.all(Array.from({ length: 5 }, () => rpc.model('party.party', 'search_count', [])));
      for (let i = 0; i < 5; i++) await rpc.model('product.product', 'search_count', []);
      expect(traffic.logins()).toBe(1);
      const sessions = new Set(traffic.seen.filter((s) => s.method.startsWith('model.')).map((s) => s.authorization));
      expect(sessions.size).toBe(1);
      expect([...sessions][0]).toMatch(/^Session /);
    } finally {
      await rpc.close();
    }
  });

  test('passes the user context: company-dependent values read right', async () => {
    const rpc = new TrytonRpc(tryton);
    try {
      const context = await rpc.userContext();
      expect(context).toMatchObject({ company: expect.any(Number), language: 'en' });
    } finally {
      await rpc.close();
    }
  });

  test('an expired session (401) is renewed once and the call succeeds', async () => {
    const traffic = recordingFetch();
    const rpc = new TrytonRpc({ ...tryton, fetch: traffic.fetch });
    try {
      await rpc.model('party.party', 'search_count', []);
      const authorization = traffic.seen.at(-1)?.authorization ?? '';
      await rawCall(tryton, 'common.db.logout', [], authorization); // the server forgets the session

      await expect(rpc.model('party.party', 'search_count', [])).resolves.toEqual(expect.any(Number));
      expect(traffic.logins()).toBe(2);
      expect(traffic.seen.map((s) => s.status)).toContain(401);
    } finally {
      await rpc.close();
    }
  });

  test('a wrong password is a TransientError after exactly one login attempt', async () => {
    const traffic = recordingFetch();
    const rpc = new TrytonRpc({ ...tryton, password: 'not-the-password', fetch: traffic.fetch });
    const attempt = rpc.model('party.party', 'search_count', []);
    await expect(attempt).rejects.toBeInstanceOf(TransientError);
    await expect(attempt).rejects.toThrow(/refused the login/);
    expect(traffic.logins()).toBe(1);
  });

  test("a Tryton UserError is a BusinessError carrying Tryton's message", async () => {
    const rpc = new TrytonRpc(tryton);
    try {
      const attempt = rpc.model('currency.currency', 'create', [{ code: 'ZZZ', symbol: 'Z' }]); // no name
      await expect(attempt).rejects.toBeInstanceOf(BusinessError);
      await expect(attempt).rejects.toMatchObject({ code: 'ERP_VALIDATION', message: expect.stringMatching(/Name/) });
    } finally {
      await rpc.close();
    }
  });

  test('an unknown method (HTTP 403) is a TransientError naming it', async () => {
    const rpc = new TrytonRpc(tryton);
    try {
      await expect(rpc.model('party.party', 'no_such_method')).rejects.toMatchObject({
        name: 'TransientError',
        code: 'ERP_ERROR',
        message: expect.stringContaining('model.party.party.no_such_method'),
      });
    } finally {
      await rpc.close();
    }
  });

  test('a wrong database name is a TransientError', async () => {
    const rpc = new TrytonRpc({ ...tryton, database: 'no_such_db' });
    await expect(rpc.model('party.party', 'search_count', [])).rejects.toBeInstanceOf(TransientError);
  });
});

describe('TrytonRpc against a misbehaving server', () => {
  let server: Server;
  let url: string;
  let handler: (req: IncomingMessage, res: ServerResponse, body: { method: string }) => void;
  let logins = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        const body = JSON.parse(text) as { method: string };
        if (body.method === 'common.db.login') {
          logins++;
          return json(res, { id: 1, result: [1, 'key'] });
        }
        if (body.method === 'model.res.user.get_preferences') return json(res, { id: 1, result: {} });
        handler(req, res, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    logins = 0;
  });

  const client = (timeoutMs = 5_000) => new TrytonRpc({ url, database: 'db', user: 'u', password: 'p', timeoutMs });

  test('a call that gets 401 even with a fresh session fails after one re-login, never loops', async () => {
    handler = (_req, res) => {
      res.statusCode = 401;
      res.end();
    };
    await expect(client().model('party.party', 'search_count', [])).rejects.toBeInstanceOf(TransientError);
    expect(logins).toBe(2);
  });

  test('a server that does not answer in time is ERP_UNAVAILABLE', async () => {
    handler = () => undefined; // never answers
    const started = Date.now();
    await expect(client(300).model('party.party', 'search_count', [])).rejects.toMatchObject({
      name: 'TransientError',
      code: 'ERP_UNAVAILABLE',
      message: expect.stringContaining('within 300 ms'),
    });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test.each([
    [500, 'ERP_ERROR'],
    [502, 'ERP_UNAVAILABLE'],
    [503, 'ERP_UNAVAILABLE'],
  ])('HTTP %i is a TransientError %s', async (status, code) => {
    handler = (_req, res) => {
      res.statusCode = status;
      res.end('oops');
    };
    await expect(client().model('party.party', 'search_count', [])).rejects.toMatchObject({
      name: 'TransientError',
      code,
    });
  });

  test('an unexpected server exception is ERP_ERROR with its first line only', async () => {
    handler = (_req, res) => json(res, { id: 1, error: ['database is locked\nmore', 'Traceback…'] });
    await expect(client().model('party.party', 'search_count', [])).rejects.toMatchObject({
      name: 'TransientError',
      code: 'ERP_ERROR',
      message: 'Tryton failed in model.party.party.search_count: database is locked',
    });
  });

  test('a UserWarning keeps its name so the caller can recognise it', async () => {
    handler = (_req, res) =>
      json(res, { id: 1, error: ['UserWarning', ['credit_limit_amount_sale.sale,7', 'Party "X" has reached…', '']] });
    await expect(client().model('sale.sale', 'confirm', [7])).rejects.toMatchObject({
      name: 'BusinessError',
      code: 'ERP_WARNING',
      warningName: 'credit_limit_amount_sale.sale,7',
      message: 'Party "X" has reached…',
    });
  });

  test('an answer that is not JSON-RPC is ERP_ERROR', async () => {
    handler = (_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end('<html>proxy error</html>');
    };
    await expect(client().model('party.party', 'search_count', [])).rejects.toMatchObject({ code: 'ERP_ERROR' });
  });
});

test('a closed port is ERP_UNAVAILABLE, and closing such a client does not throw', async () => {
  const rpc = new TrytonRpc({ url: `http://127.0.0.1:${await freePort()}`, database: 'db', user: 'u', password: 'p' });
  await expect(rpc.model('party.party', 'search_count', [])).rejects.toMatchObject({
    name: 'TransientError',
    code: 'ERP_UNAVAILABLE',
  });
  await expect(rpc.close()).resolves.toBeUndefined();
});

function json(res: ServerResponse, body: unknown): void {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
}

async function rawCall(t: RunningTryton, method: string, params: unknown[], authorization: string): Promise<void> {
  const res = await fetch(`${t.url}/${t.database}/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: authorization },
    body: JSON.stringify({ id: 1, method, params }),
  });
  await res.text();
  if (!res.ok) throw new Error(`${method}: HTTP ${res.status}`);
}
