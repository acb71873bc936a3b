/** describeGlobal and describeSObject bodies, with the keys clients (jsforce, sf) read. */
import { NUMBER_TYPES, type FieldDef, type ObjectDef } from './schema';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  currency: 'xsd:double',
  double: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

function urls(version: string, name: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

/** The per-object flags shared by describeGlobal and describe. */
function objectFlags(object: ObjectDef): Record<string, unknown> {
  return {
    name: object.name,
    label: object.label,
    labelPlural: object.labelPlural,
    keyPrefix: object.keyPrefix,
    custom: object.custom,
    customSetting: false,
    createable: object.createable,
    updateable: object.updateable,
    deletable: object.deletable,
    undeletable: object.deletable,
    queryable: true,
    retrieveable: true,
    searchable: object.name !== 'Organization',
    layoutable: object.createable,
    triggerable: object.createable,
    replicateable: true,
    mergeable: object.name === 'Account',
    feedEnabled: false,
    activateable: false,
    deprecatedAndHidden: false,
  };
}

export function describeField(f: FieldDef): Record<string, unknown> {
  const numeric = NUMBER_TYPES.has(f.type);
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
    length: numeric || f.type === 'boolean' || f.type === 'date' || f.type === 'datetime' ? 0 : f.length,
    byteLength: f.length * 3,
    precision: numeric && f.type !== 'int' ? f.precision : 0,
    scale: numeric && f.type !== 'int' ? f.scale : 0,
    digits: f.type === 'int' ? f.precision : 0,
    custom: f.custom,
    nillable: f.nillable,
    createable: f.createable,
    updateable: f.updateable,
    defaultedOnCreate: f.defaultedOnCreate,
    defaultValue: f.type === 'boolean' ? f.defaultValue : null,
    calculated: f.calculated,
    externalId: f.externalId,
    unique: f.unique,
    caseSensitive: f.caseSensitive,
    idLookup: f.type === 'id' || f.externalId || f.unique,
    nameField: f.nameField,
    autoNumber: false,
    filterable: true,
    sortable: f.type !== 'textarea' || f.length <= 255,
    groupable: !numeric && f.type !== 'textarea' && f.type !== 'datetime',
    aggregatable: f.type !== 'boolean' && f.type !== 'textarea',
    htmlFormatted: f.extraTypeInfo === 'richtextarea',
    extraTypeInfo: f.extraTypeInfo,
    inlineHelpText: f.inlineHelpText,
    picklistValues: f.picklistValues.map((v) => ({ ...v, validFor: null })),
    restrictedPicklist: f.restrictedPicklist,
    dependentPicklist: false,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    relationshipOrder: f.type === 'reference' && f.cascadeDelete ? 0 : null,
    cascadeDelete: f.cascadeDelete,
    polymorphicForeignKey: false,
    writeRequiresMasterRead: false,
    permissionable: f.custom && f.nillable,
    deprecatedAndHidden: false,
    encrypted: false,
  };
}

export function describeGlobal(version: string, objects: readonly ObjectDef[]): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: objects.map((o) => ({ ...objectFlags(o), urls: urls(version, o.name) })),
  };
}

export function describeObject(version: string, object: ObjectDef): Record<string, unknown> {
  return {
    ...objectFlags(object),
    fields: object.fields.map(describeField),
    childRelationships: object.childRelationships.map((r) => ({
      childSObject: r.childSObject,
      field: r.field,
      relationshipName: r.relationshipName,
      cascadeDelete: r.cascadeDelete,
      restrictedDelete: false,
      deprecatedAndHidden: false,
      junctionIdListNames: [],
      junctionReferenceTo: [],
    })),
    recordTypeInfos: [],
    supportedScopes: [{ label: 'All', name: 'everything' }],
    urls: urls(version, object.name),
  };
}

/** GET /sobjects/{type}: basic information and recently viewed records (none here). */
export function objectInfo(version: string, object: ObjectDef): Record<string, unknown> {
  return { objectDescribe: { ...objectFlags(object), urls: urls(version, object.name) }, recentItems: [] };
}
