/**
 * The Closeloop backend's HTTP API as the CLI calls it: a base URL, a bearer token, a time limit
 * per call. Every failure becomes an SfError that says what happened and what to do next; the
 * token travels only in the Authorization header and never appears in a message.
 */
import { Messages, SfError } from '@salesforce/core';
import type { z } from 'zod';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@closeloop/plugin-closeloop', 'closeloop.backend');

export interface BackendTarget {
  /** Base URL without a trailing slash, e.g. https://closeloop.example.com */
  url: string;
  token: string;
}

export interface CallOptions {
  body?: unknown;
  /** Defaults to the client's time limit (30 s). */
  timeoutMs?: number;
  /** Statuses other than 2xx that are answers, not failures (e.g. /readyz's 503). */
  alsoAccept?: number[];
}

export interface Answer<T> {
  status: number;
  body: T;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** The backend's error body: {"error": {"code", "message", "field"}}. */
interface ApiErrorBody {
  code: string;
  message: string;
  field?: string;
}

export class BackendClient {
  constructor(
    readonly target: BackendTarget,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  get url(): string {
    return this.target.url;
  }

  async get<S extends z.ZodType>(path: string, schema: S, options: CallOptions = {}): Promise<Answer<z.output<S>>> {
    return this.call('GET', path, schema, options);
  }

  async post<S extends z.ZodType>(path: string, schema: S, options: CallOptions = {}): Promise<Answer<z.output<S>>> {
    return this.call('POST', path, schema, options);
  }

  private async call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    options: CallOptions,
  ): Promise<Answer<z.output<S>>> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    let response: Response;
    try {
      response = await fetch(`${this.target.url}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.target.token}`,
          Accept: 'application/json',
          ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw this.transportError(e, timeoutMs);
    }
    const text = await response.text().catch(() => '');
    const json = parseJson(text);
    const accepted = response.ok || (options.alsoAccept ?? []).includes(response.status);
    if (!accepted) throw this.apiError(method, path, response.status, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
      throw messages.createError('error.UnexpectedAnswer', [this.url, `${method} ${path}`, where], [this.url]);
    }
    return { status: response.status, body: parsed.data as z.output<S> };
  }

  /** No HTTP answer at all: refused, unknown host, TLS, or the time limit. */
  private transportError(e: unknown, timeoutMs: number): SfError {
    const name = (e as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return messages.createError('error.BackendTimeout', [this.url, Math.round(timeoutMs / 1000)], [this.url]);
    }
    const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
    const why = typeof cause?.code === 'string' ? cause.code : String(cause?.message ?? (e as Error).message);
    return messages.createError('error.BackendUnreachable', [this.url, why], [this.url]);
  }

  /** An HTTP error answer, in the backend's words when it sent its JSON error body. */
  private apiError(method: string, path: string, status: number, json: unknown): SfError {
    if (status === 401) return messages.createError('error.Unauthorized', [this.url], [this.url]);
    const body = apiErrorBody(json);
    if (!body) return messages.createError('error.NotCloseloop', [this.url, `${method} ${path}`, status], [this.url]);
    const actionKey = status >= 500 ? 'error.ServerFault.actions' : 'error.Refused.actions';
    const error = new SfError(body.message, body.code, messages.getMessages(actionKey, [this.url]));
    error.setData({ status, code: body.code, field: body.field ?? null });
    return error;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function apiErrorBody(json: unknown): ApiErrorBody | null {
  const error = (json as { error?: unknown } | null)?.error as Partial<ApiErrorBody> | undefined;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string') return null;
  return { code: error.code, message: error.message, field: typeof error.field === 'string' ? error.field : undefined };
}
