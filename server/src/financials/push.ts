/**
 * Push: the summaries onto Salesforce records — only what changed since Salesforce last accepted
 * it, at most 200 records a call (the client chunks). A record Salesforce rejects is remembered
 * with its error and offered again on the next sweeps (up to MAX_FAILURES), without resending the
 * records that were accepted.
 */
import Decimal from 'decimal.js';
import { toJsonNumber } from '../money';
import type { RecordResult, RecordUpdate } from '../salesforce/client';
import type { Sql } from '../store/db';
import { combinedStatus, invoiceStatus } from './invoiceStatus';
import type { AccountSummary } from './summaries';

/** After this many rejections in a row a record waits until its values change again. */
export const MAX_FAILURES = 5;

type FieldValues = Record<string, string | number | boolean | null>;

export interface PushTarget {
  update(records: RecordUpdate[]): Promise<RecordResult[]>;
}

export interface PushResult {
  considered: number;
  sent: number;
  rejected: number;
}

/** The Account fields of PRODUCT.md's contract. Finance_Synced_At__c is added when sending. */
export function accountFields(s: AccountSummary): FieldValues {
  const sameCurrency = (m: { currency: string } | null) => m !== null && m.currency === s.currency;
  return {
    Outstanding_Balance__c: toJsonNumber(s.outstanding),
    Overdue_Balance__c: toJsonNumber(s.overdue),
    Credit_Limit__c: s.creditLimit && sameCurrency(s.creditLimit) ? toJsonNumber(s.creditLimit) : null,
    Available_Credit__c: s.availableCredit ? toJsonNumber(s.availableCredit) : null,
    Credit_Hold__c: s.creditHold,
    Last_Payment_Date__c: s.lastPaymentDate,
    Days_Sales_Outstanding__c: s.dso,
  };
}

interface OpportunityInvoiceRow {
  opportunity_id: string;
  state: 'draft' | 'validated' | 'posted' | 'paid' | 'cancelled';
  currency: string;
  total: string;
  open_amount: string;
  due_date: string | null;
  [c: string]: unknown;
}

/** The Opportunity fields (status, invoiced, paid) from the deal's invoices in the read model. */
export async function opportunityFields(
  sql: Sql,
  opportunityIds: string[],
  today: string,
): Promise<Map<string, FieldValues>> {
  const rows = opportunityIds.length
    ? await sql.query<OpportunityInvoiceRow>(
        `SELECT opportunity_id, state, currency, total, open_amount, due_date FROM erp_invoices
          WHERE opportunity_id = ANY ($1::text[]) ORDER BY opportunity_id, erp_id`,
        [opportunityIds],
      )
    : [];
  const byOpportunity = new Map<string, OpportunityInvoiceRow[]>();
  for (const r of rows) byOpportunity.set(r.opportunity_id, [...(byOpportunity.get(r.opportunity_id) ?? []), r]);
  const fields = new Map<string, FieldValues>();
  for (const [id, invoices] of byOpportunity) {
    // A deal is billed in its own currency; an invoice in another is not added in (never mixed).
    const currency = (invoices[0] as OpportunityInvoiceRow).currency;
    const billed = invoices.filter(
      (i) => i.currency === currency && i.state !== 'cancelled' && i.state !== 'draft' && i.state !== 'validated',
    );
    const invoiced = billed.reduce((sum, i) => sum.plus(i.total), new Decimal(0));
    const paid = billed.reduce((sum, i) => sum.plus(new Decimal(i.total).minus(i.open_amount)), new Decimal(0));
    fields.set(id, {
      Invoice_Status__c: combinedStatus(
        invoices.map((i) =>
          invoiceStatus({ state: i.state, total: i.total, openAmount: i.open_amount, dueDate: i.due_date }, today),
        ),
      ),
      Amount_Invoiced__c: toJsonNumber({ amount: invoiced.toString(), currency }),
      Amount_Paid__c: toJsonNumber({ amount: paid.toString(), currency }),
    });
  }
  return fields;
}

/** JSON with sorted keys, so a jsonb round trip (which reorders keys) compares equal. */
function canonical(values: FieldValues): string {
  return JSON.stringify(Object.fromEntries(Object.entries(values).sort(([a], [b]) => a.localeCompare(b))));
}

export async function pushChanges(
  sql: Sql,
  target: PushTarget,
  wanted: Array<{ object: 'Account' | 'Opportunity'; id: string; fields: FieldValues }>,
  now: Date,
): Promise<PushResult> {
  if (wanted.length === 0) return { considered: 0, sent: 0, rejected: 0 };
  const known = await sql.query<{ object: string; record_id: string; accepted: FieldValues | null }>(
    `SELECT object, record_id, accepted FROM salesforce_pushes
      WHERE (object, record_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [wanted.map((w) => w.object), wanted.map((w) => w.id)],
  );
  const accepted = new Map(known.map((k) => [`${k.object}:${k.record_id}`, k.accepted ? canonical(k.accepted) : null]));
  const changed = wanted.filter((w) => accepted.get(`${w.object}:${w.id}`) !== canonical(w.fields));
  if (changed.length === 0) return { considered: wanted.length, sent: 0, rejected: 0 };

  const results = await target.update(
    changed.map((c) => ({
      type: c.object,
      id: c.id,
      // Stamped with this push unless the fields say otherwise (a cleared account clears it too).
      fields: c.object === 'Account' ? { Finance_Synced_At__c: now.toISOString(), ...c.fields } : c.fields,
    })),
  );
  const ok = changed.filter((_, i) => results[i]?.success);
  const failed = changed.flatMap((c, i) => (results[i]?.success ? [] : [{ c, result: results[i] }]));
  await sql.query(
    `INSERT INTO salesforce_pushes (object, record_id, accepted, pushed_at, error, failures)
     SELECT o, r, a::jsonb, now(), NULL, 0 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(o, r, a)
     ON CONFLICT (object, record_id) DO UPDATE SET accepted = EXCLUDED.accepted, pushed_at = now(), error = NULL, failures = 0`,
    [ok.map((c) => c.object), ok.map((c) => c.id), ok.map((c) => JSON.stringify(c.fields))],
  );
  await sql.query(
    `INSERT INTO salesforce_pushes (object, record_id, error, failures)
     SELECT o, r, e, 1 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(o, r, e)
     ON CONFLICT (object, record_id) DO UPDATE SET error = EXCLUDED.error, failures = salesforce_pushes.failures + 1`,
    [
      failed.map((f) => f.c.object),
      failed.map((f) => f.c.id),
      failed.map((f) => f.result?.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ') ?? 'no result'),
    ],
  );
  const rejected = failed.length;
  return { considered: wanted.length, sent: changed.length, rejected };
}

/** Records Salesforce rejected lately: offered again on the next sweep. */
export async function retryCandidates(sql: Sql): Promise<{ accounts: string[]; opportunities: string[] }> {
  const rows = await sql.query<{ object: string; record_id: string }>(
    'SELECT object, record_id FROM salesforce_pushes WHERE error IS NOT NULL AND failures < $1',
    [MAX_FAILURES],
  );
  return {
    accounts: rows.filter((r) => r.object === 'Account').map((r) => r.record_id),
    opportunities: rows.filter((r) => r.object === 'Opportunity').map((r) => r.record_id),
  };
}
