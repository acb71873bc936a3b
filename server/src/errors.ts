/**
 * The two kinds of failure the product tells apart.
 *
 * - A BusinessError is a fact about the data (unknown product code, amounts that do not add up,
 *   a customer that cannot be matched safely). Retrying changes nothing: it is shown on the record
 *   with a human explanation and retried only when someone asks.
 * - A TransientError is about the weather (ERP down, Salesforce limit, timeout). It is retried with
 *   backoff and finally parked as a dead letter an admin can replay.
 *
 * Anything else thrown is treated as transient: retrying and then dead-lettering is visible and
 * loses nothing, while guessing "business" would silently give up.
 */
export class BusinessError extends Error {
  override readonly name = 'BusinessError';
  constructor(
    /** Stable machine-readable code, e.g. UNKNOWN_PRODUCT_CODE. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class TransientError extends Error {
  override readonly name = 'TransientError';
  constructor(
    /** Error class for metrics and the dead-letter list, e.g. ERP_UNAVAILABLE. */
    readonly code: string,
    message: string,
    /** A hint from the remote side (e.g. a rate limit) for the earliest sensible retry. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isBusinessError(e: unknown): e is BusinessError {
  return e instanceof BusinessError;
}

/** Error codes of Node's networking layer that mean "the other side is not there right now". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** True for errors from sockets and fetch that mean the remote end is unreachable. */
export function isNetworkError(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (cur instanceof Error && cur.name === 'AbortError') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

/** A short class name for metrics and the dead-letter list. */
export function errorClass(e: unknown): string {
  if (e instanceof BusinessError || e instanceof TransientError) return e.code;
  if (isNetworkError(e)) return 'NETWORK';
  return 'UNEXPECTED';
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
