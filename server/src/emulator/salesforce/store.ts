/**
 * The in-memory org: one table per object, kept with two indexes so that large orgs (100k
 * accounts for benchmarks) stay fast — children by lookup value (roll-ups, subqueries, cascades)
 * and values of unique fields (DUPLICATE_VALUE). Rows are immutable; a write replaces the row.
 *
 * Transactions are an undo journal rather than a copy of the org, so an all-or-none collection
 * of 200 records costs 200 journal entries, not a clone of 100k rows.
 */
import type { FieldDef, Row, Schema } from './schema';

interface Indexed {
  references: FieldDef[];
  uniques: FieldDef[];
}

export class Store {
  private readonly tables = new Map<string, Map<string, Row>>();
  private readonly byParent = new Map<string, Map<string, Set<string>>>();
  private readonly uniqueValues = new Map<string, Map<string, string>>();
  private readonly indexed = new Map<string, Indexed>();
  private journal: Map<string, { type: string; id: string; before: Row | undefined }> | null = null;

  constructor(schema: Schema) {
    for (const def of schema.objects) {
      this.tables.set(def.name, new Map());
      this.indexed.set(def.name, {
        references: def.fields.filter((f) => f.type === 'reference'),
        uniques: def.fields.filter((f) => f.unique),
      });
    }
  }

  private table(type: string): Map<string, Row> {
    const table = this.tables.get(type);
    if (!table) throw new Error(`local Salesforce: no table for ${type}`);
    return table;
  }

  get(type: string, id: string): Row | undefined {
    return this.table(type).get(id);
  }

  /** Every row of a type in insertion (= Id) order, deleted ones included. */
  rows(type: string): IterableIterator<Row> {
    return this.table(type).values();
  }

  count(type: string): number {
    return this.table(type).size;
  }

  /** Rows of `childType` whose lookup `field` points at `parentId` (deleted ones included). */
  children(childType: string, field: string, parentId: string): Row[] {
    const ids = this.byParent.get(`${childType}.${field}`)?.get(parentId);
    if (!ids) return [];
    const table = this.table(childType);
    const out: Row[] = [];
    for (const id of ids) {
      const row = table.get(id);
      if (row) out.push(row);
    }
    return out;
  }

  /** The live record holding `value` in a unique field, if any. */
  findUnique(type: string, field: FieldDef, value: string): string | undefined {
    return this.uniqueValues.get(`${type}.${field.name}`)?.get(uniqueKey(field, value));
  }

  put(type: string, row: Row): void {
    const id = row.Id;
    if (typeof id !== 'string') throw new Error('local Salesforce: a row needs an Id');
    const table = this.table(type);
    const before = table.get(id);
    this.remember(type, id, before);
    if (before) this.unindex(type, before);
    table.set(id, row);
    this.index(type, row);
  }

  /** Hard delete: used to undo an insert and by reset. Soft deletes are a `put` of IsDeleted. */
  remove(type: string, id: string): void {
    const table = this.table(type);
    const before = table.get(id);
    if (!before) return;
    this.remember(type, id, before);
    this.unindex(type, before);
    table.delete(id);
  }

  clear(): void {
    for (const table of this.tables.values()) table.clear();
    this.byParent.clear();
    this.uniqueValues.clear();
    this.journal = null;
  }

  /** Start recording undo information; `rollback` restores every row touched since. */
  begin(): void {
    // One level only: every write path opens exactly one transaction.
    if (this.journal) throw new Error('local Salesforce: nested store transaction');
    this.journal = new Map();
  }

  commit(): void {
    this.journal = null;
  }

  rollback(): void {
    const entries = [...(this.journal?.values() ?? [])].reverse();
    this.journal = null;
    for (const { type, id, before } of entries) {
      if (before) this.put(type, before);
      else this.remove(type, id);
    }
  }

  private remember(type: string, id: string, before: Row | undefined): void {
    const key = `${type}/${id}`;
    // Only the first write in a transaction knows the original row.
    if (this.journal && !this.journal.has(key)) this.journal.set(key, { type, id, before });
  }

  private index(type: string, row: Row): void {
    const { references, uniques } = this.indexed.get(type) ?? { references: [], uniques: [] };
    const id = String(row.Id);
    for (const f of references) {
      const parent = row[f.name];
      if (typeof parent !== 'string') continue;
      const key = `${type}.${f.name}`;
      let byValue = this.byParent.get(key);
      if (!byValue) this.byParent.set(key, (byValue = new Map()));
      let ids = byValue.get(parent);
      if (!ids) byValue.set(parent, (ids = new Set()));
      ids.add(id);
    }
    // Deleted records do not hold on to their unique values.
    if (row.IsDeleted === true) return;
    for (const f of uniques) {
      const value = row[f.name];
      if (value === null || value === undefined) continue;
      const key = `${type}.${f.name}`;
      let byValue = this.uniqueValues.get(key);
      if (!byValue) this.uniqueValues.set(key, (byValue = new Map()));
      byValue.set(uniqueKey(f, String(value)), id);
    }
  }

  private unindex(type: string, row: Row): void {
    const { references, uniques } = this.indexed.get(type) ?? { references: [], uniques: [] };
    const id = String(row.Id);
    for (const f of references) {
      const parent = row[f.name];
      if (typeof parent === 'string') this.byParent.get(`${type}.${f.name}`)?.get(parent)?.delete(id);
    }
    for (const f of uniques) {
      const value = row[f.name];
      if (value === null || value === undefined) continue;
      const byValue = this.uniqueValues.get(`${type}.${f.name}`);
      const key = uniqueKey(f, String(value));
      if (byValue?.get(key) === id) byValue.delete(key);
    }
  }
}

function uniqueKey(field: FieldDef, value: string): string {
  return field.caseSensitive ? value : value.toLowerCase();
}
