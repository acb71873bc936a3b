/**
 * The local Salesforce's accounts and opportunities as the preview shows them: the record picker's
 * list, and one record in the shape `lightning/uiRecordApi` hands a component
 * (`{ apiName, id, fields: { Name: { value, displayValue } } }`). Currency amounts are decimal
 * strings with the currency's decimals, never floats.
 */
import type { LocalOrg, SObjectRecord } from '../emulator/salesforce';
import { money } from '../money';

type FieldValue = string | number | boolean | null;

const MONEY_FIELDS = new Set([
  'Amount',
  'Amount_Invoiced__c',
  'Amount_Paid__c',
  'Outstanding_Balance__c',
  'Overdue_Balance__c',
  'Credit_Limit__c',
  'Available_Credit__c',
]);

const FIELDS: Record<string, string[]> = {
  Account: [
    'Name',
    'ERP_Customer_Id__c',
    'Outstanding_Balance__c',
    'Overdue_Balance__c',
    'Credit_Limit__c',
    'Available_Credit__c',
    'Credit_Hold__c',
    'Last_Payment_Date__c',
    'Days_Sales_Outstanding__c',
    'Finance_Synced_At__c',
    'CurrencyIsoCode',
  ],
  Opportunity: [
    'Name',
    'AccountId',
    'StageName',
    'IsClosed',
    'IsWon',
    'Amount',
    'CloseDate',
    'OwnerId',
    'LeadSource',
    'Booking_Status__c',
    'Booking_Error__c',
    'Booked_At__c',
    'ERP_Order_Id__c',
    'ERP_Invoice_Number__c',
    'Invoice_Status__c',
    'Amount_Invoiced__c',
    'Amount_Paid__c',
    'CurrencyIsoCode',
  ],
};

const PREFIX_TYPES: Record<string, string> = { '001': 'Account', '006': 'Opportunity' };

/** The record's currency: its own in a multi-currency org, the org's default otherwise. */
function currencyOf(record: SObjectRecord, defaultCurrency: string): string {
  return typeof record.CurrencyIsoCode === 'string' ? record.CurrencyIsoCode : defaultCurrency;
}

function valueOf(record: SObjectRecord, field: string, currency: string): FieldValue {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (MONEY_FIELDS.has(field) && (typeof value === 'number' || typeof value === 'string'))
    return money(value, currency).amount;
  return typeof value === 'object' ? JSON.stringify(value) : value;
}

export interface RecordView {
  apiName: string;
  id: string;
  fields: Record<string, { value: FieldValue; displayValue: string | null }>;
}

/** One Account or Opportunity, or undefined when the id names neither. */
export function recordView(org: LocalOrg, id: string, defaultCurrency: string): RecordView | undefined {
  const apiName = PREFIX_TYPES[id.slice(0, 3)];
  const record = apiName ? org.get(apiName, id) : undefined;
  if (!apiName || !record) return undefined;
  const currency = currencyOf(record, defaultCurrency);
  const fields: RecordView['fields'] = {};
  for (const field of FIELDS[apiName] ?? []) {
    if (!(field in record)) continue; // CurrencyIsoCode exists in multi-currency orgs only
    fields[field] = { value: valueOf(record, field, currency), displayValue: null };
  }
  return { apiName, id: String(record.Id), fields };
}

/** A record's text field as the API gives it: null when empty. */
export const nonEmpty = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Accounts and opportunities for the record picker, by name. */
export function recordList(org: LocalOrg, defaultCurrency: string) {
  const accountNames = new Map<string, string>();
  const accounts = org.all('Account').map((a) => {
    accountNames.set(String(a.Id), String(a.Name));
    return {
      id: String(a.Id),
      name: String(a.Name),
      currency: currencyOf(a, defaultCurrency),
      erpCustomerId: nonEmpty(a.ERP_Customer_Id__c),
    };
  });
  const opportunities = org.all('Opportunity').map((o) => {
    const currency = currencyOf(o, defaultCurrency);
    const accountId = nonEmpty(o.AccountId);
    const owner = nonEmpty(o.OwnerId) ? org.get('User', String(o.OwnerId)) : undefined;
    return {
      id: String(o.Id),
      name: String(o.Name),
      accountId,
      accountName: accountId ? (accountNames.get(accountId) ?? null) : null,
      stage: String(o.StageName),
      amount: valueOf(o, 'Amount', currency),
      currency,
      closeDate: nonEmpty(o.CloseDate),
      owner: owner ? String(owner.Name) : null,
      bookingStatus: nonEmpty(o.Booking_Status__c),
    };
  });
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return { accounts: accounts.sort(byName), opportunities: opportunities.sort(byName) };
}
