/**
 * JSON fixtures for the emulated org.
 *
 *     {
 *       "Account":     [{ "$key": "acme", "Name": "Acme Corp" }],
 *       "Product2":    [{ "$key": "widget", "Name": "Widget", "ProductCode": "W-1", "IsActive": true }],
 *       "Opportunity": [{ "$key": "deal", "Name": "Acme 10 widgets", "AccountId": { "$ref": "acme" },
 *                         "StageName": "Closed Won", "CloseDate": "2026-11-20",
 *                         "$force": { "Amount": 999.99 } }],
 *       "OpportunityLineItem": [{ "OpportunityId": { "$ref": "deal" }, "Product2Id": { "$ref": "widget" },
 *                                 "Quantity": 10, "UnitPrice": 100, "Discount": 5 }]
 *     }
 *
 * - Keys are object API names; each holds a list of records written with the API's checks.
 * - `"$key"` names a record; `{"$ref": "name"}` anywhere as a field value is replaced by its id.
 *   Built-in refs: `$integrationUser`, `$standardPricebook`, `$organization`.
 * - `"$force"` holds fields written after every record exists, bypassing read-only rules (e.g. an
 *   Amount that disagrees with the line items, or a LastModifiedDate in the past).
 * - Objects are loaded parents first (users, products, price books, accounts, opportunities,
 *   line items, then the rest in file order), so refs may point forward in the file.
 * - Top-level keys starting with `$` (e.g. `$comment`) are ignored.
 */
import { z } from 'zod';
import { SalesforceError } from './errors';
import type { Org } from './org';

const recordSchema = z.record(z.string(), z.unknown());
const fixtureSchema = z.record(z.string(), z.unknown());

const LOAD_ORDER = [
  'User',
  'Product2',
  'Pricebook2',
  'PricebookEntry',
  'Account',
  'Opportunity',
  'OpportunityLineItem',
];

interface Pending {
  type: string;
  id: string;
  force: Record<string, unknown>;
  where: string;
}

function isRef(value: unknown): value is { $ref: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as { $ref?: unknown }).$ref === 'string'
  );
}

function resolveRefs(
  fields: Record<string, unknown>,
  keys: Map<string, string>,
  where: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (!isRef(value)) {
      out[name] = value;
      continue;
    }
    const id = keys.get(value.$ref);
    if (!id) throw new Error(`seed ${where}: unknown $ref '${value.$ref}' in ${name}`);
    out[name] = id;
  }
  return out;
}

function describeFailure(where: string, e: unknown): Error {
  if (e instanceof SalesforceError) return new Error(`seed ${where}: ${e.errorCode}: ${e.message}`, { cause: e });
  return e instanceof Error ? e : new Error(String(e));
}

function orderedTypes(fixture: Record<string, unknown>): string[] {
  const types = Object.keys(fixture).filter((t) => !t.startsWith('$'));
  const rank = (t: string): number => {
    const i = LOAD_ORDER.indexOf(t);
    return i < 0 ? LOAD_ORDER.length : i;
  };
  return [...types].sort((a, b) => rank(a) - rank(b));
}

export function seedOrg(org: Org, fixture: unknown): Record<string, string> {
  const parsed = fixtureSchema.parse(fixture);
  const keys = new Map<string, string>([
    ['$integrationUser', org.userId],
    ['$standardPricebook', org.standardPricebookId],
    ['$organization', org.orgId],
  ]);
  const pending: Pending[] = [];
  for (const type of orderedTypes(parsed)) {
    const records = z.array(recordSchema).parse(parsed[type]);
    records.forEach((record, index) => {
      const { $key, $force, ...fields } = record;
      const where = `${type}[${index}]${typeof $key === 'string' ? ` ($key ${$key})` : ''}`;
      let id: string;
      try {
        id = org.insert(type, resolveRefs(fields, keys, where));
      } catch (e) {
        throw describeFailure(where, e);
      }
      if (typeof $key === 'string') {
        if (keys.has($key)) throw new Error(`seed ${where}: duplicate $key '${$key}'`);
        keys.set($key, id);
      }
      if ($force !== undefined) pending.push({ type, id, force: recordSchema.parse($force), where });
    });
  }
  for (const p of pending) {
    try {
      org.update(p.type, p.id, resolveRefs(p.force, keys, p.where), { force: true });
    } catch (e) {
      throw describeFailure(p.where, e);
    }
  }
  const named: Record<string, string> = {};
  for (const [key, id] of keys) if (!key.startsWith('$')) named[key] = id;
  return named;
}
