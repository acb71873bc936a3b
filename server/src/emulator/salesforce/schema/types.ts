/**
 * The org's schema, in the vocabulary of the describe call (field `type` values are the REST
 * describe types, not the Metadata API's `<type>`).
 */

/** A stored field value, already in its JSON wire form (dates and datetimes are strings). */
export type Value = string | number | boolean | null;

/** A record as the store keeps it: canonical field names to wire values. */
export type Row = Readonly<Record<string, Value>>;

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'currency'
  | 'double'
  | 'percent'
  | 'int'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'phone'
  | 'url'
  | 'email';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  precision: number;
  scale: number;
  custom: boolean;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  /** Must be given on create: not nillable and no default (REQUIRED_FIELD_MISSING otherwise). */
  required: boolean;
  defaultedOnCreate: boolean;
  externalId: boolean;
  unique: boolean;
  caseSensitive: boolean;
  nameField: boolean;
  calculated: boolean;
  picklistValues: PicklistValue[];
  restrictedPicklist: boolean;
  referenceTo: string[];
  /** Parent relationship name used in SOQL paths (`Account`, `Owner`, `Foo__r`). */
  relationshipName: string | null;
  /** Name of the child relationship this lookup adds to its parent (`Opportunities`). */
  childRelationshipName: string | null;
  cascadeDelete: boolean;
  defaultValue: Value;
  inlineHelpText: string | null;
  extraTypeInfo: string | null;
}

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string | null;
  cascadeDelete: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  fields: FieldDef[];
  /** Filled in by the schema once every object is known. */
  childRelationships: ChildRelationship[];
}

export const NUMBER_TYPES: ReadonlySet<FieldType> = new Set(['currency', 'double', 'percent', 'int']);
export const TEXT_TYPES: ReadonlySet<FieldType> = new Set([
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'phone',
  'url',
  'email',
]);
export const ID_TYPES: ReadonlySet<FieldType> = new Set(['id', 'reference']);
