/** The preview's own API (/preview/api): the record picker's list and the scenario panel's actions. */
import { request } from '../../../stubs/backend/backend';

export function listRecords() {
  return request('GET', '/preview/api/records');
}

/** kind: close-won | payment | overdue; body: { opportunityId, amount? } */
export function runScenario(kind, body) {
  return request('POST', `/preview/api/scenarios/${kind}`, body);
}

export function syncNow() {
  return request('POST', '/preview/api/sync', {});
}
