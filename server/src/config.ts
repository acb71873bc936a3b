/**
 * The whole configuration of the backend, from the environment, validated in one place.
 * A bad or missing value stops the process with a message naming the variable (see `loadConfig`).
 * The variable names are part of the product's external contract (PRODUCT.md): add, never rename.
 */
import path from 'node:path';
import cron from 'node-cron';
import { z } from 'zod';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = z.preprocess(blankToUndefined, z.string().trim().optional());
const intIn = (min: number, max: number, fallback: number) =>
  z.preprocess(blankToUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

const cronExpression = (fallback: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .default(fallback)
      .refine((v) => cron.validate(v), { message: 'is not a valid cron expression' }),
  );

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const httpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .refine((v) => !/^[a-z]+:\/\/[^/]*@/i.test(v), {
    message: 'must not carry a user name or password (they would end up in logs)',
  });

/** Limits and time budgets of the HTTP API (server/src/http/hardening.ts). */
export interface HttpLimits {
  /** Authenticated /v1 requests per client (IP) per minute. */
  ratePerMinute: number;
  /** Failed authentications per client (IP) per minute; past it requests without a valid token get 429. */
  authFailuresPerMinute: number;
  /** Time budget of one /v1 request; past it the answer is 503 TIMEOUT. */
  requestTimeoutMs: number;
  /** Budget of the requests that run a sync or a backfill within the request. */
  syncTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Proxies in front of the backend whose X-Forwarded-For is trusted (0: none). */
  trustProxyHops: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  ratePerMinute: 120_000,
  authFailuresPerMinute: 30,
  requestTimeoutMs: 30_000,
  syncTimeoutMs: 300_000,
  keepAliveTimeoutMs: 5000,
  trustProxyHops: 0,
};

const environment = z
  .object({
    HOST: z.preprocess(blankToUndefined, z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]).default('127.0.0.1')),
    PORT: intIn(0, 65535, 3000),
    JOB_LEASE_SECONDS: intIn(5, 3600, 30),
    JOB_MAX_ATTEMPTS: intIn(1, 50, 8),
    JOB_BACKOFF_BASE_MS: intIn(10, 3_600_000, 2000),
    JOB_BACKOFF_MAX_MS: intIn(10, 86_400_000, 300_000),
    // Each job can hold two lock connections plus query connections: 16 keeps one instance under ~60.
    WORKER_CONCURRENCY: intIn(1, 16, 4),
    LOG_LEVEL: z.preprocess(
      blankToUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),

    DATABASE_URL: z.preprocess(
      blankToUndefined,
      z.url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// URL' }).optional(),
    ),
    CLOSELOOP_DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./.closeloop')),

    SF_LOGIN_URL: z.preprocess(blankToUndefined, httpUrl.default('https://login.salesforce.com')),
    SF_CLIENT_ID: optionalText,
    SF_CLIENT_SECRET: optionalText,
    SF_API_VERSION: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^\d{2}\.0$/, 'must look like 62.0')
        .default('62.0'),
    ),
    SF_USERNAME: optionalText,
    SF_PRIVATE_KEY_FILE: optionalText,

    ERP_KIND: z.preprocess(blankToUndefined, z.enum(['sandbox', 'tryton']).default('sandbox')),
    TRYTON_URL: z.preprocess(blankToUndefined, httpUrl.optional()),
    TRYTON_DATABASE: optionalText,
    TRYTON_USER: optionalText,
    TRYTON_PASSWORD: optionalText,
    TRYTON_TIMEOUT_MS: intIn(100, 600_000, 15_000),

    CLOSELOOP_API_TOKENS: z.preprocess(
      blankToUndefined,
      z
        .string()
        .transform((v) =>
          v
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
        )
        .pipe(z.array(z.string().min(16, 'each token must be at least 16 characters')).min(1))
        .optional(),
    ),

    SYNC_BOOKINGS_CRON: cronExpression('* * * * *'),
    BUSINESS_TIMEZONE: z.preprocess(
      blankToUndefined,
      z
        .string()
        .default('UTC')
        .refine((tz) => isTimeZone(tz), { message: 'must be an IANA time zone such as Europe/Paris' }),
    ),
    BOOKINGS_SINCE: z.preprocess(blankToUndefined, z.iso.date({ message: 'must be a date (YYYY-MM-DD)' }).optional()),
    SYNC_FINANCIALS_CRON: cronExpression('* * * * *'),
    SYNC_OPPORTUNITIES_CRON: cronExpression('*/5 * * * *'),

    // HTTP hardening (README, "Security"). Authenticated callers get a generous limit (the org's
    // callouts, the benchmarks' 1,000 req/s); a client whose token fails is stopped much sooner.
    HTTP_RATE_LIMIT_PER_MINUTE: intIn(1, 10_000_000, DEFAULT_HTTP_LIMITS.ratePerMinute),
    HTTP_AUTH_FAILURES_PER_MINUTE: intIn(1, 100_000, DEFAULT_HTTP_LIMITS.authFailuresPerMinute),
    HTTP_REQUEST_TIMEOUT_MS: intIn(100, 600_000, DEFAULT_HTTP_LIMITS.requestTimeoutMs),
    HTTP_SYNC_TIMEOUT_MS: intIn(1000, 3_600_000, DEFAULT_HTTP_LIMITS.syncTimeoutMs),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: intIn(1000, 600_000, DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs),
    HTTP_TRUST_PROXY: intIn(0, 10, DEFAULT_HTTP_LIMITS.trustProxyHops),
  })
  .superRefine((env, ctx) => {
    const require = (name: keyof typeof env, why: string) => {
      if (env[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: `is required ${why}` });
    };
    require('CLOSELOOP_API_TOKENS', '(comma-separated bearer tokens for the /v1 API)');
    const jwt = env.SF_USERNAME !== undefined || env.SF_PRIVATE_KEY_FILE !== undefined;
    if (jwt) {
      require('SF_USERNAME', 'for the JWT bearer flow');
      require('SF_PRIVATE_KEY_FILE', 'for the JWT bearer flow');
      require('SF_CLIENT_ID', 'for the JWT bearer flow (the connected app consumer key)');
    } else {
      require('SF_CLIENT_ID', '(OAuth 2.0 client credentials), or use SF_USERNAME + SF_PRIVATE_KEY_FILE');
      require('SF_CLIENT_SECRET', '(OAuth 2.0 client credentials)');
    }
    if (env.ERP_KIND === 'tryton') {
      for (const name of ['TRYTON_URL', 'TRYTON_DATABASE', 'TRYTON_USER', 'TRYTON_PASSWORD'] as const) {
        require(name, 'when ERP_KIND=tryton');
      }
    }
    if (env.JOB_BACKOFF_MAX_MS < env.JOB_BACKOFF_BASE_MS) {
      ctx.addIssue({ code: 'custom', path: ['JOB_BACKOFF_MAX_MS'], message: 'must not be below JOB_BACKOFF_BASE_MS' });
    }
  });

export type SalesforceAuth =
  | { flow: 'client_credentials'; clientId: string; clientSecret: string }
  | { flow: 'jwt'; clientId: string; username: string; privateKeyFile: string };

export type ErpConfig =
  | { kind: 'sandbox' }
  | { kind: 'tryton'; url: string; database: string; user: string; password: string; timeoutMs: number };

export interface Config {
  http: { host: string; port: number; apiTokens: string[] };
  httpLimits: HttpLimits;
  store: { databaseUrl: string | undefined; dataDir: string; pool: StorePoolSizes };
  jobs: { leaseSeconds: number; maxAttempts: number; backoffBaseMs: number; backoffMaxMs: number; concurrency: number };
  salesforce: { loginUrl: string; apiVersion: string; auth: SalesforceAuth };
  erp: ErpConfig;
  schedules: { bookings: string; financials: string; opportunities: string };
  /** Won deals closed before this date are not booked by the poll (default: the first start). */
  bookingsSince: string | undefined;
  /** The business's time zone: which day it is for due dates and aging. */
  businessTimeZone: string;
  logLevel: string;
}

/** PostgreSQL connections per instance: for queries, and for advisory locks (held while work runs). */
export interface StorePoolSizes {
  queryConnections: number;
  lockConnections: number;
}

/**
 * Pool sizes that cannot run out under WORKER_CONCURRENCY. Each running job queries through one
 * connection at a time, plus a few for the HTTP API, the poll, claims and heartbeats. A booking
 * holds up to two locks at once (its opportunity, then its account), plus two for schedules.
 */
export function storePoolSizes(concurrency: number): StorePoolSizes {
  return { queryConnections: Math.max(10, concurrency + 6), lockConnections: 2 * concurrency + 2 };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment; throws ConfigError listing every bad variable by name. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environment.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
      return `  ${name}: ${message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  return {
    http: { host: env.HOST, port: env.PORT, apiTokens: env.CLOSELOOP_API_TOKENS as string[] },
    httpLimits: {
      ratePerMinute: env.HTTP_RATE_LIMIT_PER_MINUTE,
      authFailuresPerMinute: env.HTTP_AUTH_FAILURES_PER_MINUTE,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      syncTimeoutMs: env.HTTP_SYNC_TIMEOUT_MS,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      trustProxyHops: env.HTTP_TRUST_PROXY,
    },
    store: {
      databaseUrl: env.DATABASE_URL,
      dataDir: path.resolve(env.CLOSELOOP_DATA_DIR),
      pool: storePoolSizes(env.WORKER_CONCURRENCY),
    },
    jobs: {
      leaseSeconds: env.JOB_LEASE_SECONDS,
      maxAttempts: env.JOB_MAX_ATTEMPTS,
      backoffBaseMs: env.JOB_BACKOFF_BASE_MS,
      backoffMaxMs: env.JOB_BACKOFF_MAX_MS,
      concurrency: env.WORKER_CONCURRENCY,
    },
    salesforce: {
      loginUrl: env.SF_LOGIN_URL.replace(/\/+$/, ''),
      apiVersion: env.SF_API_VERSION,
      auth:
        env.SF_USERNAME !== undefined
          ? {
              flow: 'jwt',
              clientId: env.SF_CLIENT_ID as string,
              username: env.SF_USERNAME,
              privateKeyFile: env.SF_PRIVATE_KEY_FILE as string,
            }
          : {
              flow: 'client_credentials',
              clientId: env.SF_CLIENT_ID as string,
              clientSecret: env.SF_CLIENT_SECRET as string,
            },
    },
    erp:
      env.ERP_KIND === 'tryton'
        ? {
            kind: 'tryton',
            url: env.TRYTON_URL as string,
            database: env.TRYTON_DATABASE as string,
            user: env.TRYTON_USER as string,
            password: env.TRYTON_PASSWORD as string,
            timeoutMs: env.TRYTON_TIMEOUT_MS,
          }
        : { kind: 'sandbox' },
    schedules: {
      bookings: env.SYNC_BOOKINGS_CRON,
      financials: env.SYNC_FINANCIALS_CRON,
      opportunities: env.SYNC_OPPORTUNITIES_CRON,
    },
    bookingsSince: env.BOOKINGS_SINCE,
    businessTimeZone: env.BUSINESS_TIMEZONE,
    logLevel: env.LOG_LEVEL,
  };
}

/** What may be logged about the configuration: no secrets, no tokens. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    http: `${config.http.host}:${config.http.port}`,
    apiTokens: `${config.http.apiTokens.length} configured`,
    store: config.store.databaseUrl ? 'postgres' : `pglite at ${config.store.dataDir}`,
    salesforce: `${config.salesforce.auth.flow} at ${config.salesforce.loginUrl} (API ${config.salesforce.apiVersion})`,
    erp: config.erp.kind === 'tryton' ? `tryton at ${config.erp.url} db ${config.erp.database}` : 'sandbox',
    schedules: config.schedules,
  };
}
