/**
 * Invalid Salesforce ids, the edges of `salesforceIdSchema`: 18 characters with a wrong checksum,
 * the right length but another object's prefix, one character too many or too few, SOQL,
 * homoglyphs, control characters. Each is checked invalid by construction (`toId18`).
 */
import fc from 'fast-check';
import { toId18 } from '../../src/salesforce/ids';

const ALNUM = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];
const alnum = (length: number) => fc.string({ unit: fc.constantFrom(...ALNUM), minLength: length, maxLength: length });
const PREFIXES = ['001', '003', '005', '006', '00Q', '01t', '00k', 'a0B'];

export const validId15 = (prefix: string) => alnum(12).map((rest) => `${prefix}${rest}`);

export const SOQL_STRINGS = [
  "' OR Name != '",
  "006' OR Name != '",
  "001' OR Id != null OR Id = '",
  "\\' OR 1=1 --",
  "'; DELETE FROM Account; --",
  "006000000000001' LIMIT 1",
  '006000000000001%27%20OR%20Name%20!%3D%20%27',
  "') OR (Name LIKE '%",
  '" OR ""="',
  '${jndi:ldap://x}',
];

const notAnIdOf = (prefix: string) => (value: string) => {
  const id = toId18(value);
  return id === null || !id.startsWith(prefix);
};

/** Any string that `salesforceIdSchema(prefix)` must refuse. */
export function invalidId(prefix: string): fc.Arbitrary<string> {
  const badChecksum = validId15(prefix).chain((id15) => {
    const good = (toId18(id15) as string).slice(15);
    return alnum(3)
      .filter((suffix) => suffix.toUpperCase() !== good)
      .map((suffix) => id15 + suffix);
  });
  const otherPrefix = fc
    .tuple(fc.constantFrom(...PREFIXES.filter((p) => p !== prefix)), alnum(12), fc.boolean())
    .map(([p, rest, long]) => {
      const id15 = p + rest;
      return long ? (toId18(id15) as string) : id15;
    });
  const wrongLength = fc
    .integer({ min: 1, max: 40 })
    .filter((n) => n !== 15 && n !== 18)
    .chain((n) => alnum(n).map((s) => (n >= 3 ? prefix + s.slice(3) : s)));
  const homoglyph = fc
    .tuple(
      validId15(prefix),
      fc.integer({ min: 3, max: 14 }),
      fc.constantFrom('О', 'А', 'Ⅰ', 'ｏ', '０', 'ß', '\u200b'),
    )
    .map(([id, at, c]) => id.slice(0, at) + c + id.slice(at + 1));
  const control = fc
    .tuple(validId15(prefix), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 31 }))
    .map(([id, at, code]) => id.slice(0, at) + String.fromCharCode(code) + id.slice(at));
  const anyText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
  const numberLike = fc.constantFrom('0', '-1', '1e3', '0x10', 'NaN', 'Infinity', 'null', 'true', '[]', '{}');
  return fc
    .oneof(
      badChecksum,
      otherPrefix,
      wrongLength,
      homoglyph,
      control,
      fc.constantFrom(...SOQL_STRINGS),
      anyText,
      numberLike,
    )
    .filter(notAnIdOf(prefix));
}

/** Path segments that are tricks rather than ids: traversal, encoded separators, NUL, bad escapes. */
export const PATH_TRICKS = [
  '..',
  '.',
  '..%2f..%2fsync%2fstatus',
  '..%2F..%2Fhealthz',
  '%2e%2e',
  '%2e%2e%2f%2e%2e%2fv1%2fsync%2fstatus',
  '%00',
  '006000000000001%00',
  '001000000000001%00AAA',
  '%E0%A4%A',
  '%',
  '%zz',
  '%C0%AE%C0%AE',
  '..%5c..%5cwindows',
  '%252e%252e%252f',
  '006000000000001;jsessionid=x',
  '%20006000000000001',
  '006000000000001%20',
  '%EF%BB%BF006000000000001',
];

/** A raw path segment for an id that must be refused: an invalid id, percent-encoded, or a trick. */
export function invalidIdSegment(prefix: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: invalidId(prefix).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom(...PATH_TRICKS) },
  );
}
