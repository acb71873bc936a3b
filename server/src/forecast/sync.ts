/**
 * Flow 3's data: opportunities from Salesforce into the store (`sf_opportunities`), incrementally
 * by SystemModstamp, on SYNC_OPPORTUNITIES_CRON. Each page and the cursor after it are saved in
 * one transaction, so a crash mid-load resumes where it stopped. The org's conversion rates are
 * read on the same run (one query, multi-currency orgs only).
 */
import { errorMessage } from '../errors';
import type { CurrencyRate, PipelineOpportunity } from '../salesforce/pipeline';
import type { Sql, Store } from '../store/db';
import { readCursor, writeCursor } from '../financials/readModel';
import { markMonthsOf, rebuildStaleMonths } from './months';

export const OPPORTUNITY_CURSOR = 'salesforce.opportunities';
/**
 * Salesforce stamps a record when its transaction starts, not when it commits, so a long save can
 * appear behind the cursor; each run re-reads the last two minutes (applying a row twice is harmless).
 */
const OVERLAP_MS = 2 * 60 * 1000;

export interface PipelineSource {
  opportunitiesChangedSince(since: string | null): AsyncIterable<PipelineOpportunity[]>;
  currencyRates(): Promise<CurrencyRate[]>;
}

export interface OpportunitySyncResult {
  read: number;
  deleted: number;
  rates: number;
}

export async function syncOpportunities(
  store: Store,
  salesforce: PipelineSource,
  trigger: 'schedule' | 'manual' = 'schedule',
): Promise<OpportunitySyncResult> {
  const locked = await store.tryWithLock('sync:opportunities', async () => {
    const [run] = await store.query<{ id: number }>(
      `INSERT INTO sync_runs (kind, trigger) VALUES ('opportunities', $1) RETURNING id`,
      [trigger],
    );
    try {
      const result = await syncUnlocked(store, salesforce);
      await store.query('UPDATE sync_runs SET finished_at = now(), found = $2, details = $3 WHERE id = $1', [
        run?.id ?? null,
        result.read,
        JSON.stringify(result),
      ]);
      return result;
    } catch (e) {
      await store.query('UPDATE sync_runs SET finished_at = now(), error = $2 WHERE id = $1', [
        run?.id ?? null,
        errorMessage(e),
      ]);
      throw e;
    }
  });
  // Another instance is on it: its run covers ours.
  return locked.acquired ? locked.value : { read: 0, deleted: 0, rates: 0 };
}

async function syncUnlocked(store: Store, salesforce: PipelineSource): Promise<OpportunitySyncResult> {
  const cursor = await readCursor(store, OPPORTUNITY_CURSOR);
  const since = cursor === null ? null : soqlDateTime(new Date(Date.parse(cursor) - OVERLAP_MS));
  const result = { read: 0, deleted: 0, rates: 0 };
  let newest = cursor;
  for await (const page of salesforce.opportunitiesChangedSince(since)) {
    if (page.length === 0) continue;
    newest = page.reduce((max, o) => (max === null || o.modifiedAt > max ? o.modifiedAt : max), newest);
    await store.transaction(async (tx) => {
      result.deleted += await applyPage(tx, page);
      await writeCursor(tx, OPPORTUNITY_CURSOR, newest);
    });
    result.read += page.length;
  }
  await rebuildStaleMonths(store);
  const rates = await salesforce.currencyRates();
  await store.transaction(async (tx) => {
    await tx.query('DELETE FROM currency_rates');
    if (rates.length > 0) {
      await tx.query(
        `INSERT INTO currency_rates (currency, rate, corporate)
         SELECT * FROM unnest($1::text[], $2::numeric[], $3::boolean[])`,
        [rates.map((r) => r.currency), rates.map((r) => r.rate), rates.map((r) => r.corporate)],
      );
    }
  });
  result.rates = rates.length;
  return result;
}

/** Upserts the live rows (never over a newer version), removes the deleted ones; returns how many went. */
async function applyPage(tx: Sql, page: PipelineOpportunity[]): Promise<number> {
  await markMonthsOf(
    tx,
    page.map((o) => o.id),
  ); // the months they leave…
  const live = page.filter((o) => !o.deleted);
  const gone = page.filter((o) => o.deleted).map((o) => o.id);
  if (live.length > 0) {
    const column = <K extends keyof PipelineOpportunity>(key: K) => live.map((o) => o[key]);
    await tx.query(
      `INSERT INTO sf_opportunities (id, account_id, owner_id, owner_name, lead_source, amount, currency, probability,
                                     stage, close_date, is_won, is_closed, modified_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::text[],
                            $8::numeric[], $9::text[], $10::date[], $11::boolean[], $12::boolean[], $13::timestamptz[])
       ON CONFLICT (id) DO UPDATE SET
         account_id = EXCLUDED.account_id, owner_id = EXCLUDED.owner_id, owner_name = EXCLUDED.owner_name,
         lead_source = EXCLUDED.lead_source, amount = EXCLUDED.amount, currency = EXCLUDED.currency,
         probability = EXCLUDED.probability, stage = EXCLUDED.stage, close_date = EXCLUDED.close_date,
         is_won = EXCLUDED.is_won, is_closed = EXCLUDED.is_closed, modified_at = EXCLUDED.modified_at, synced_at = now()
       WHERE sf_opportunities.modified_at <= EXCLUDED.modified_at`,
      [
        column('id'),
        column('accountId'),
        column('ownerId'),
        column('ownerName'),
        column('leadSource'),
        column('amount'),
        column('currency'),
        column('probability'),
        column('stage'),
        column('closeDate'),
        column('isWon'),
        column('isClosed'),
        column('modifiedAt'),
      ],
    );
  }
  if (gone.length > 0) await tx.query('DELETE FROM sf_opportunities WHERE id = ANY ($1::text[])', [gone]);
  await markMonthsOf(
    tx,
    live.map((o) => o.id),
  ); // …and the months they close in now
  return gone.length;
}

function soqlDateTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** When opportunities were last read in full (the forecast's "as of"); null before the first sync. */
export async function opportunitiesAsOf(sql: Sql): Promise<string | null> {
  const [row] = await sql.query<{ at: Date | null }>(
    `SELECT finished_at AS at FROM sync_runs WHERE kind = 'opportunities' AND error IS NULL AND finished_at IS NOT NULL
      ORDER BY finished_at DESC LIMIT 1`,
  );
  return row?.at ? new Date(row.at).toISOString() : null;
}
