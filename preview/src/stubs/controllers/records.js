/** Records of the local Salesforce, through the preview's API (what SOQL is to the Apex controllers). */
import { request } from '../backend/backend';

/** `{ apiName, id, fields: { Name: { value, displayValue } } }`: the shape uiRecordApi hands out. */
export function readRecord(recordId) {
  return request('GET', `/preview/api/records/${encodeURIComponent(recordId)}`);
}

export function fieldValue(record, name) {
  return record.fields[name]?.value ?? null;
}
