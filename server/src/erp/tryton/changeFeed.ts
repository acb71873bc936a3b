/**
 * Change feeds over Tryton's `create_date` / `write_date`: the engine behind
 * `invoicesChangedSince`, `paymentsChangedSince` and `creditChangedSince`.
 *
 * A feed reads one or more *streams*: the rows of a model whose stamp (`write_date`, or
 * `create_date` for rows never written — `write_date` is NULL until the first write) moved. A row
 * is one *event*, ordered by the key (stamp, stream, id), so rows sharing a timestamp (one
 * transaction stamps all its rows alike) still page in a fixed order and `limit` always makes
 * progress.
 *
 * Why not a plain "stamp > last seen": Tryton stamps a row with the time its transaction started
 * (PostgreSQL's CURRENT_TIMESTAMP; trytond's SQLite NOW() is cached per transaction too), but the
 * row only becomes visible when the transaction commits. A long transaction can commit rows
 * stamped *before* rows we already read, and a bare high-water mark would skip them for good.
 *
 * So the cursor keeps a settle window: `low`, a key below which everything has settled, trails
 * the newest stamp seen by SETTLE_MICROS; every read re-reads the window (key > low) and drops
 * the events it already handed out, listed in `seen`. A late row is therefore delivered as long as
 * its transaction commits within SETTLE_MICROS of starting, while nothing already delivered is
 * repeated (the same row written again is a new event, with a new stamp).
 *
 * The clock is Tryton's own: the newest stamp read so far (a visible row was stamped no later than
 * "now" on the server), so neither the backend's clock nor time zones come into it.
 * `seen` is capped at MAX_SEEN events; beyond that the window is narrowed (oldest first), which
 * only weakens the late-commit protection during a burst, never skips a visible row.
 */
import { z } from 'zod';
import { BusinessError, TransientError } from '../../errors';
import { encodeDateTime, TrytonDateTime } from './codec';
import type { Domain } from './records';
import { parseAnswer, type TrytonRpc } from './rpc';

/** How long a transaction may take to commit and still have its rows delivered: 2 minutes. */
export const SETTLE_MICROS = 120_000_000;
/** At most this many delivered events are remembered in a cursor (~20 bytes each). */
export const MAX_SEEN = 1000;

export type Stamp = 'create_date' | 'write_date';

/** Rows of one model whose `stamp` moved; `domain` narrows them (e.g. customer invoices only). */
export interface ChangeStream {
  model: string;
  stamp: Stamp;
  domain: Domain;
  /** Fields read with each row, handed back with its event. */
  fields: string[];
}

export interface ChangeEvent {
  stream: number;
  id: number;
  /** The row as Tryton returned it, for the caller to parse. */
  row: Record<string, unknown>;
}

export interface ChangeBatch {
  /** Oldest change first; at most `limit`. */
  events: ChangeEvent[];
  cursor: string;
  more: boolean;
}

/** (stamp in microseconds, stream index, row id): the order events are delivered in. */
type Key = [number, number, number];

const CURSOR_PREFIX = 'tryton1.';
const KeySchema = z.tuple([z.number().int(), z.number().int(), z.number().int()]);
const CursorState = z.object({
  /** Everything at or below this key has been delivered or has settled; null: nothing read yet. */
  low: KeySchema.nullable(),
  /** The newest stamp seen, in microseconds: Tryton's clock as far as we can tell. */
  clock: z.number().int(),
  /** Events delivered above `low`, as [stamp − low stamp, stream, id]. */
  seen: z.array(KeySchema),
});
type CursorState = { low: Key | null; clock: number; seen: Key[] };

const Row = z.looseObject({ id: z.number().int() });

/** Reads the next events after `cursor` across `streams`, merged in key order. */
export async function readChanges(
  rpc: TrytonRpc,
  streams: ChangeStream[],
  cursor: string | null,
  limit: number,
): Promise<ChangeBatch> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer: ${limit}`);
  const state = decodeCursor(cursor);
  const seen = new Set(state.seen.map(keyText));
  const fetched = await Promise.all(streams.map((stream, i) => fetchStream(rpc, stream, i, state, limit)));
  const all = fetched.flat();
  const fresh = all.filter((e) => !seen.has(keyText(e.key))).sort((a, b) => compareKeys(a.key, b.key));
  const page = fresh.slice(0, limit);
  const more = fresh.length > limit;
  const clock = Math.max(state.clock, ...all.map((e) => e.key[0]));
  const next = advance(
    state,
    clock,
    page.map((e) => e.key),
    more,
  );
  return {
    events: page.map(({ key, row }) => ({ stream: key[1], id: key[2], row })),
    cursor: encodeCursor(next),
    more,
  };
}

/**
 * A cursor from which `readChanges` reports whatever changes from now on: the settle window before
 * the newest stamp in any of the streams (one call per stream). For feeds whose history is much
 * longer than their present state, read once in full some other way.
 */
export async function cursorFromNow(rpc: TrytonRpc, streams: ChangeStream[]): Promise<string> {
  const newest = await Promise.all(streams.map((stream) => newestStamp(rpc, stream)));
  const clock = Math.max(0, ...newest);
  return encodeCursor({ low: [clock - SETTLE_MICROS, -1, 0], clock, seen: [] });
}

async function newestStamp(rpc: TrytonRpc, stream: ChangeStream): Promise<number> {
  const domain = [...stream.domain, [stream.stamp, '!=', null]];
  const answer = await rpc.model(stream.model, 'search_read', domain, 0, 1, [[stream.stamp, 'DESC']], [stream.stamp]);
  const [row] = parseAnswer(z.array(Row), answer, `${stream.model}.search_read`);
  return row ? stampMicros(row[stream.stamp], stream) : 0;
}

interface FetchedEvent {
  key: Key;
  row: Record<string, unknown>;
}

/**
 * The stream's rows above `low`, oldest first. Enough of them to fill a page even if every row
 * already seen comes back too.
 */
async function fetchStream(
  rpc: TrytonRpc,
  stream: ChangeStream,
  index: number,
  state: CursorState,
  limit: number,
): Promise<FetchedEvent[]> {
  const seenHere = state.seen.filter((k) => k[1] === index).length;
  const domain = [...stream.domain, afterKey(stream.stamp, index, state.low)];
  const order = [
    [stream.stamp, 'ASC'],
    ['id', 'ASC'],
  ];
  const fields = [stream.stamp, ...stream.fields];
  const answer = await rpc.model(stream.model, 'search_read', domain, 0, limit + seenHere + 1, order, fields);
  const rows = parseAnswer(z.array(Row), answer, `${stream.model}.search_read`);
  return rows.map((row) => ({ key: [stampMicros(row[stream.stamp], stream), index, row.id], row }));
}

/** The domain "key > low" for one stream (a key is (stamp, stream, id)). */
function afterKey(stamp: Stamp, stream: number, low: Key | null): Domain {
  if (low === null) return [stamp, '!=', null];
  const [micros, lowStream, lowId] = low;
  const at = encodeDateTime(new TrytonDateTime(micros));
  if (stream > lowStream) return [stamp, '>=', at];
  if (stream < lowStream) return [stamp, '>', at];
  return [
    'OR',
    [stamp, '>', at],
    [
      [stamp, '=', at],
      ['id', '>', lowId],
    ],
  ];
}

function stampMicros(value: unknown, stream: ChangeStream): number {
  if (value instanceof TrytonDateTime) return value.epochMicros;
  throw new TransientError('ERP_ERROR', `Tryton returned a ${stream.model} row without ${stream.stamp}`);
}

/**
 * The cursor after a page: `low` trails the clock by the settle window, but never passes an event
 * that was not delivered (when the page was cut short), and `seen` keeps what lies above it.
 */
function advance(state: CursorState, clock: number, delivered: Key[], more: boolean): CursorState {
  const cut = delivered.at(-1);
  let low: Key = [clock - SETTLE_MICROS, -1, 0];
  if (more && cut && compareKeys(cut, low) < 0) low = cut;
  if (state.low && compareKeys(state.low, low) > 0) low = state.low;
  let seen = [...state.seen, ...delivered].filter((k) => compareKeys(k, low) > 0).sort(compareKeys);
  if (seen.length > MAX_SEEN) {
    // Narrow the window to the newest MAX_SEEN events, but never past an undelivered one.
    let narrowed = seen[seen.length - MAX_SEEN - 1] as Key;
    if (more && cut && compareKeys(cut, narrowed) < 0) narrowed = cut;
    if (compareKeys(narrowed, low) > 0) low = narrowed;
    seen = seen.filter((k) => compareKeys(k, low) > 0);
  }
  return { low, clock, seen };
}

function compareKeys(a: Key, b: Key): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function keyText(key: Key): string {
  return key.join(':');
}

/** Cursors are opaque to callers: versioned, base64url JSON, stamps relative to `low` to stay short. */
function encodeCursor(state: CursorState): string {
  const base = state.low?.[0] ?? 0;
  const json = {
    low: state.low,
    clock: state.clock,
    seen: state.seen.map(([micros, stream, id]) => [micros - base, stream, id]),
  };
  return CURSOR_PREFIX + Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | null): CursorState {
  if (cursor === null) return { low: null, clock: 0, seen: [] };
  const parsed = cursor.startsWith(CURSOR_PREFIX)
    ? CursorState.safeParse(parseJson(Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8')))
    : null;
  if (!parsed?.success) {
    throw new BusinessError('INVALID_CURSOR', 'The change cursor was not made by this Tryton connector');
  }
  const { low, clock, seen } = parsed.data;
  const base = low?.[0] ?? 0;
  return { low, clock, seen: seen.map(([micros, stream, id]) => [micros + base, stream, id]) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
