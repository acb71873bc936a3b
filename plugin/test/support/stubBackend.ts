/**
 * A stand-in backend that answers fixed replies, for the answers the real one gives only under
 * conditions a test cannot arrange reliably (a sweep already running: 409) or never gives (a
 * URL that is not a Closeloop backend).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface StubReply {
  status: number;
  body: string;
}

export interface StubBackend {
  url: string;
  /** "METHOD /path" of every request, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startStubBackend(reply: (req: IncomingMessage) => StubReply): Promise<StubBackend> {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    const { status, body } = reply(req);
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
