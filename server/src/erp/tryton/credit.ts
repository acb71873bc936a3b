/**
 * Customer credit. `account_credit_limit` gives each party a `credit_limit_amount` (company
 * currency, per company: hence the user's context on every call) and a `credit_amount`, Tryton's
 * exposure: the unreconciled receivable plus, with `sale_credit_limit`, confirmed sales not yet
 * invoiced. Tryton refuses a new sale once `credit_amount + sale > limit`, so with the exposure at
 * or above the limit every new order is refused: that is the hold.
 */
import { z } from 'zod';
import type { ChangePage, ErpCustomerCredit } from '../connector';
import { BusinessError } from '../../errors';
import { money } from '../../money';
import { cursorFromNow, readChanges, type ChangeEvent, type ChangeStream } from './changeFeed';
import { DecimalField, searchRead, type Domain } from './records';
import { parseAnswer, type TrytonRpc } from './rpc';

const RECEIVABLE_LINES: Domain = [
  ['party', '!=', null],
  ['account.type.receivable', '=', true],
];
const NEVER_WRITTEN: Domain = [['write_date', '=', null]];

/**
 * What moves a customer's credit, each stream naming the party in `party` (or being the party):
 * the party itself (its limit is written through it), its receivable lines (invoices posted,
 * payments, manual entries) and its sales (a confirmed sale counts until it is invoiced).
 */
export const CREDIT_STREAMS: ChangeStream[] = [
  { model: 'party.party', stamp: 'write_date', domain: [], fields: [] },
  { model: 'party.party', stamp: 'create_date', domain: NEVER_WRITTEN, fields: [] },
  { model: 'account.move.line', stamp: 'write_date', domain: RECEIVABLE_LINES, fields: ['party'] },
  {
    model: 'account.move.line',
    stamp: 'create_date',
    domain: [...RECEIVABLE_LINES, ...NEVER_WRITTEN],
    fields: ['party'],
  },
  { model: 'sale.sale', stamp: 'write_date', domain: [], fields: ['party'] },
];

/**
 * Credit changes after `cursor`. From the beginning (null) the history of every receivable line
 * would be read just to learn today's credit of each party, so a first read goes through the
 * parties themselves (by id), then carries on with the change feed from just before it began.
 */
export async function creditChangedSince(
  rpc: TrytonRpc,
  cursor: string | null,
  limit: number,
  currency: string,
): Promise<ChangePage<ErpCustomerCredit>> {
  if (cursor === null) {
    const resume = await cursorFromNow(rpc, CREDIT_STREAMS);
    return readAllParties(rpc, { after: 0, resume }, limit, currency);
  }
  const snapshot = decodeSnapshot(cursor);
  if (snapshot) return readAllParties(rpc, snapshot, limit, currency);
  const batch = await readChanges(rpc, CREDIT_STREAMS, cursor, limit);
  const partyIds = [...new Set(batch.events.map(creditPartyOf))];
  const items = partyIds.length === 0 ? [] : await readCredit(rpc, [['id', 'in', partyIds]], null, currency);
  return { items, cursor: batch.cursor, more: batch.more };
}

/** The credit of the parties matching `domain` (one call), by id. */
export async function readCredit(
  rpc: TrytonRpc,
  domain: Domain,
  limit: number | null,
  currency: string,
): Promise<ErpCustomerCredit[]> {
  const rows = await searchRead(rpc, 'party.party', domain, ['credit_limit_amount', 'credit_amount'], CreditRow, {
    limit,
  });
  return rows.map((row) => toCredit(row, currency));
}

const SNAPSHOT_PREFIX = 'tryton1c.';
const Snapshot = z.object({ after: z.number().int(), resume: z.string() });
type Snapshot = z.infer<typeof Snapshot>;

async function readAllParties(
  rpc: TrytonRpc,
  snapshot: Snapshot,
  limit: number,
  currency: string,
): Promise<ChangePage<ErpCustomerCredit>> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer: ${limit}`);
  const credit = await readCredit(rpc, [['id', '>', snapshot.after]], limit + 1, currency);
  const items = credit.slice(0, limit);
  const last = items.at(-1);
  if (credit.length > limit && last) {
    return { items, cursor: encodeSnapshot({ ...snapshot, after: Number(last.customerId) }), more: true };
  }
  // Every party read: what changed meanwhile is waiting in the change feed.
  return { items, cursor: snapshot.resume, more: true };
}

function encodeSnapshot(snapshot: Snapshot): string {
  return SNAPSHOT_PREFIX + Buffer.from(JSON.stringify(snapshot), 'utf8').toString('base64url');
}

function decodeSnapshot(cursor: string): Snapshot | null {
  if (!cursor.startsWith(SNAPSHOT_PREFIX)) return null;
  try {
    const text = Buffer.from(cursor.slice(SNAPSHOT_PREFIX.length), 'base64url').toString('utf8');
    return Snapshot.parse(JSON.parse(text));
  } catch {
    throw new BusinessError('INVALID_CURSOR', 'The credit cursor was not made by this Tryton connector');
  }
}

const PartyOf = z.object({ party: z.number().int() });

/** The party an event of CREDIT_STREAMS is about. */
function creditPartyOf(event: ChangeEvent): number {
  const stream = CREDIT_STREAMS[event.stream];
  if (stream?.model === 'party.party') return event.id;
  return parseAnswer(PartyOf, event.row, `the party of a ${stream?.model ?? 'credit'} change`).party;
}

const CreditRow = z.object({
  id: z.number().int(),
  credit_limit_amount: DecimalField.nullable(),
  credit_amount: DecimalField,
});

function toCredit(row: z.infer<typeof CreditRow>, currency: string): ErpCustomerCredit {
  const limit = row.credit_limit_amount;
  return {
    customerId: String(row.id),
    creditLimit: limit === null ? null : money(limit, currency),
    creditHold: limit !== null && row.credit_amount.gte(limit),
  };
}
