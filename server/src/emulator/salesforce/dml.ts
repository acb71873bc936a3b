/**
 * Inserts, updates and deletes with the checks a real org applies, in its order: unknown columns
 * (whole request), read-only fields, value types and sizes, references, required fields,
 * validation rules, unique values — then derived fields and roll-ups.
 */
import { DERIVERS, rollUpOpportunity } from './derived';
import { noSuchColumnOnWrite, recordError, SalesforceError } from './errors';
import { normalizeId, to15, type IdFactory } from './ids';
import type { FieldDef, ObjectDef, Row, Schema, Value } from './schema';
import type { Store } from './store';
import { systemStamp, normalizeValue } from './values';

/** A validation rule: return a message to reject the record (FIELD_CUSTOM_VALIDATION_EXCEPTION). */
export type ValidationRule = (
  record: Readonly<Record<string, Value>>,
  previous?: Readonly<Record<string, Value>>,
) => string | null | undefined;

export interface WriteOptions {
  /** In-process only: allow read-only fields (Amount on an opportunity with lines, audit dates...) and skip validation rules. */
  force?: boolean;
}

/** A write body read against the schema: values by canonical field name. */
export interface ParsedWrite {
  object: ObjectDef;
  values: Map<string, { field: FieldDef; value: Value }>;
  /** A value that was readable but unacceptable: reported for this record only, at save time. */
  error?: SalesforceError;
}

export interface DmlContext {
  schema: Schema;
  store: Store;
  ids: IdFactory;
  clock: () => Date;
  userId: () => string;
  rules: ReadonlyMap<string, readonly ValidationRule[]>;
}

type MutableRow = Record<string, Value>;

export class Dml {
  constructor(private readonly ctx: DmlContext) {}

  /** Reads a JSON body. Unknown columns and unreadable JSON values fail the whole request. */
  parse(object: ObjectDef, body: Record<string, unknown>, skip: readonly string[] = ['attributes']): ParsedWrite {
    const parsed: ParsedWrite = { object, values: new Map() };
    for (const [key, raw] of Object.entries(body)) {
      if (skip.includes(key)) continue;
      const field = this.ctx.schema.field(object, key);
      if (!field) throw noSuchColumnOnWrite(key, object.name);
      try {
        parsed.values.set(field.name, { field, value: normalizeValue(field, raw) });
      } catch (e) {
        if (!(e instanceof SalesforceError) || e.scope === 'request') throw e;
        parsed.error ??= e;
      }
    }
    return parsed;
  }

  insert(parsed: ParsedWrite, options: WriteOptions = {}): string {
    const { object } = parsed;
    if (!object.createable)
      throw recordError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be inserted: ${object.name}`);
    const force = options.force === true;
    if (parsed.values.has('Id')) throw recordError('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
    if (!force) this.checkWritable(parsed, (f) => f.createable);
    if (parsed.error) throw parsed.error;
    const stamp = systemStamp(this.ctx.clock());
    const row = this.defaults(object);
    for (const [name, { value }] of parsed.values) row[name] = value;
    row.Id = this.ctx.ids.next(object.keyPrefix);
    this.stampAudit(row, undefined, stamp, parsed, force);
    return this.save(parsed, row, undefined, force, stamp);
  }

  update(parsed: ParsedWrite, id: string, options: WriteOptions = {}): void {
    const { object } = parsed;
    const previous = this.ctx.store.get(object.name, id);
    if (!previous) throw recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    if (previous.IsDeleted === true) throw recordError('ENTITY_IS_DELETED', 'entity is deleted');
    if (!object.updateable)
      throw recordError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be updated: ${object.name}`);
    const force = options.force === true;
    if (!force) this.checkWritable(parsed, (f) => f.updateable);
    if (parsed.error) throw parsed.error;
    const stamp = systemStamp(this.ctx.clock());
    const row: MutableRow = { ...previous };
    for (const [name, { value }] of parsed.values) row[name] = value;
    row.Id = previous.Id ?? id;
    this.stampAudit(row, previous, stamp, parsed, force);
    this.save(parsed, row, previous, force, stamp);
  }

  /** Soft delete (the recycle bin): `queryAll` still sees the record. Cascades like a real org. */
  delete(object: ObjectDef, id: string): void {
    const row = this.ctx.store.get(object.name, id);
    if (!row) throw recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    if (row.IsDeleted === true) throw recordError('ENTITY_IS_DELETED', 'entity is deleted');
    if (!object.deletable)
      throw recordError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
    if (object.name === 'Product2') this.refuseIfUsed(row);
    const stamp = systemStamp(this.ctx.clock());
    this.softDelete(object, row, stamp);
    if (object.name === 'OpportunityLineItem' && typeof row.OpportunityId === 'string') {
      rollUpOpportunity(this.ctx.store, row.OpportunityId, stamp);
    }
  }

  private softDelete(object: ObjectDef, row: Row, stamp: string): void {
    const { store, schema } = this.ctx;
    store.put(object.name, { ...row, IsDeleted: true, LastModifiedDate: stamp, SystemModstamp: stamp });
    for (const rel of object.childRelationships) {
      if (!rel.cascadeDelete) continue;
      const childObject = schema.object(rel.childSObject);
      if (!childObject) continue;
      for (const child of store.children(rel.childSObject, rel.field, String(row.Id))) {
        if (child.IsDeleted !== true) this.softDelete(childObject, child, stamp);
      }
    }
  }

  private refuseIfUsed(product: Row): void {
    const used = this.ctx.store
      .children('OpportunityLineItem', 'Product2Id', String(product.Id))
      .some((l) => l.IsDeleted !== true);
    if (used) {
      throw recordError(
        'DELETE_FAILED',
        `Your attempt to delete ${String(product.Name)} could not be completed because it is associated with opportunity products.`,
      );
    }
  }

  private save(parsed: ParsedWrite, row: MutableRow, previous: Row | undefined, force: boolean, stamp: string): string {
    const { object } = parsed;
    const explicit = new Set(parsed.values.keys());
    this.checkReferences(parsed, row);
    DERIVERS[object.name]?.({ store: this.ctx.store, row, previous, explicit, force });
    this.checkRequired(object, row, previous, explicit);
    if (!force) this.runRules(object, row, previous);
    this.checkUnique(object, row);
    const id = String(row.Id);
    this.ctx.store.put(object.name, row);
    if (object.name === 'OpportunityLineItem' && typeof row.OpportunityId === 'string') {
      rollUpOpportunity(this.ctx.store, row.OpportunityId, stamp);
    }
    return id;
  }

  private defaults(object: ObjectDef): MutableRow {
    const row: MutableRow = {};
    for (const f of object.fields) row[f.name] = f.defaultValue;
    return row;
  }

  private stampAudit(
    row: MutableRow,
    previous: Row | undefined,
    stamp: string,
    parsed: ParsedWrite,
    force: boolean,
  ): void {
    const given = (name: string): boolean => force && parsed.values.has(name);
    const user = this.ctx.userId();
    if (!previous) {
      if (!given('CreatedDate')) row.CreatedDate = stamp;
      if (!given('CreatedById')) row.CreatedById = user;
      if ('OwnerId' in row && row.OwnerId === null && !parsed.values.has('OwnerId')) row.OwnerId = user;
    }
    if (!given('LastModifiedDate')) row.LastModifiedDate = stamp;
    if (!given('SystemModstamp'))
      row.SystemModstamp = given('LastModifiedDate') ? (row.LastModifiedDate ?? stamp) : stamp;
    if (!given('LastModifiedById')) row.LastModifiedById = user;
    if (!given('IsDeleted')) row.IsDeleted = previous?.IsDeleted ?? false;
  }

  private checkWritable(parsed: ParsedWrite, writable: (f: FieldDef) => boolean): void {
    const bad = [...parsed.values.values()]
      .map((v) => v.field)
      .filter((f) => !writable(f))
      .map((f) => f.name);
    if (bad.length === 0) return;
    throw recordError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${bad.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      bad,
    );
  }

  /** Lookups named in the write: a well-formed id of the right object, of a live record. */
  private checkReferences(parsed: ParsedWrite, row: MutableRow): void {
    for (const { field } of parsed.values.values()) {
      const raw = row[field.name];
      if (field.type !== 'reference' || typeof raw !== 'string') continue;
      const id = normalizeId(raw);
      const target = id ? this.ctx.schema.objectForId(id) : undefined;
      if (!id || !target || !field.referenceTo.includes(target.name)) {
        throw recordError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${raw}`, [field.name]);
      }
      const record = this.ctx.store.get(target.name, id);
      if (!record) throw recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]);
      if (record.IsDeleted === true) throw recordError('ENTITY_IS_DELETED', 'entity is deleted', [field.name]);
      row[field.name] = id;
    }
  }

  private checkRequired(
    object: ObjectDef,
    row: MutableRow,
    previous: Row | undefined,
    explicit: ReadonlySet<string>,
  ): void {
    const missing = object.fields
      .filter((f) => (previous ? explicit.has(f.name) && !f.nillable : f.required))
      .filter((f) => row[f.name] === null || row[f.name] === undefined)
      .map((f) => f.name);
    if (missing.length > 0) {
      throw recordError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
    }
  }

  private runRules(object: ObjectDef, row: MutableRow, previous: Row | undefined): void {
    for (const rule of this.ctx.rules.get(object.name) ?? []) {
      const message = rule({ ...row }, previous ? { ...previous } : undefined);
      if (message) throw recordError('FIELD_CUSTOM_VALIDATION_EXCEPTION', message);
    }
  }

  private checkUnique(object: ObjectDef, row: MutableRow): void {
    for (const f of object.fields) {
      const value = row[f.name];
      if (!f.unique || value === null || value === undefined) continue;
      const holder = this.ctx.store.findUnique(object.name, f, String(value));
      if (holder && holder !== row.Id) {
        throw recordError(
          'DUPLICATE_VALUE',
          `duplicate value found: ${f.name} duplicates value on record with id: ${to15(holder)}`,
        );
      }
    }
  }
}
