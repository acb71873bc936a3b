/**
 * Flow 2 — the financial sweep, on SYNC_FINANCIALS_CRON (every minute by default) or on request:
 *   pull the ERP's changes → learn missing account links → recompute the touched accounts and
 *   opportunities → push what changed to Salesforce.
 * A sweep with nothing new makes no Salesforce call at all. One sweep runs at a time across every
 * instance sharing the store (a lock); once a day every linked account is recomputed, because
 * invoices fall due with the calendar, not with an ERP change.
 */
import type { ErpConnector } from '../erp/connector';
import { errorMessage } from '../errors';
import type { Logger } from '../log';
import type { Store } from '../store/db';
import { refreshOpportunityRollups } from '../forecast/rollups';
import { isoDay } from './invoiceStatus';
import { discoverLinks } from './links';
import { pullChanges, type PullResult } from './pull';
import { forgetLastPulledAt } from './pulse';
import { pollAccountLinks, type RelinkDeps } from './relink';
import { accountFields, opportunityFields, pushChanges, retryCandidates, type PushResult } from './push';
import { clearDirty, readCursor, readDirty, writeCursor } from './readModel';
import { accountSummaries, refreshSummaries } from './summaries';

export interface SweepDeps {
  store: Store;
  erp: ErpConnector;
  salesforce: RelinkDeps['salesforce'];
  log: Logger;
  now?: () => Date;
}

export type SweepResult =
  | {
      status: 'done';
      pulled: PullResult['pulled'];
      /** Accounts read by the hourly link poll; null when it was not due. */
      linksPolled: number | null;
      linksFound: number;
      push: PushResult;
      behind: boolean;
      fullRecompute: boolean;
    }
  | { status: 'skipped'; reason: string };

const DAY_CURSOR = 'financials.recomputed_day';
const SYNC_RUN_RETENTION_DAYS = 7;

export async function sweepFinancials(
  deps: SweepDeps,
  trigger: 'schedule' | 'manual' = 'schedule',
): Promise<SweepResult> {
  const locked = await deps.store.tryWithLock('sweep:financials', () => sweepUnlocked(deps, trigger));
  return locked.acquired ? locked.value : { status: 'skipped', reason: 'another financial sweep is running' };
}

async function sweepUnlocked(deps: SweepDeps, trigger: string): Promise<SweepResult> {
  const { store } = deps;
  const now = deps.now?.() ?? new Date();
  const today = isoDay(now);
  const [run] = await store.query<{ id: number }>(
    `INSERT INTO sync_runs (kind, trigger) VALUES ('financials', $1) RETURNING id`,
    [trigger],
  );
  const runId = (run as { id: number }).id;
  try {
    const pull = await pullChanges(deps.erp, store);
    const linksPolled = await pollAccountLinks({ store, salesforce: deps.salesforce, now: deps.now }); // once an hour
    // Everything pulled and not yet pushed, by this sweep or by an earlier one that failed.
    const dirty = await readDirty(store);
    const newlyLinked = await discoverLinks(store, deps.salesforce, new Set(dirty.customerIds));
    const fullRecompute = (await readCursor(store, DAY_CURSOR)) !== today;
    const touched = await touchedRecords(store, dirty.customerIds, fullRecompute);
    const accounts = [...new Set([...touched.accounts, ...newlyLinked])];
    const { opportunities } = touched;
    const linksFound = newlyLinked.length;

    await refreshSummaries(store, fullRecompute ? 'all' : accounts, today);
    await refreshOpportunityRollups(store, fullRecompute ? 'all' : opportunities, today); // for the forecast
    const summaries = await accountSummaries(store, accounts, today);
    const oppFields = await opportunityFields(store, opportunities, today);
    const push = await pushChanges(
      store,
      deps.salesforce,
      [
        ...summaries.map((s) => ({ object: 'Account' as const, id: s.accountId, fields: accountFields(s) })),
        ...[...oppFields].map(([id, fields]) => ({ object: 'Opportunity' as const, id, fields })),
      ],
      now,
    );
    await clearDirty(store, dirty.customerIds, dirty.readAt);
    if (fullRecompute) {
      await writeCursor(store, DAY_CURSOR, today);
      // Once a day: sync runs older than a week go (a run a minute per schedule adds up).
      await store.query(`DELETE FROM sync_runs WHERE started_at < now() - interval '${SYNC_RUN_RETENTION_DAYS} days'`);
    }

    const result = {
      status: 'done' as const,
      pulled: pull.pulled,
      linksPolled,
      linksFound,
      push,
      behind: pull.behind,
      fullRecompute,
    };
    await store.query(
      `UPDATE sync_runs SET finished_at = now(), found = $2, enqueued = $3, details = $4 WHERE id = $1`,
      [runId, pull.pulled.invoices + pull.pulled.payments + pull.pulled.credit, push.sent, JSON.stringify(result)],
    );
    forgetLastPulledAt();
    deps.log.debug({ sweep: result }, 'financial sweep done');
    return result;
  } catch (e) {
    await store.query('UPDATE sync_runs SET finished_at = now(), error = $2 WHERE id = $1', [runId, errorMessage(e)]);
    throw e;
  }
}

/** The accounts and opportunities whose figures may have changed. */
async function touchedRecords(store: Store, changedCustomers: string[], everything: boolean) {
  const retry = await retryCandidates(store);
  // Separate statements for "everything" and for a list: under generic plans an
  // "$all OR id = ANY(…)" condition never uses the index, and 1M invoices would be scanned a minute.
  const accounts = everything
    ? await store.query<{ account_id: string }>('SELECT account_id FROM account_links')
    : await store.query<{ account_id: string }>(
        'SELECT account_id FROM account_links WHERE erp_customer_id = ANY ($1::text[])',
        [changedCustomers],
      );
  const opportunities = everything
    ? await store.query<{ opportunity_id: string }>(
        'SELECT DISTINCT opportunity_id FROM erp_invoices WHERE opportunity_id IS NOT NULL',
      )
    : await store.query<{ opportunity_id: string }>(
        `SELECT DISTINCT opportunity_id FROM erp_invoices
          WHERE opportunity_id IS NOT NULL AND erp_customer_id = ANY ($1::text[])`,
        [changedCustomers],
      );
  return {
    accounts: [...new Set([...accounts.map((a) => a.account_id), ...retry.accounts])],
    opportunities: [...new Set([...opportunities.map((o) => o.opportunity_id), ...retry.opportunities])],
  };
}
