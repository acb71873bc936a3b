/**
 * SOQL literals. Values are escaped here (ids are validated instead, see ids.ts); no other code
 * pastes a value into SOQL. jsforce's own condition builder escapes quotes but not backslashes.
 */
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A quoted SOQL string literal. */
export function soqlString(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c] as string)}'`;
}

/** `('a','b')` for an IN clause. */
export function soqlList(values: readonly string[]): string {
  if (values.length === 0) throw new RangeError('an IN list needs at least one value');
  return `(${values.map(soqlString).join(',')})`;
}
