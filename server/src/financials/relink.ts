/**
 * Keeping account links true to Salesforce after a person changes them. The Account trigger
 * sends `account.erp_customer_changed`; a relink job per account reads it and applies what it
 * says (link, move, unlink). Once an hour the sweep also reads every account changed since its
 * last look — the safety net for an event that never came.
 */
import { z } from 'zod';
import type { JobHandler } from '../jobs/worker';
import type { Job, JobQueue } from '../jobs/queue';
import { salesforceIdSchema } from '../salesforce/ids';
import type { Store } from '../store/db';
import { applyAccountLinks, CLEARED_ACCOUNT_FIELDS, type AccountLink, type LinkLookup } from './links';
import { pushChanges, type PushTarget } from './push';
import { readCursor, writeCursor } from './readModel';

export const RELINK_JOB = 'relink';
const RELINKED = 'relinked';
const LINK_POLL_CURSOR = 'salesforce.account_links';
const LINK_POLL_INTERVAL_MS = 60 * 60 * 1000;
/** Salesforce stamps to the second; re-reading a minute is cheap and applying a link twice is harmless. */
const LINK_POLL_OVERLAP_MS = 60 * 1000;

const payload = z.object({ accountId: salesforceIdSchema('001', 'Account Id') });

export interface RelinkDeps {
  store: Store;
  salesforce: LinkLookup &
    PushTarget & {
      accountLinksChangedSince(since: string | null): Promise<{ links: AccountLink[]; newest: Date | null }>;
    };
  now?: () => Date;
}

/** Each account gets a job; a later change of the same account runs it again. */
export async function enqueueRelinks(queue: JobQueue, accountIds: string[], trigger: 'event' | 'manual') {
  const unique = [...new Set(accountIds)];
  const queued = await queue.enqueueMany(
    unique.map((accountId) => ({
      kind: RELINK_JOB,
      key: `${RELINK_JOB}:${accountId}`,
      payload: { accountId },
      trigger,
    })),
    { rerunOutcomes: [RELINKED] },
  );
  return { received: unique.length, enqueued: queued.length };
}

export function relinkJobHandler(deps: RelinkDeps): JobHandler {
  return {
    async run(job: Job) {
      const { accountId } = payload.parse(job.payload);
      const [current] = await deps.salesforce.readAccountLinks([accountId]);
      // A deleted account is an account with no customer any more (and nothing to clear).
      await relink(deps, [current ?? { accountId, erpCustomerId: null, currency: '' }], current ? [] : [accountId]);
      return RELINKED;
    },
  };
}

/** Applies the links; clears the figures of accounts that no longer carry a customer. */
async function relink(deps: RelinkDeps, links: AccountLink[], deletedAccounts: string[] = []): Promise<void> {
  const unlinked = await applyAccountLinks(deps.store, links);
  await clearAccounts(
    deps.store,
    deps.salesforce,
    unlinked.filter((id) => !deletedAccounts.includes(id)),
    deps.now?.() ?? new Date(),
  );
}

/** Clears Closeloop's figures on accounts that no longer carry an ERP customer. */
export async function clearAccounts(store: Store, target: PushTarget, accountIds: string[], now: Date): Promise<void> {
  if (accountIds.length === 0) return;
  const wanted = accountIds.map((id) => ({ object: 'Account' as const, id, fields: CLEARED_ACCOUNT_FIELDS }));
  await pushChanges(store, target, wanted, now);
}

/** The hourly safety net: accounts changed in Salesforce since the last look. Returns how many. */
export async function pollAccountLinks(deps: RelinkDeps): Promise<number | null> {
  const now = deps.now?.() ?? new Date();
  const stored = await readCursor(deps.store, LINK_POLL_CURSOR);
  const state = stored ? (JSON.parse(stored) as { since: string | null; checkedAt: string }) : null;
  if (state && now.getTime() - Date.parse(state.checkedAt) < LINK_POLL_INTERVAL_MS) return null;
  const { links, newest } = await deps.salesforce.accountLinksChangedSince(state?.since ?? null);
  await relink(deps, links);
  const since = newest
    ? new Date(newest.getTime() - LINK_POLL_OVERLAP_MS).toISOString().replace(/\.\d{3}Z$/, 'Z')
    : (state?.since ?? null);
  await writeCursor(deps.store, LINK_POLL_CURSOR, JSON.stringify({ since, checkedAt: now.toISOString() }));
  return links.length;
}
