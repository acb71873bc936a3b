/**
 * The SELECT list: plain fields, parent paths (`Account.Owner.Name`, nested in the output as
 * `"Account": {"attributes": ..., "Owner": {...}}`, or null when the lookup is empty) and child
 * subqueries (`(SELECT ... FROM OpportunityLineItems)`, null when there are no children).
 */
import type { FieldType, Subquery } from '@jetstreamapp/soql-parser-js';
import { noSuchColumnMessage } from '../errors';
import { attributesOf, type JsonRecord } from '../records';
import type { ChildRelationship, FieldDef, ObjectDef, Row } from '../schema';
import { queryError, type QueryContext } from './context';
import { compileOrder, type RowComparator } from './order';
import { compileWhere, type Predicate, type SemiJoin } from './where';

export interface Selection {
  object: ObjectDef;
  items: SelectItem[];
}

type SelectItem =
  | { kind: 'field'; key: string; field: FieldDef }
  | { kind: 'parent'; key: string; lookup: FieldDef; selection: Selection }
  | { kind: 'children'; key: string; child: ChildQuery };

interface ChildQuery {
  rel: ChildRelationship;
  selection: Selection;
  where: Predicate;
  order: RowComparator | undefined;
  limit: number | undefined;
  offset: number;
}

/** Functions that only change how a field is displayed: the value is the field's own here. */
const PASSTHROUGH = new Set(['TOLABEL', 'FORMAT', 'CONVERTCURRENCY']);

function addField(ctx: QueryContext, selection: Selection, name: string): void {
  const field = ctx.schema.field(selection.object, name);
  if (!field) throw queryError(ctx, 'INVALID_FIELD', name, noSuchColumnMessage(name, selection.object.name));
  if (!selection.items.some((i) => i.kind === 'field' && i.field === field)) {
    selection.items.push({ kind: 'field', key: field.name, field });
  }
}

function parentSelection(ctx: QueryContext, selection: Selection, relationship: string): Selection {
  const lookup = ctx.schema.parentRelationship(selection.object, relationship);
  const target = lookup ? ctx.schema.object(lookup.referenceTo[0] ?? '') : undefined;
  if (!lookup || !target) {
    throw queryError(
      ctx,
      'INVALID_FIELD',
      relationship,
      `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const existing = selection.items.find((i) => i.kind === 'parent' && i.lookup === lookup);
  if (existing?.kind === 'parent') return existing.selection;
  const child: Selection = { object: target, items: [] };
  selection.items.push({ kind: 'parent', key: lookup.relationshipName ?? relationship, lookup, selection: child });
  return child;
}

function compileChild(ctx: QueryContext, root: ObjectDef, sub: Subquery, semiJoin: SemiJoin): ChildQuery {
  const rel = ctx.schema.childRelationship(root, sub.relationshipName);
  const object = rel ? ctx.schema.object(rel.childSObject) : undefined;
  if (!rel || !object) {
    throw queryError(
      ctx,
      'INVALID_TYPE',
      sub.relationshipName,
      `Didn't understand relationship '${sub.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const alias = sub.sObjectPrefix?.[0];
  return {
    rel,
    selection: compileSelection(ctx, object, alias, sub.fields ?? [], semiJoin, false),
    where: compileWhere(ctx, object, alias, sub.where, semiJoin),
    order: compileOrder(ctx, object, alias, sub.orderBy),
    limit: sub.limit,
    offset: sub.offset ?? 0,
  };
}

export function compileSelection(
  ctx: QueryContext,
  root: ObjectDef,
  alias: string | undefined,
  fields: readonly FieldType[],
  semiJoin: SemiJoin,
  allowSubqueries = true,
): Selection {
  const selection: Selection = { object: root, items: [] };
  for (const f of fields) {
    if (f.type === 'Field') {
      addField(ctx, selection, f.field);
    } else if (f.type === 'FieldRelationship') {
      const rels =
        alias && f.relationships[0]?.toLowerCase() === alias.toLowerCase() ? f.relationships.slice(1) : f.relationships;
      const target = rels.reduce((sel, rel) => parentSelection(ctx, sel, rel), selection);
      addField(ctx, target, f.field);
    } else if (f.type === 'FieldSubquery') {
      if (!allowSubqueries)
        throw queryError(ctx, 'MALFORMED_QUERY', 'SELECT', 'Nesting of semi join sub-selects is not supported');
      const child = compileChild(ctx, root, f.subquery, semiJoin);
      selection.items.push({ kind: 'children', key: child.rel.relationshipName ?? f.subquery.relationshipName, child });
    } else if (f.type === 'FieldFunctionExpression' && PASSTHROUGH.has(f.functionName.toUpperCase())) {
      const param = f.parameters[0];
      if (typeof param !== 'string')
        throw queryError(ctx, 'MALFORMED_QUERY', f.functionName, `unexpected token: '${f.functionName}'`);
      addField(ctx, selection, param);
    } else {
      const token = f.type === 'FieldTypeof' ? 'TYPEOF' : f.type === 'FieldFunctionExpression' ? f.functionName : '';
      throw queryError(
        ctx,
        'MALFORMED_QUERY',
        token,
        `${token} is not supported by the local Salesforce in this position`,
      );
    }
  }
  return selection;
}

function visible(ctx: QueryContext, row: Row | undefined): row is Row {
  return row !== undefined && (ctx.includeDeleted || row.IsDeleted !== true);
}

function projectChildren(ctx: QueryContext, parent: Row, q: ChildQuery): unknown {
  let rows = ctx.store
    .children(q.rel.childSObject, q.rel.field, String(parent.Id))
    .filter((r) => r.IsDeleted !== true && q.where(r));
  if (q.order) rows = [...rows].sort(q.order);
  rows = rows.slice(q.offset, q.limit === undefined ? undefined : q.offset + q.limit);
  if (rows.length === 0) return null;
  return { totalSize: rows.length, done: true, records: rows.map((r) => project(ctx, q.selection, r)) };
}

export function project(ctx: QueryContext, selection: Selection, row: Row): JsonRecord {
  const out: JsonRecord = { attributes: attributesOf(ctx.version, selection.object.name, row) };
  for (const item of selection.items) {
    if (item.kind === 'field') {
      out[item.key] = row[item.field.name] ?? null;
    } else if (item.kind === 'parent') {
      const id = row[item.lookup.name];
      const target = typeof id === 'string' ? ctx.store.get(item.selection.object.name, id) : undefined;
      out[item.key] = visible(ctx, target) ? project(ctx, item.selection, target) : null;
    } else {
      out[item.key] = projectChildren(ctx, row, item.child);
    }
  }
  return out;
}
