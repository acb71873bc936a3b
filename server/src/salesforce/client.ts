/**
 * The only place that talks to Salesforce (and the only importer of jsforce).
 *
 * - Logs in with the OAuth 2.0 client-credentials flow (or JWT bearer) and logs in again when a
 *   token expires — at most MAX_RELOGINS times a minute: jsforce alone retries a rejected token
 *   forever.
 * - Reads through SOQL (all pages) and validates every record with zod.
 * - Writes through `composite/sobjects`, at most 200 records a call, and reports per record.
 * - Turns Salesforce's errors into the product's two kinds (errors.ts): limits, 5xx and network
 *   failures are transient (with a longer pause for REQUEST_LIMIT_EXCEEDED); auth failures say
 *   clearly that the connected app needs attention.
 */
import { Connection, OAuth2 } from 'jsforce';
import type { z } from 'zod';
import type { SalesforceAuth } from '../config';
import { errorMessage, isNetworkError, TransientError } from '../errors';
import { jwtBearerAssertion } from './jwt';

/** Salesforce's limit for one composite/sobjects call. */
export const MAX_RECORDS_PER_CALL = 200;
const MAX_RELOGINS = 3;
const RELOGIN_WINDOW_MS = 60_000;
const REQUEST_LIMIT_PAUSE_MS = 60_000;
const TRANSIENT_CODES = new Set([
  'REQUEST_LIMIT_EXCEEDED',
  'SERVER_UNAVAILABLE',
  'UNABLE_TO_LOCK_ROW',
  'QUERY_TIMEOUT',
]);

export interface SalesforceOptions {
  loginUrl: string;
  apiVersion: string;
  auth: SalesforceAuth;
}

export interface RecordUpdate {
  type: string;
  id: string;
  fields: Record<string, string | number | boolean | null>;
}

export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface RecordResult {
  type: string;
  id: string;
  success: boolean;
  errors: RecordError[];
}

interface CompositeResult {
  id?: string;
  success: boolean;
  errors?: Array<{ statusCode?: string; message?: string; fields?: string[] }>;
}

export class SalesforceClient {
  private readonly conn: Connection;
  private loggedIn: Promise<void> | null = null;
  private readonly relogins: number[] = [];
  /** REST calls this client made (queries count one per page), for metrics and benchmarks. */
  apiCalls = 0;

  constructor(private readonly options: SalesforceOptions) {
    const oauth2 = new OAuth2({
      loginUrl: options.loginUrl,
      clientId: options.auth.clientId,
      clientSecret: options.auth.flow === 'client_credentials' ? options.auth.clientSecret : undefined,
      redirectUri: `${options.loginUrl}/services/oauth2/success`,
    });
    this.conn = new Connection({
      oauth2,
      loginUrl: options.loginUrl,
      version: options.apiVersion,
      refreshFn: (_conn, callback) => {
        this.relogin().then(
          () => callback(undefined, this.conn.accessToken ?? undefined),
          (e: unknown) => callback(e instanceof Error ? e : new Error(String(e))),
        );
      },
    });
    this.conn.on('request', () => {
      this.apiCalls++;
    });
  }

  /** Logs in once; concurrent callers share the same login. */
  login(): Promise<void> {
    this.loggedIn ??= this.authorize().catch((e: unknown) => {
      this.loggedIn = null;
      throw e;
    });
    return this.loggedIn;
  }

  /** Runs a query and follows every page; each record is checked against `schema`. */
  async query<T>(soql: string, schema: z.ZodType<T>): Promise<T[]> {
    await this.login();
    const result = await this.call(async () => await this.conn.query(soql, { autoFetch: true, maxFetch: 1_000_000 }));
    return parseRecords(result.records, schema);
  }

  /**
   * Runs a query page by page (up to 2,000 records each), so a large first load never sits in
   * memory at once; `includeDeleted` reads the recycle bin too (queryAll).
   */
  async *queryPages<T>(soql: string, schema: z.ZodType<T>, options: { includeDeleted?: boolean } = {}) {
    await this.login();
    let page = await this.call(async () => await this.conn.query(soql, { scanAll: options.includeDeleted ?? false }));
    for (;;) {
      yield parseRecords(page.records, schema);
      const next = page.nextRecordsUrl;
      if (page.done || !next) return;
      page = await this.call(async () => await this.conn.queryMore(next));
    }
  }

  /** The field names of an object, from its describe. */
  async describeFields(sobject: string): Promise<string[]> {
    await this.login();
    const describe = await this.call(() => this.conn.describe(sobject));
    return describe.fields.map((f) => f.name);
  }

  /**
   * Updates records (any mix of object types) in calls of at most 200, all-or-none off: one
   * rejected record does not stop the others. Results come back in the order given.
   */
  async update(records: RecordUpdate[]): Promise<RecordResult[]> {
    if (records.length === 0) return [];
    await this.login();
    const results: RecordResult[] = [];
    for (let start = 0; start < records.length; start += MAX_RECORDS_PER_CALL) {
      const chunk = records.slice(start, start + MAX_RECORDS_PER_CALL);
      const body = {
        allOrNone: false,
        records: chunk.map((r) => ({ attributes: { type: r.type }, Id: r.id, ...r.fields })),
      };
      const answer = await this.call(() => this.conn.requestPatch<CompositeResult[]>('/composite/sobjects', body));
      chunk.forEach((r, i) => results.push(toRecordResult(r, answer[i])));
    }
    return results;
  }

  /** The org's API usage as Salesforce last reported it (`Sforce-Limit-Info`). */
  apiUsage(): { used: number; limit: number } | undefined {
    return this.conn.limitInfo?.apiUsage;
  }

  private async authorize(): Promise<void> {
    const auth = this.options.auth;
    try {
      if (auth.flow === 'client_credentials') {
        await this.conn.authorize({ grant_type: 'client_credentials' });
      } else {
        const assertion = await jwtBearerAssertion(auth, this.options.loginUrl);
        await this.conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
      }
    } catch (e) {
      if (isNetworkError(e)) {
        throw new TransientError(
          'SALESFORCE_UNAVAILABLE',
          `Salesforce login at ${this.options.loginUrl} is unreachable`,
          undefined,
          { cause: e },
        );
      }
      throw new TransientError(
        'SALESFORCE_AUTH',
        `Salesforce refused the login (${errorMessage(e)}). Check the connected app and SF_CLIENT_ID / SF_CLIENT_SECRET (or SF_USERNAME / SF_PRIVATE_KEY_FILE).`,
        undefined,
        { cause: e },
      );
    }
  }

  /** Called by jsforce when a token is rejected; refuses after MAX_RELOGINS in a minute. */
  private async relogin(): Promise<void> {
    const now = Date.now();
    while (this.relogins.length > 0 && (this.relogins[0] as number) < now - RELOGIN_WINDOW_MS) this.relogins.shift();
    if (this.relogins.length >= MAX_RELOGINS) {
      throw new Error(`Salesforce kept rejecting fresh sessions (${MAX_RELOGINS} logins within a minute)`);
    }
    this.relogins.push(now);
    this.loggedIn = null;
    await this.login();
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw classify(e);
    }
  }
}

/** Every record checked against `schema`: a shape the backend cannot read stops the sync, loudly. */
function parseRecords<T>(records: unknown[], schema: z.ZodType<T>): T[] {
  return records.map((record, i) => {
    const parsed = schema.safeParse(record);
    if (!parsed.success) {
      throw new TransientError(
        'SALESFORCE_PAYLOAD',
        `Salesforce returned a record the backend cannot read (row ${i + 1}): ${parsed.error.issues
          .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
          .join('; ')}`,
      );
    }
    return parsed.data;
  });
}

function toRecordResult(r: RecordUpdate, answer: CompositeResult | undefined): RecordResult {
  if (!answer) {
    return {
      type: r.type,
      id: r.id,
      success: false,
      errors: [{ statusCode: 'NO_RESULT', message: 'Salesforce returned no result for this record', fields: [] }],
    };
  }
  return {
    type: r.type,
    id: r.id,
    success: answer.success,
    errors: (answer.errors ?? []).map((e) => ({
      statusCode: e.statusCode ?? 'UNKNOWN',
      message: e.message ?? '',
      fields: e.fields ?? [],
    })),
  };
}

/** Salesforce's error codes → the product's error kinds. */
function classify(e: unknown): Error {
  if (e instanceof TransientError) return e;
  const code = (e as { errorCode?: unknown }).errorCode;
  const message = errorMessage(e);
  if (isNetworkError(e))
    return new TransientError('SALESFORCE_UNAVAILABLE', `Salesforce is unreachable: ${message}`, undefined, {
      cause: e,
    });
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    return new TransientError('SALESFORCE_LIMIT', `Salesforce API limit reached: ${message}`, REQUEST_LIMIT_PAUSE_MS, {
      cause: e,
    });
  }
  if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || /^ERROR_HTTP_5\d\d$/.test(code))) {
    return new TransientError(
      'SALESFORCE_UNAVAILABLE',
      `Salesforce is not answering normally (${code}): ${message}`,
      undefined,
      { cause: e },
    );
  }
  if (message.startsWith('Unable to refresh session')) {
    return new TransientError(
      'SALESFORCE_AUTH',
      `${message}. Check the connected app and its credentials.`,
      undefined,
      { cause: e },
    );
  }
  // Anything else (INVALID_FIELD, MALFORMED_QUERY, ...) means the org does not look as expected —
  // e.g. the Closeloop package is not deployed. Retrying is cheap and the dead letter shows it.
  return new TransientError(
    'SALESFORCE_ERROR',
    `Salesforce rejected the request (${String(code ?? 'unknown')}): ${message}`,
    undefined,
    { cause: e },
  );
}
