/**
 * What benchmarks and failure tests need from the org besides data: how many API calls were
 * made (by kind), the org's daily usage (the `Sforce-Limit-Info` header), injected failures and
 * the "daily limit exhausted" switch.
 */
import { requestError, type SalesforceError } from '../errors';

export type ApiCategory = 'query' | 'sobject-read' | 'sobject-write' | 'composite' | 'describe' | 'other';

export const API_CATEGORIES: readonly ApiCategory[] = [
  'query',
  'sobject-read',
  'sobject-write',
  'composite',
  'describe',
  'other',
];

export interface ApiCallRecord {
  method: string;
  /** Path under /services/data/vNN.N, with the query string. */
  path: string;
  category: ApiCategory;
}

export interface ApiCallCounts {
  /** REST API requests under /services/data/vNN.N that passed authentication. */
  total: number;
  byCategory: Record<ApiCategory, number>;
  /** The most recent calls (at most 10,000), oldest first. */
  log: ApiCallRecord[];
}

const LOG_LIMIT = 10_000;

/** The kind of an API request, from its method and its path below /services/data/vNN.N. */
export function categorize(method: string, path: string): ApiCategory {
  const p = path.split('?')[0] ?? '';
  if (/^\/(query|queryAll)(\/|$)/.test(p)) return 'query';
  if (p.startsWith('/composite')) return 'composite';
  if (/^\/sobjects\/?$/.test(p) || /^\/sobjects\/[^/]+\/?(describe\/?)?$/.test(p)) {
    return method === 'POST' ? 'sobject-write' : 'describe';
  }
  if (p.startsWith('/sobjects/')) return method === 'GET' || method === 'HEAD' ? 'sobject-read' : 'sobject-write';
  return 'other';
}

function emptyCounts(): Record<ApiCategory, number> {
  return { query: 0, 'sobject-read': 0, 'sobject-write': 0, composite: 0, describe: 0, other: 0 };
}

export class Meter {
  private total = 0;
  private byCategory = emptyCounts();
  private log: ApiCallRecord[] = [];
  /** Usage reported in Sforce-Limit-Info: grows with every call, never reset by tests. */
  usage = 0;
  tokenRequests = 0;

  record(method: string, path: string): void {
    const category = categorize(method, path);
    this.total += 1;
    this.usage += 1;
    this.byCategory[category] += 1;
    this.log.push({ method, path, category });
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
  }

  snapshot(): ApiCallCounts {
    return { total: this.total, byCategory: { ...this.byCategory }, log: [...this.log] };
  }

  reset(): void {
    this.total = 0;
    this.byCategory = emptyCounts();
    this.log = [];
    this.tokenRequests = 0;
  }
}

export interface FaultSpec {
  status: number;
  errorCode: string;
  message: string;
  /** Which requests fail: method (GET, PATCH...) and/or a pattern tested on the path below /services/data/vNN.N, query string included. */
  match?: { method?: string; path?: RegExp };
}

export class Faults {
  private queue: { remaining: number; spec: FaultSpec }[] = [];
  limitExceeded = false;

  add(count: number, spec: FaultSpec): void {
    if (count > 0) this.queue.push({ remaining: count, spec });
  }

  /** The injected failure for this request, if one applies (and uses it up). */
  take(method: string, path: string): SalesforceError | undefined {
    for (const fault of this.queue) {
      const { match } = fault.spec;
      if (match?.method && match.method.toUpperCase() !== method.toUpperCase()) continue;
      if (match?.path) {
        match.path.lastIndex = 0; // a /g pattern must not remember the previous request
        if (!match.path.test(path)) continue;
      }
      fault.remaining -= 1;
      this.queue = this.queue.filter((f) => f.remaining > 0);
      return requestError(fault.spec.status, fault.spec.errorCode, fault.spec.message);
    }
    return undefined;
  }

  clear(): void {
    this.queue = [];
    this.limitExceeded = false;
  }
}
