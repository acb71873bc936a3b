/**
 * Salesforce record ids. Every id that reaches SOQL or a URL is validated here first: 15 or 18
 * characters of [a-zA-Z0-9], and for 18 the case-insensitive checksum must match. Ids are kept in
 * their 18-character form everywhere (the form the API returns and the idempotency key uses).
 */
import { z } from 'zod';

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character suffix that makes a 15-character id case-insensitive. */
function checksum(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(block * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i; // an upper-case letter sets its bit
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

/** The 18-character form of a valid id, or null when `value` is not a Salesforce id. */
export function toId18(value: string): string | null {
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value)) return null;
  const id15 = value.slice(0, 15);
  const expected = id15 + checksum(id15);
  if (value.length === 18 && value.slice(15).toUpperCase() !== expected.slice(15)) return null;
  return expected;
}

export function isSalesforceId(value: string, keyPrefix?: string): boolean {
  const id = toId18(value);
  return id !== null && (keyPrefix === undefined || id.startsWith(keyPrefix));
}

export const KEY_PREFIX = { account: '001', opportunity: '006', user: '005' } as const;

/** A zod schema for an id of one kind of record (by key prefix), normalised to 18 characters. */
export function salesforceIdSchema(keyPrefix?: string, label = 'Salesforce id') {
  return z.string().transform((value, ctx) => {
    const id = toId18(value);
    if (id === null) {
      ctx.addIssue({ code: 'custom', message: `must be a 15- or 18-character ${label}` });
      return z.NEVER;
    }
    if (keyPrefix && !id.startsWith(keyPrefix)) {
      ctx.addIssue({ code: 'custom', message: `must be a ${label} (starting with ${keyPrefix})` });
      return z.NEVER;
    }
    return id;
  });
}
