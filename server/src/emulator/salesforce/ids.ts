/**
 * Salesforce record ids.
 *
 * A 15-character id is case-sensitive: 3-character key prefix (the object type), 2 characters of
 * instance, a reserved '0', and a 9-digit base-62 counter. The 18-character form appends a
 * 3-character checksum that encodes which of the first 15 characters are upper case, so the 18
 * form survives case-insensitive tools (Excel, some databases). Both forms are accepted on input;
 * the 18 form is always returned, as the API does.
 */

export const KEY_PREFIX = {
  Account: '001',
  Opportunity: '006',
  OpportunityLineItem: '00k',
  Product2: '01t',
  Pricebook2: '01s',
  PricebookEntry: '01u',
  User: '005',
  Organization: '00D',
  CurrencyType: '02k',
} as const;

/** Key prefix of query locators (`nextRecordsUrl: /services/data/vNN.N/query/01g...-2000`). */
export const QUERY_LOCATOR_PREFIX = '01g';

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const INSTANCE = 'Kj';

function isUpper(c: string): boolean {
  return c >= 'A' && c <= 'Z';
}

function isLetter(c: string): boolean {
  return isUpper(c) || (c >= 'a' && c <= 'z');
}

/** The 3-character case checksum of a 15-character id. */
export function checksum(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      if (isUpper(id15.charAt(chunk * 5 + i))) bits |= 1 << i;
    }
    out += CHECKSUM_ALPHABET.charAt(bits);
  }
  return out;
}

/**
 * The canonical 18-character form of a 15- or 18-character id, or undefined when the text is not
 * an id. For 18-character input the case of the first 15 characters is restored from the
 * checksum, so a lower-cased 18-character id still names the same record.
 */
export function normalizeId(text: string): string | undefined {
  if (/^[a-zA-Z0-9]{15}$/.test(text)) return text + checksum(text);
  if (!/^[a-zA-Z0-9]{18}$/.test(text)) return undefined;
  const suffix = text.slice(15).toUpperCase();
  let id15 = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = CHECKSUM_ALPHABET.indexOf(suffix.charAt(chunk));
    if (bits < 0) return undefined;
    for (let i = 0; i < 5; i++) {
      const c = text.charAt(chunk * 5 + i);
      const upper = (bits & (1 << i)) !== 0;
      if (!isLetter(c)) {
        if (upper) return undefined; // a digit cannot be upper case: corrupt checksum
        id15 += c;
      } else {
        id15 += upper ? c.toUpperCase() : c.toLowerCase();
      }
    }
  }
  return id15 + suffix;
}

/** True when `id` (any accepted form) carries the given key prefix. */
export function hasPrefix(id: string, prefix: string): boolean {
  return id.slice(0, 3) === prefix;
}

/** The 15-character form, which Salesforce uses inside some error messages. */
export function to15(id18: string): string {
  return id18.slice(0, 15);
}

function base62(n: number, width: number): string {
  let out = '';
  let rest = n;
  do {
    out = BASE62.charAt(rest % 62) + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, '0');
}

/** Hands out ids in increasing order, so "ORDER BY Id" and insertion order agree. */
export class IdFactory {
  private counter = 0;

  constructor(private readonly start = 1000) {
    this.counter = start;
  }

  next(prefix: string): string {
    this.counter += 1;
    const id15 = `${prefix}${INSTANCE}0${base62(this.counter, 9)}`;
    return id15 + checksum(id15);
  }

  /** Forget handed-out ids (a fresh org starts counting again). */
  reset(): void {
    this.counter = this.start;
  }
}
