/**
 * A small JSON-RPC client for Tryton 6.0 over fetch.
 *
 * - Logs in once (`common.db.login`) and reuses the session: Basic auth would re-hash the password
 *   on every call (~0.3 s each). Concurrent callers share one login in flight.
 * - Fetches the user's context once (`res.user.get_preferences`) and passes it as the last
 *   parameter of every `model.*` call: with an empty context some values read wrong silently
 *   (the company-dependent credit limit reads as null).
 * - An expired session (HTTP 401) is renewed once per call; a second 401 is an error, never a loop.
 * - Failures are sorted into the product's two kinds (see errors.ts): Tryton's UserError is a
 *   BusinessError with Tryton's own message; a UserWarning is a `TrytonUserWarning` (a
 *   BusinessError the caller can recognise, e.g. the credit limit); an ERP that is down, slow,
 *   or failing is a TransientError.
 */
import { z } from 'zod';
import { BusinessError, TransientError, isNetworkError } from '../../errors';
import { encodeValue, parseTrytonJson } from './codec';

export interface TrytonConfig {
  /** Base URL of trytond, e.g. http://127.0.0.1:8000 (no database in it). */
  url: string;
  database: string;
  user: string;
  password: string;
  /** Per-request timeout; default 15 s. */
  timeoutMs?: number;
}

export interface TrytonRpcOptions extends TrytonConfig {
  /** Replaceable for tests that watch the traffic; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** A warning Tryton asks the user to accept. The connector never accepts one on a user's behalf. */
export class TrytonUserWarning extends BusinessError {
  constructor(
    /** Tryton's warning key, e.g. `credit_limit_amount_sale.sale,12`. */
    readonly warningName: string,
    message: string,
  ) {
    super('ERP_WARNING', message);
  }
}

export const DEFAULT_TIMEOUT_MS = 15_000;

interface Session {
  userId: number;
  key: string;
}

type Context = Record<string, unknown>;

const LoginResult = z.tuple([z.number().int(), z.string().min(1)]);
const ContextSchema = z.record(z.string(), z.unknown());
const Envelope = z.object({ result: z.unknown().optional(), error: z.unknown().optional() });
/** Tryton's own exceptions: [class name, args]; anything else is [str(exception), traceback]. */
const TrytonErrorSchema = z.tuple([z.string(), z.unknown()]);

export class TrytonRpc {
  private readonly endpoint: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private session: Session | null = null;
  private loginInFlight: Promise<Session> | null = null;
  private context: Context | null = null;
  private nextId = 1;

  constructor(private readonly options: TrytonRpcOptions) {
    this.endpoint = `${options.url.replace(/\/+$/, '')}/${encodeURIComponent(options.database)}/`;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /**
   * Calls `model.<model>.<method>` with the user's context appended as the last parameter.
   * Values are encoded with the codec (decimal.js Decimals, CalendarDates, Dates).
   */
  async model(model: string, method: string, ...args: unknown[]): Promise<unknown> {
    const context = await this.userContext();
    return this.call(`model.${model}.${method}`, [...args, context]);
  }

  /** The user's context as Tryton returned it (company, language, …). */
  async userContext(): Promise<Context> {
    if (!this.context) {
      const preferences = await this.call('model.res.user.get_preferences', [true, {}]);
      this.context = parseAnswer(ContextSchema, preferences, 'the user preferences');
    }
    return this.context;
  }

  /** Calls any method that needs a session; renews an expired session once. */
  async call(method: string, params: unknown[]): Promise<unknown> {
    let session = await this.currentSession();
    let response = await this.post(method, params, session);
    if (response.status === 401) {
      session = await this.renewSession(session);
      response = await this.post(method, params, session);
      if (response.status === 401) {
        throw new TransientError('ERP_ERROR', `Tryton rejected a fresh session for ${method}`);
      }
    }
    return this.unwrap(method, response);
  }

  /** Ends the session on the server (best effort: a server that is gone has nothing to end). */
  async close(): Promise<void> {
    const session = this.session;
    this.session = null;
    this.context = null;
    if (!session) return;
    try {
      await this.post('common.db.logout', [], session, Math.min(this.timeoutMs, 2_000));
    } catch {
      // Sessions expire on their own; closing must not fail because the ERP went away.
    }
  }

  private async currentSession(): Promise<Session> {
    return this.session ?? this.login();
  }

  /** Logs in again unless a concurrent caller already replaced the stale session. */
  private async renewSession(stale: Session): Promise<Session> {
    if (this.session && this.session !== stale) return this.session;
    this.session = null;
    return this.login();
  }

  /** One login in flight at a time: concurrent callers wait for the same one. */
  private login(): Promise<Session> {
    this.loginInFlight ??= this.doLogin().finally(() => {
      this.loginInFlight = null;
    });
    return this.loginInFlight;
  }

  private async doLogin(): Promise<Session> {
    const { user, password, database } = this.options;
    const params = [user, { password }, 'en'];
    const response = await this.post('common.db.login', params, null);
    if (response.status === 401 || response.status === 403) {
      throw new TransientError(
        'ERP_ERROR',
        `Tryton refused the login of user "${user}" on database "${database}" (HTTP ${response.status})`,
      );
    }
    if (response.status === 404) {
      throw new TransientError('ERP_ERROR', `Tryton has no database "${database}" (HTTP 404)`);
    }
    const [userId, key] = parseAnswer(LoginResult, await this.unwrap('common.db.login', response), 'the login');
    this.session = { userId, key };
    return this.session;
  }

  private async post(
    method: string,
    params: unknown[],
    session: Session | null,
    timeoutMs = this.timeoutMs,
  ): Promise<RawResponse> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (session) headers.Authorization = sessionHeader(this.options.user, session);
    const body = JSON.stringify({ id: this.nextId++, method, params: encodeValue(params) });

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await this.fetchImpl(this.endpoint, { method: 'POST', headers, body, signal: controller.signal });
      // The body is read under the same timeout: a server that stalls mid-answer is also down.
      return { status: res.status, text: await res.text(), retryAfter: res.headers.get('retry-after') };
    } catch (e) {
      const why = controller.signal.aborted
        ? `did not answer ${method} within ${timeoutMs} ms`
        : `${isNetworkError(e) ? 'is unreachable' : 'could not be called'} (${method}): ${causeText(e)}`;
      throw new TransientError('ERP_UNAVAILABLE', `Tryton at ${this.options.url} ${why}`, undefined, { cause: e });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Turns an HTTP answer into the call's result or the right kind of error. */
  private unwrap(method: string, response: RawResponse): unknown {
    if (response.status !== 200) throw httpError(method, response);
    let envelope: z.infer<typeof Envelope>;
    try {
      envelope = Envelope.parse(parseTrytonJson(response.text));
    } catch {
      throw new TransientError('ERP_ERROR', `Tryton answered ${method} with something that is not JSON-RPC`);
    }
    if (envelope.error !== undefined && envelope.error !== null) throw trytonError(method, envelope.error);
    return envelope.result;
  }
}

/** Validates an answer; a shape we do not expect means the ERP misbehaves (transient). */
export function parseAnswer<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new TransientError(
      'ERP_ERROR',
      `unexpected answer from Tryton for ${what}: ${z.prettifyError(result.error)}`,
    );
  }
  return result.data;
}

interface RawResponse {
  status: number;
  text: string;
  retryAfter: string | null;
}

function sessionHeader(user: string, session: Session): string {
  const token = Buffer.from(`${user}:${session.userId}:${session.key}`, 'utf8').toString('base64');
  return `Session ${token}`;
}

function httpError(method: string, response: RawResponse): TransientError {
  const { status } = response;
  if (status === 429) {
    const seconds = Number(response.retryAfter);
    const retryAfterMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
    return new TransientError('ERP_UNAVAILABLE', `Tryton is rate limiting ${method} (HTTP 429)`, retryAfterMs);
  }
  // 502/503/504 come from a proxy in front of a trytond that is down or restarting.
  const code = status === 502 || status === 503 || status === 504 ? 'ERP_UNAVAILABLE' : 'ERP_ERROR';
  return new TransientError(code, `Tryton answered ${method} with HTTP ${status}`);
}

/** Maps the `error` member of a JSON-RPC answer to an exception. */
export function trytonError(method: string, error: unknown): Error {
  const parsed = TrytonErrorSchema.safeParse(error);
  if (!parsed.success) return new TransientError('ERP_ERROR', `Tryton failed in ${method}`);
  const [kind, args] = parsed.data;
  const list = Array.isArray(args) ? args.map((a) => (typeof a === 'string' ? a : '')) : [];
  switch (kind) {
    case 'UserError': {
      const [message = '', description = ''] = list;
      const text = [message, description].filter((s) => s.trim() !== '').join(' ');
      return new BusinessError('ERP_VALIDATION', text || `Tryton refused ${method}`);
    }
    case 'UserWarning': {
      const [name = '', message = ''] = list;
      return new TrytonUserWarning(name, message || `Tryton warned about ${method}`);
    }
    case 'ConcurrencyException':
      return new TransientError('ERP_ERROR', `Tryton reported a concurrent change in ${method}: ${String(args)}`);
    case 'LoginException':
      return new TransientError('ERP_ERROR', `Tryton asks for another login step in ${method}`);
    default:
      // An unexpected server exception: `kind` is its text; the traceback stays in Tryton's log.
      return new TransientError('ERP_ERROR', `Tryton failed in ${method}: ${firstLine(kind)}`);
  }
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function causeText(e: unknown): string {
  const cause = (e as { cause?: unknown }).cause;
  const inner = cause instanceof Error ? cause.message : '';
  const outer = e instanceof Error ? e.message : String(e);
  return inner ? `${outer}: ${inner}` : outer;
}
