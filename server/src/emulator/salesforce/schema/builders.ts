/** Small constructors so the standard objects read like a field list, not like JSON. */
import type { FieldDef, FieldType, PicklistValue, Value } from './types';

type FieldOptions = Partial<Omit<FieldDef, 'name' | 'type'>>;

/** "BillingPostalCode" → "Billing Postal Code"; explicit labels override where Salesforce differs. */
export function labelFromName(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim();
}

export function field(name: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  const base: FieldDef = {
    name,
    label: labelFromName(name),
    type,
    length: 0,
    precision: 0,
    scale: 0,
    custom: name.endsWith('__c'),
    nillable: true,
    createable: true,
    updateable: true,
    required: false,
    defaultedOnCreate: false,
    externalId: false,
    unique: false,
    caseSensitive: false,
    nameField: false,
    calculated: false,
    picklistValues: [],
    restrictedPicklist: false,
    referenceTo: [],
    relationshipName: null,
    childRelationshipName: null,
    cascadeDelete: false,
    defaultValue: null,
    inlineHelpText: null,
    extraTypeInfo: null,
  };
  const merged = { ...base, ...options };
  // A required field is never nillable; a field with a default is never "required".
  if (merged.required) merged.nillable = false;
  return merged;
}

export function text(name: string, length: number, options: FieldOptions = {}): FieldDef {
  return field(name, 'string', { length, ...options });
}

export function textArea(name: string, length: number, options: FieldOptions = {}): FieldDef {
  return field(name, 'textarea', { length, extraTypeInfo: 'plaintextarea', ...options });
}

export function numeric(
  name: string,
  type: 'currency' | 'double' | 'percent' | 'int',
  precision: number,
  scale: number,
  options: FieldOptions = {},
): FieldDef {
  return field(name, type, { precision, scale, ...options });
}

export function checkbox(name: string, defaultValue: boolean, options: FieldOptions = {}): FieldDef {
  return field(name, 'boolean', {
    nillable: false,
    defaultedOnCreate: true,
    defaultValue,
    ...options,
  });
}

export function picklist(
  name: string,
  values: readonly string[],
  options: FieldOptions & { defaultPick?: string } = {},
): FieldDef {
  const { defaultPick, ...rest } = options;
  const picklistValues: PicklistValue[] = values.map((value) => ({
    value,
    label: value,
    active: true,
    defaultValue: value === defaultPick,
  }));
  const defaultValue: Value = defaultPick ?? null;
  return field(name, 'picklist', {
    length: 255,
    picklistValues,
    defaultValue,
    defaultedOnCreate: defaultPick !== undefined,
    ...rest,
  });
}

export function reference(name: string, to: string, relationshipName: string, options: FieldOptions = {}): FieldDef {
  return field(name, 'reference', {
    length: 18,
    referenceTo: [to],
    relationshipName,
    ...options,
  });
}

/** A field the platform computes: never writable through the API. */
export function readOnly(def: FieldDef): FieldDef {
  return { ...def, createable: false, updateable: false, required: false };
}

export function idField(): FieldDef {
  return field('Id', 'id', {
    label: 'Record ID',
    length: 18,
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
  });
}

/** The fields every standard and custom object carries. */
export function auditFields(): FieldDef[] {
  const system = { nillable: false, createable: false, updateable: false, defaultedOnCreate: true };
  return [
    checkbox('IsDeleted', false, { label: 'Deleted', createable: false, updateable: false }),
    field('CreatedDate', 'datetime', { ...system }),
    reference('CreatedById', 'User', 'CreatedBy', { label: 'Created By ID', ...system }),
    field('LastModifiedDate', 'datetime', { ...system }),
    reference('LastModifiedById', 'User', 'LastModifiedBy', { label: 'Last Modified By ID', ...system }),
    field('SystemModstamp', 'datetime', { label: 'System Modstamp', ...system }),
  ];
}

export function ownerField(): FieldDef {
  return reference('OwnerId', 'User', 'Owner', {
    label: 'Owner ID',
    nillable: false,
    defaultedOnCreate: true,
  });
}
