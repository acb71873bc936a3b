/** `@salesforce/apex`: refreshApex asks again for what an Apex wire provided. */
import { refreshProvided } from './apexMethod';

export function refreshApex(provided) {
  return refreshProvided(provided);
}

export function getSObjectValue(record, field) {
  return record?.[field.fieldApiName];
}
