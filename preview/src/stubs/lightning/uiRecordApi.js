/**
 * `lightning/uiRecordApi` for the preview: getRecord reads the local Salesforce through the
 * preview's API (GET /preview/api/records/{id}); notifyRecordUpdateAvailable asks again for every
 * wired record with those ids and provides the new data, as Lightning Data Service does when a
 * record changes — that is how the preview's scenarios reach the components.
 */
import { readRecord } from '../controllers/records';

/** The connected getRecord wires, for notifyRecordUpdateAvailable. */
const wired = new Set();

export class getRecord {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
    this.recordId = undefined;
    this.asked = 0;
  }

  connect() {
    wired.add(this);
    this.dataCallback({ data: undefined, error: undefined });
  }

  disconnect() {
    wired.delete(this);
    this.asked += 1;
  }

  update(config) {
    this.recordId = config.recordId;
    if (this.recordId) this.fetch();
  }

  async fetch() {
    this.asked += 1;
    const ask = this.asked;
    let value;
    try {
      value = { data: await readRecord(this.recordId), error: undefined };
    } catch (error) {
      value = { data: undefined, error };
    }
    if (ask === this.asked) this.dataCallback(value);
  }
}

/** The field's value in a record getRecord provided; `field` is an `@salesforce/schema` import or 'Object.Field'. */
export function getFieldValue(record, field) {
  const name = typeof field === 'string' ? field.split('.').slice(1).join('.') : field.fieldApiName;
  return record?.fields?.[name]?.value;
}

export function getFieldDisplayValue(record, field) {
  const name = typeof field === 'string' ? field.split('.').slice(1).join('.') : field.fieldApiName;
  return record?.fields?.[name]?.displayValue ?? null;
}

/** Resolves once every wire showing one of these records has its new data. */
export async function notifyRecordUpdateAvailable(items) {
  const ids = new Set(items.map((item) => item.recordId));
  await Promise.all([...wired].filter((w) => ids.has(w.recordId)).map((w) => w.fetch()));
}
