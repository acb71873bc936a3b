/**
 * The emulated org's schema: standard objects plus whatever force-app adds, with case-insensitive
 * lookups (SOQL and the REST API accept `account.name` as readily as `Account.Name`).
 */
import { readForceApp } from './force-app';
import { standardObjects, type CurrencySettings } from './standard';
import type { ChildRelationship, FieldDef, ObjectDef } from './types';

export * from './types';
export { OPPORTUNITY_STAGES, type StageDef } from './stages';

export interface SchemaOptions extends CurrencySettings {
  forceAppDir: string;
}

interface ObjectIndex {
  def: ObjectDef;
  fields: Map<string, FieldDef>;
  parents: Map<string, FieldDef>;
  children: Map<string, ChildRelationship>;
}

export class Schema {
  readonly objects: readonly ObjectDef[];
  private readonly byName = new Map<string, ObjectIndex>();
  private readonly byPrefix = new Map<string, ObjectDef>();

  constructor(objects: ObjectDef[]) {
    this.objects = objects;
    for (const def of objects) {
      const fields = new Map(def.fields.map((f) => [f.name.toLowerCase(), f]));
      const parents = new Map<string, FieldDef>();
      for (const f of def.fields) {
        if (f.relationshipName) parents.set(f.relationshipName.toLowerCase(), f);
      }
      this.byName.set(def.name.toLowerCase(), { def, fields, parents, children: new Map() });
      this.byPrefix.set(def.keyPrefix, def);
    }
    this.linkChildren();
  }

  /** Every lookup adds a child relationship to its parent object (used by subqueries). */
  private linkChildren(): void {
    for (const child of this.objects) {
      for (const f of child.fields) {
        const parent = f.type === 'reference' ? this.index(f.referenceTo[0] ?? '') : undefined;
        if (!parent) continue;
        const rel: ChildRelationship = {
          childSObject: child.name,
          field: f.name,
          relationshipName: f.childRelationshipName,
          cascadeDelete: f.cascadeDelete,
        };
        parent.def.childRelationships.push(rel);
        if (rel.relationshipName) parent.children.set(rel.relationshipName.toLowerCase(), rel);
      }
    }
  }

  private index(name: string): ObjectIndex | undefined {
    return this.byName.get(name.toLowerCase());
  }

  object(name: string): ObjectDef | undefined {
    return this.index(name)?.def;
  }

  field(object: ObjectDef, name: string): FieldDef | undefined {
    return this.index(object.name)?.fields.get(name.toLowerCase());
  }

  /** The lookup field behind a parent relationship name (`Owner` → OwnerId). */
  parentRelationship(object: ObjectDef, relationshipName: string): FieldDef | undefined {
    return this.index(object.name)?.parents.get(relationshipName.toLowerCase());
  }

  childRelationship(object: ObjectDef, relationshipName: string): ChildRelationship | undefined {
    return this.index(object.name)?.children.get(relationshipName.toLowerCase());
  }

  /** The object an id belongs to, from its key prefix. */
  objectForId(id: string): ObjectDef | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }
}

/** Standard objects, plus the custom fields and objects found in force-app. */
export function buildSchema(options: SchemaOptions): Schema {
  const objects = standardObjects(options);
  const forceApp = readForceApp(options.forceAppDir);
  objects.push(...forceApp.customObjects);
  for (const def of objects) {
    const custom = forceApp.fieldsByObject.get(def.name) ?? [];
    const clash = custom.find((f) => def.fields.some((g) => g.name.toLowerCase() === f.name.toLowerCase()));
    if (clash) throw new Error(`force-app field ${def.name}.${clash.name} clashes with a standard field`);
    // Custom fields go before the system audit fields, roughly where describe lists them.
    def.fields.push(...custom);
  }
  return new Schema(objects);
}
