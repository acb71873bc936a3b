/**
 * A raw HTTP client: the path goes on the wire exactly as given (fetch would normalise `..` and
 * re-encode), headers and body as given, with a deadline so a hang is reported, not waited for.
 */
import http from 'node:http';

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export function send(baseUrl: string, req: RawRequest, deadlineMs = 10_000): Promise<RawAnswer> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const out = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.path,
        headers: {
          ...(req.body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(req.body)) }),
          ...req.headers,
        },
        agent: false,
        timeout: deadlineMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    out.on('timeout', () => out.destroy(new Error(`no answer within ${deadlineMs} ms (a hang)`)));
    out.on('error', reject);
    out.end(req.body);
  });
}

/** The answer's body as the API's error shape, or null when it is not one. */
export function errorOf(answer: RawAnswer): { code: string; message: string; field?: string } | null {
  if (!/^application\/json/.test(String(answer.headers['content-type']))) return null;
  try {
    const body = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown; field?: unknown } };
    const e = body.error;
    if (!e || typeof e.code !== 'string' || typeof e.message !== 'string') return null;
    return { code: e.code, message: e.message, ...(typeof e.field === 'string' ? { field: e.field } : {}) };
  } catch {
    return null;
  }
}
