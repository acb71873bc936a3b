/** Field paths such as `Account.Owner.Name`: resolved against the schema, read from the store. */
import { noSuchColumnMessage } from '../errors';
import type { FieldDef, ObjectDef, Row, Value } from '../schema';
import { queryError, type QueryContext } from './context';

export interface FieldPath {
  /** The path as written, for messages. */
  text: string;
  /** Lookup fields to follow, in order. */
  hops: { field: FieldDef; target: ObjectDef }[];
  field: FieldDef;
  /** The object that owns `field`. */
  object: ObjectDef;
}

function relationshipError(ctx: QueryContext, name: string): Error {
  return queryError(
    ctx,
    'INVALID_FIELD',
    name,
    `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom ` +
      `relationship, be sure to append the '__r' after the custom relationship name. Please reference ` +
      `your WSDL or the describe call for the appropriate names.`,
  );
}

/** Splits `a.b.c`, dropping a leading alias of the queried object (`FROM Account a`). */
export function splitPath(text: string, alias: string | undefined): string[] {
  const parts = text.split('.');
  if (alias && parts.length > 1 && parts[0]?.toLowerCase() === alias.toLowerCase()) parts.shift();
  return parts;
}

export function resolvePath(ctx: QueryContext, root: ObjectDef, parts: readonly string[]): FieldPath {
  const text = parts.join('.');
  let object = root;
  const hops: FieldPath['hops'] = [];
  for (const name of parts.slice(0, -1)) {
    const lookup = ctx.schema.parentRelationship(object, name);
    const target = lookup ? ctx.schema.object(lookup.referenceTo[0] ?? '') : undefined;
    if (!lookup || !target) throw relationshipError(ctx, name);
    hops.push({ field: lookup, target });
    object = target;
  }
  const leafName = parts[parts.length - 1] ?? '';
  const field = ctx.schema.field(object, leafName);
  if (!field) throw queryError(ctx, 'INVALID_FIELD', leafName, noSuchColumnMessage(leafName, object.name));
  return { text, hops, field, object };
}

/** The value at the end of the path; null as soon as a lookup is empty. */
export function readPath(ctx: QueryContext, row: Row, path: FieldPath): Value {
  let current: Row | undefined = row;
  for (const hop of path.hops) {
    const id: Value | undefined = current[hop.field.name];
    current = typeof id === 'string' ? ctx.store.get(hop.target.name, id) : undefined;
    if (!current) return null;
  }
  return current[path.field.name] ?? null;
}
