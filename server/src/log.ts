/**
 * One pino logger for the process. Secrets never reach a log line: the redaction list below
 * covers every place a credential can travel (headers, configs, RPC params), and code logs
 * `describeConfig(config)` rather than the config itself.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'apiTokens',
  '*.apiTokens',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  // HTTP clients keep the header's own spelling (fetch, jsforce's request options).
  'Authorization',
  '*.Authorization',
  'headers.Authorization',
  '*.headers.Authorization',
  '*.headers.cookie',
  '*.headers.Cookie',
];

export function createLogger(level = 'info'): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'closeloop' } });
}

/** For tests and tools that must stay quiet. */
export const silentLogger: Logger = pino({ level: 'silent' });
