/**
 * Custom fields and objects read from the project's SFDX source (`force-app`), so the emulated org
 * has exactly the fields the package deploys — nothing hard-coded here can drift from the
 * metadata.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { auditFields, field, idField, ownerField, text } from './builders';
import type { FieldDef, FieldType, ObjectDef, PicklistValue } from './types';

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false, // keep every value a string; we convert per tag
  isArray: (name) => name === 'value' || name === 'referenceTo',
});

/** Field metadata, as far as we read it. Unknown tags are ignored. */
interface FieldMeta {
  fullName?: string;
  label?: string;
  type?: string;
  length?: string;
  precision?: string;
  scale?: string;
  required?: string;
  unique?: string;
  externalId?: string;
  caseSensitive?: string;
  defaultValue?: string;
  inlineHelpText?: string;
  formula?: string;
  referenceTo?: string[];
  relationshipName?: string;
  reparentableMasterDetail?: string;
  valueSet?: {
    restricted?: string;
    valueSetDefinition?: { value?: { fullName?: string; label?: string; default?: string }[] };
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function readXml(file: string, root: string): Record<string, unknown> {
  const doc = asRecord(parser.parse(readFileSync(file, 'utf8')));
  const body = doc[root];
  if (typeof body !== 'object' || body === null) {
    throw new Error(`${file}: expected a <${root}> document`);
  }
  return body as Record<string, unknown>;
}

const flag = (v: string | undefined): boolean => v?.trim().toLowerCase() === 'true';
const int = (v: string | undefined, fallback: number): number => (v === undefined ? fallback : Number(v));

function picklistValues(meta: FieldMeta): PicklistValue[] {
  const values = meta.valueSet?.valueSetDefinition?.value ?? [];
  return values.map((v) => ({
    value: v.fullName ?? '',
    label: v.label ?? v.fullName ?? '',
    active: true,
    defaultValue: flag(v.default),
  }));
}

/** Metadata API `<type>` → describe type and sizes. */
function typeOf(meta: FieldMeta, file: string): Partial<FieldDef> & { type: FieldType } {
  const length = int(meta.length, 255);
  const numeric = { precision: int(meta.precision, 18), scale: int(meta.scale, 0) };
  switch (meta.type) {
    case 'Text':
    case 'EncryptedText':
      return { type: 'string', length };
    case 'TextArea':
      return { type: 'textarea', length: 255, extraTypeInfo: 'plaintextarea' };
    case 'LongTextArea':
      return { type: 'textarea', length: int(meta.length, 32768), extraTypeInfo: 'plaintextarea' };
    case 'Html':
      return { type: 'textarea', length: int(meta.length, 32768), extraTypeInfo: 'richtextarea' };
    case 'Email':
      return { type: 'email', length: 80 };
    case 'Phone':
      return { type: 'phone', length: 40 };
    case 'Url':
      return { type: 'url', length: 255 };
    case 'Number':
      return { type: 'double', ...numeric };
    case 'Currency':
      return { type: 'currency', ...numeric };
    case 'Percent':
      return { type: 'percent', ...numeric };
    case 'Checkbox':
      return { type: 'boolean', nillable: false, defaultedOnCreate: true, defaultValue: flag(meta.defaultValue) };
    case 'Date':
      return { type: 'date' };
    case 'DateTime':
      return { type: 'datetime' };
    case 'Picklist':
    case 'MultiselectPicklist':
      return picklistOf(meta);
    case 'Lookup':
    case 'MasterDetail':
      return lookupOf(meta);
    case 'AutoNumber':
      return { type: 'string', length: 30, createable: false, updateable: false, calculated: true };
    case 'Summary':
      return { type: 'double', precision: 18, scale: 2, createable: false, updateable: false, calculated: true };
    default:
      throw new Error(`${file}: field type '${meta.type ?? '(missing)'}' is not supported by the local Salesforce`);
  }
}

function picklistOf(meta: FieldMeta): Partial<FieldDef> & { type: FieldType } {
  const values = picklistValues(meta);
  const chosen = values.find((v) => v.defaultValue);
  return {
    type: meta.type === 'Picklist' ? 'picklist' : 'multipicklist',
    length: meta.type === 'Picklist' ? 255 : 4099,
    picklistValues: values,
    restrictedPicklist: flag(meta.valueSet?.restricted),
    defaultValue: chosen ? chosen.value : null,
    defaultedOnCreate: chosen !== undefined,
  };
}

function lookupOf(meta: FieldMeta): Partial<FieldDef> & { type: FieldType } {
  const name = meta.fullName ?? '';
  const master = meta.type === 'MasterDetail';
  return {
    type: 'reference',
    length: 18,
    referenceTo: meta.referenceTo ?? [],
    relationshipName: name.replace(/__c$/, '__r'),
    childRelationshipName: meta.relationshipName ? `${meta.relationshipName}__r` : null,
    cascadeDelete: master,
    required: master || flag(meta.required),
    updateable: !master || flag(meta.reparentableMasterDetail),
  };
}

export function readFieldFile(file: string): FieldDef {
  const meta = readXml(file, 'CustomField') as FieldMeta;
  const name = meta.fullName ?? path.basename(file).replace(/\.field-meta\.xml$/, '');
  const typed = typeOf({ ...meta, fullName: name }, file);
  const calculated = meta.formula !== undefined;
  const required = typed.required ?? (flag(meta.required) && !calculated);
  const def = field(name, typed.type, {
    ...typed,
    label: meta.label ?? name,
    custom: true,
    required,
    externalId: flag(meta.externalId),
    unique: flag(meta.unique),
    caseSensitive: flag(meta.caseSensitive),
    inlineHelpText: meta.inlineHelpText ?? null,
  });
  return calculated ? { ...def, calculated: true, createable: false, updateable: false, required: false } : def;
}

function listFieldFiles(objectDir: string): string[] {
  const fieldsDir = path.join(objectDir, 'fields');
  if (!existsSync(fieldsDir)) return [];
  return readdirSync(fieldsDir)
    .filter((f) => f.endsWith('.field-meta.xml'))
    .sort()
    .map((f) => path.join(fieldsDir, f));
}

/** A custom object (`Foo__c`) with the standard system fields and its name field. */
function customObject(objectDir: string, name: string, keyPrefix: string): ObjectDef {
  const file = path.join(objectDir, `${name}.object-meta.xml`);
  const meta = existsSync(file) ? readXml(file, 'CustomObject') : {};
  const label = typeof meta.label === 'string' ? meta.label : name;
  const plural = typeof meta.pluralLabel === 'string' ? meta.pluralLabel : label;
  const nameMeta = asRecord(meta.nameField);
  const nameLabel = typeof nameMeta.label === 'string' ? nameMeta.label : `${label} Name`;
  const autoNumber = nameMeta.type === 'AutoNumber';
  const nameField = autoNumber
    ? { ...text('Name', 80, { label: nameLabel, nameField: true }), createable: false, updateable: false }
    : text('Name', 80, { label: nameLabel, nameField: true, required: true });
  return {
    name,
    label,
    labelPlural: plural,
    keyPrefix,
    custom: true,
    createable: true,
    updateable: true,
    deletable: true,
    fields: [idField(), nameField, ownerField(), ...auditFields()],
    childRelationships: [],
  };
}

const PREFIX_DIGITS = '123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function customPrefix(index: number): string {
  const digit = PREFIX_DIGITS.charAt(index);
  if (!digit) throw new Error('local Salesforce: too many custom objects in force-app');
  return `a0${digit}`;
}

export interface ForceAppSchema {
  /** Custom fields by object API name (standard or custom object). */
  fieldsByObject: Map<string, FieldDef[]>;
  customObjects: ObjectDef[];
}

/** Reads `<forceAppDir>/main/default/objects`. A missing folder means "no customisations". */
export function readForceApp(forceAppDir: string): ForceAppSchema {
  const objectsDir = path.join(forceAppDir, 'main', 'default', 'objects');
  const fieldsByObject = new Map<string, FieldDef[]>();
  const customObjects: ObjectDef[] = [];
  if (!existsSync(objectsDir)) return { fieldsByObject, customObjects };
  const names = readdirSync(objectsDir).sort();
  for (const name of names) {
    const dir = path.join(objectsDir, name);
    fieldsByObject.set(name, listFieldFiles(dir).map(readFieldFile));
    // Custom objects get prefixes a01, a02, ... in name order, like a fresh org would hand out.
    if (name.endsWith('__c')) customObjects.push(customObject(dir, name, customPrefix(customObjects.length)));
  }
  return { fieldsByObject, customObjects };
}
