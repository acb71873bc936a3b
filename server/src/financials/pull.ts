/**
 * Pull: the ERP's changes since the stored cursors, into the read model. Each page is upserted,
 * its customers marked for the push, and its cursor advanced in one transaction: a crash between
 * pages loses nothing, a page is never half-kept, and a change pulled is a change pushed later
 * even if this sweep fails after pulling it.
 */
import type { ChangePage, ErpConnector } from '../erp/connector';
import type { Sql, Store } from '../store/db';
import { markDirty, readCursor, upsertCredit, upsertInvoices, upsertPayments, writeCursor } from './readModel';

export const PAGE_SIZE = 500;
/** Bounds one sweep's work; whatever is left is pulled by the next sweep. */
const MAX_PAGES_PER_FEED = 100;

export type Feed = 'invoices' | 'payments' | 'credit';

export interface PullResult {
  pulled: Record<Feed, number>;
  /** True when a feed still had changes waiting after MAX_PAGES_PER_FEED pages. */
  behind: boolean;
}

interface FeedSpec<T> {
  name: Feed;
  read(cursor: string | null, limit: number): Promise<ChangePage<T>>;
  keep(tx: Sql, items: T[]): Promise<void>;
  customerOf(item: T): string;
}

async function pullFeed<T>(store: Store, feed: FeedSpec<T>): Promise<{ count: number; behind: boolean }> {
  const cursorName = `erp.${feed.name}`;
  let cursor = await readCursor(store, cursorName);
  let count = 0;
  for (let pages = 0; pages < MAX_PAGES_PER_FEED; pages++) {
    const page = await feed.read(cursor, PAGE_SIZE);
    await store.transaction(async (tx) => {
      await feed.keep(tx, page.items);
      await markDirty(tx, page.items.map(feed.customerOf));
      await writeCursor(tx, cursorName, page.cursor);
    });
    cursor = page.cursor;
    count += page.items.length;
    if (!page.more) return { count, behind: false };
  }
  return { count, behind: true };
}

export async function pullChanges(erp: ErpConnector, store: Store): Promise<PullResult> {
  const invoices = await pullFeed(store, {
    name: 'invoices',
    read: (c, l) => erp.invoicesChangedSince(c, l),
    keep: upsertInvoices,
    customerOf: (i) => i.customerId,
  });
  const payments = await pullFeed(store, {
    name: 'payments',
    read: (c, l) => erp.paymentsChangedSince(c, l),
    keep: upsertPayments,
    customerOf: (p) => p.customerId,
  });
  const credit = await pullFeed(store, {
    name: 'credit',
    read: (c, l) => erp.creditChangedSince(c, l),
    keep: upsertCredit,
    customerOf: (c) => c.customerId,
  });
  return {
    pulled: { invoices: invoices.count, payments: payments.count, credit: credit.count },
    behind: invoices.behind || payments.behind || credit.behind,
  };
}
