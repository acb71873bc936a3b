/** The JSON shapes of records on the wire: `attributes` first, then fields in schema order. */
import type { FieldDef, ObjectDef, Row, Value } from './schema';

export interface Attributes {
  type: string;
  url?: string;
}

export type JsonRecord = { attributes: Attributes } & { [field: string]: unknown };

export function recordUrl(version: string, type: string, id: string): string {
  return `/services/data/v${version}/sobjects/${type}/${id}`;
}

export function attributesOf(version: string, type: string, row: Row): Attributes {
  return typeof row.Id === 'string' ? { type, url: recordUrl(version, type, row.Id) } : { type };
}

/** A record as GET /sobjects/{type}/{id} returns it: every field, or the ones asked for. */
export function recordJson(
  version: string,
  object: ObjectDef,
  row: Row,
  fields: readonly FieldDef[] = object.fields,
): JsonRecord {
  const out: JsonRecord = { attributes: attributesOf(version, object.name, row) };
  for (const f of fields) out[f.name] = valueOf(row, f.name);
  return out;
}

export function valueOf(row: Row, name: string): Value {
  return row[name] ?? null;
}

/** A detached copy of a row for callers outside the store. */
export function plainRecord(row: Row): Record<string, Value> {
  return { ...row };
}
