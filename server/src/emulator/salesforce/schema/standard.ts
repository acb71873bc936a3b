/**
 * The standard objects Closeloop touches, with the fields a fresh Salesforce org has (the subset
 * worth emulating), their real key prefixes, lengths and read-only flags.
 */
import { KEY_PREFIX } from '../ids';
import {
  auditFields,
  checkbox,
  field,
  idField,
  numeric,
  ownerField,
  picklist,
  readOnly,
  reference,
  text,
  textArea,
} from './builders';
import { OPPORTUNITY_STAGES } from './stages';
import type { FieldDef, ObjectDef } from './types';

export interface CurrencySettings {
  multiCurrency: boolean;
  defaultCurrency: string;
  currencies: readonly string[];
}

function currencyField(settings: CurrencySettings, label: string, writable: boolean): FieldDef[] {
  if (!settings.multiCurrency) return [];
  const def = picklist('CurrencyIsoCode', settings.currencies, {
    label,
    restrictedPicklist: true,
    defaultPick: settings.defaultCurrency,
    nillable: false,
  });
  return [writable ? def : readOnly(def)];
}

function object(
  name: string,
  labelPlural: string,
  fields: FieldDef[],
  flags: Partial<Pick<ObjectDef, 'createable' | 'updateable' | 'deletable' | 'label'>> = {},
): ObjectDef {
  const keyPrefix = KEY_PREFIX[name as keyof typeof KEY_PREFIX];
  return {
    name,
    label: flags.label ?? name,
    labelPlural,
    keyPrefix,
    custom: false,
    createable: flags.createable ?? true,
    updateable: flags.updateable ?? true,
    deletable: flags.deletable ?? true,
    fields,
    childRelationships: [],
  };
}

function account(settings: CurrencySettings): ObjectDef {
  return object('Account', 'Accounts', [
    idField(),
    text('Name', 255, { label: 'Account Name', required: true, nameField: true }),
    picklist('Type', ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other'], {
      label: 'Account Type',
    }),
    text('AccountNumber', 40, { label: 'Account Number' }),
    textArea('BillingStreet', 255),
    text('BillingCity', 40),
    text('BillingState', 80, { label: 'Billing State/Province' }),
    text('BillingPostalCode', 20, { label: 'Billing Zip/Postal Code' }),
    text('BillingCountry', 80),
    field('Phone', 'phone', { length: 40, label: 'Account Phone' }),
    field('Website', 'url', { length: 255 }),
    picklist('Industry', [
      'Agriculture',
      'Banking',
      'Consulting',
      'Education',
      'Manufacturing',
      'Retail',
      'Technology',
      'Other',
    ]),
    textArea('Description', 32000, { label: 'Account Description', extraTypeInfo: null }),
    ...currencyField(settings, 'Account Currency', true),
    ownerField(),
    ...auditFields(),
  ]);
}

function opportunity(settings: CurrencySettings): ObjectDef {
  return object('Opportunity', 'Opportunities', [
    idField(),
    // Deleting an account deletes its opportunities, as in a real org.
    reference('AccountId', 'Account', 'Account', {
      label: 'Account ID',
      childRelationshipName: 'Opportunities',
      cascadeDelete: true,
    }),
    text('Name', 120, { required: true, nameField: true }),
    textArea('Description', 32000, { extraTypeInfo: null }),
    picklist(
      'StageName',
      OPPORTUNITY_STAGES.map((s) => s.name),
      { label: 'Stage', required: true, restrictedPicklist: true },
    ),
    numeric('Amount', 'currency', 18, 2),
    numeric('Probability', 'percent', 3, 0, { label: 'Probability (%)', defaultedOnCreate: true }),
    readOnly(numeric('ExpectedRevenue', 'currency', 18, 2, { label: 'Expected Amount', calculated: true })),
    field('CloseDate', 'date', { required: true }),
    picklist(
      'Type',
      [
        'Existing Customer - Upgrade',
        'Existing Customer - Replacement',
        'Existing Customer - Downgrade',
        'New Customer',
      ],
      {
        label: 'Opportunity Type',
      },
    ),
    text('NextStep', 255),
    picklist('LeadSource', ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other']),
    readOnly(checkbox('IsClosed', false, { label: 'Closed' })),
    readOnly(checkbox('IsWon', false, { label: 'Won' })),
    picklist('ForecastCategoryName', ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'], {
      label: 'Forecast Category',
      restrictedPicklist: true,
      defaultedOnCreate: true,
    }),
    ...currencyField(settings, 'Opportunity Currency', true),
    reference('Pricebook2Id', 'Pricebook2', 'Pricebook2', { label: 'Price Book ID' }),
    readOnly(checkbox('HasOpportunityLineItem', false, { label: 'Has Line Item' })),
    ownerField(),
    ...auditFields(),
  ]);
}

function opportunityLineItem(settings: CurrencySettings): ObjectDef {
  const createOnly = { updateable: false };
  return object(
    'OpportunityLineItem',
    'Opportunity Product',
    [
      idField(),
      reference('OpportunityId', 'Opportunity', 'Opportunity', {
        label: 'Opportunity ID',
        required: true,
        cascadeDelete: true,
        childRelationshipName: 'OpportunityLineItems',
        ...createOnly,
      }),
      numeric('SortOrder', 'int', 9, 0, { label: 'Sort Order' }),
      reference('PricebookEntryId', 'PricebookEntry', 'PricebookEntry', {
        label: 'Price Book Entry ID',
        ...createOnly,
      }),
      reference('Product2Id', 'Product2', 'Product2', { label: 'Product ID', ...createOnly }),
      readOnly(text('ProductCode', 255, { label: 'Product Code' })),
      readOnly(text('Name', 376, { label: 'Opportunity Product Name', nameField: true })),
      ...currencyField(settings, 'Currency ISO Code', false),
      numeric('Quantity', 'double', 12, 2, { required: true }),
      readOnly(numeric('TotalPrice', 'currency', 18, 2, { label: 'Total Price' })),
      numeric('UnitPrice', 'currency', 18, 2, { label: 'Sales Price', required: true }),
      readOnly(numeric('ListPrice', 'currency', 18, 2, { label: 'List Price' })),
      field('ServiceDate', 'date', { label: 'Date' }),
      text('Description', 255, { label: 'Line Description' }),
      numeric('Discount', 'percent', 18, 2),
      ...auditFields(),
    ],
    { label: 'Opportunity Product' },
  );
}

function product2(): ObjectDef {
  return object(
    'Product2',
    'Products',
    [
      idField(),
      text('Name', 255, { label: 'Product Name', required: true, nameField: true }),
      text('ProductCode', 255, { label: 'Product Code' }),
      textArea('Description', 4000, { label: 'Product Description' }),
      checkbox('IsActive', false, { label: 'Active' }),
      picklist('Family', ['None', 'Hardware', 'Software', 'Services'], { label: 'Product Family' }),
      text('StockKeepingUnit', 180, { label: 'Product SKU' }),
      ...auditFields(),
    ],
    { label: 'Product' },
  );
}

function pricebook2(): ObjectDef {
  return object(
    'Pricebook2',
    'Price Books',
    [
      idField(),
      text('Name', 255, { label: 'Price Book Name', required: true, nameField: true }),
      checkbox('IsActive', false, { label: 'Active' }),
      readOnly(checkbox('IsStandard', false, { label: 'Is Standard Price Book' })),
      text('Description', 255),
      ...auditFields(),
    ],
    { label: 'Price Book' },
  );
}

function pricebookEntry(): ObjectDef {
  const createOnly = { updateable: false, required: true };
  return object(
    'PricebookEntry',
    'Price Book Entries',
    [
      idField(),
      readOnly(text('Name', 255, { label: 'Product Name', nameField: true })),
      reference('Pricebook2Id', 'Pricebook2', 'Pricebook2', {
        label: 'Price Book ID',
        childRelationshipName: 'PricebookEntries',
        ...createOnly,
      }),
      reference('Product2Id', 'Product2', 'Product2', {
        label: 'Product ID',
        childRelationshipName: 'PricebookEntries',
        ...createOnly,
      }),
      numeric('UnitPrice', 'currency', 18, 2, { label: 'List Price', required: true }),
      checkbox('IsActive', false, { label: 'Active' }),
      checkbox('UseStandardPrice', false, { label: 'Use Standard Price' }),
      readOnly(text('ProductCode', 255, { label: 'Product Code' })),
      ...auditFields(),
    ],
    { label: 'Price Book Entry' },
  );
}

function user(): ObjectDef {
  return object('User', 'Users', [
    idField(),
    text('Username', 80, { required: true, unique: true }),
    text('LastName', 80, { label: 'Last Name', required: true }),
    text('FirstName', 40, { label: 'First Name' }),
    readOnly(text('Name', 121, { label: 'Full Name', nameField: true })),
    field('Email', 'email', { length: 128, required: true }),
    text('Alias', 8),
    checkbox('IsActive', true, { label: 'Active' }),
    ...auditFields(),
  ]);
}

function organization(settings: CurrencySettings): ObjectDef {
  const fields = [
    idField(),
    text('Name', 80, { nameField: true }),
    picklist('DefaultCurrencyIsoCode', settings.currencies, { label: 'Currency ISO Code' }),
    checkbox('IsSandbox', false),
    text('OrganizationType', 40, { label: 'Edition' }),
    ...auditFields(),
  ].map(readOnly);
  return object('Organization', 'Organizations', fields, {
    createable: false,
    updateable: false,
    deletable: false,
  });
}

/** A multi-currency org's currencies and the conversion rates its admins keep (units per 1 corporate). */
function currencyType(): ObjectDef {
  return object(
    'CurrencyType',
    'Currency Types',
    [
      idField(),
      text('IsoCode', 3, { label: 'Currency ISO Code', required: true }),
      numeric('ConversionRate', 'double', 18, 6, { label: 'Conversion Rate', required: true }),
      numeric('DecimalPlaces', 'int', 2, 0, { label: 'Decimal Places' }),
      checkbox('IsActive', true, { label: 'Active' }),
      readOnly(checkbox('IsCorporate', false, { label: 'Corporate Currency' })),
      ...auditFields(),
    ],
    { label: 'Currency Type', deletable: false },
  );
}

export function standardObjects(settings: CurrencySettings): ObjectDef[] {
  return [
    ...(settings.multiCurrency ? [currencyType()] : []),
    account(settings),
    opportunity(settings),
    opportunityLineItem(settings),
    product2(),
    pricebook2(),
    pricebookEntry(),
    user(),
    organization(settings),
  ];
}
