/**
 * The change-feed engine against a scripted Tryton (JSON-RPC served by a fake fetch), where rows
 * can be made visible late, as a slow transaction would commit them.
 */
import { readChanges, SETTLE_MICROS, type ChangeStream } from '../../src/erp/tryton/changeFeed';
import { encodeValue, parseTrytonJson, TrytonDateTime } from '../../src/erp/tryton/codec';
import { TrytonRpc } from '../../src/erp/tryton/rpc';

interface FakeRow {
  id: number;
  create_date: number;
  write_date: number | null;
  visible: boolean;
}

const T0 = Date.UTC(2026, 0, 1) * 1000;
const SECOND = 1_000_000;

/** A Tryton with one model, `x.row`, that answers search_read for the domains the engine sends. */
class FakeTryton {
  readonly rows: FakeRow[] = [];
  readonly rpc = new TrytonRpc({
    url: 'http://tryton.invalid',
    database: 'db',
    user: 'u',
    password: 'p',
    fetch: (_url, init) => Promise.resolve(this.answer(String(init?.body))),
  });

  add(id: number, create: number, write: number | null = null, visible = true): FakeRow {
    const row = { id, create_date: create, write_date: write, visible };
    this.rows.push(row);
    return row;
  }

  private answer(body: string): Response {
    const { id, method, params } = parseTrytonJson(body) as { id: number; method: string; params: unknown[] };
    let result: unknown = {};
    if (method === 'common.db.login') result = [1, 'session'];
    if (method === 'model.x.row.search_read') result = this.searchRead(params);
    return new Response(JSON.stringify({ id, result: encodeValue(result) }), { status: 200 });
  }

  private searchRead([domain, , limit, order]: unknown[]): unknown[] {
    const [[stamp]] = order as [[keyof FakeRow]];
    return this.rows
      .filter((r) => r.visible && matches(r, domain as unknown[]))
      .sort((a, b) => Number(a[stamp]) - Number(b[stamp]) || a.id - b.id)
      .slice(0, limit as number)
      .map((r) => ({ id: r.id, [stamp]: new TrytonDateTime(r[stamp] as number) }));
  }
}

function matches(row: FakeRow, domain: unknown[]): boolean {
  if (typeof domain[0] === 'string' && domain[0] !== 'OR' && typeof domain[1] === 'string') {
    const [field, op, raw] = domain as [keyof FakeRow, string, unknown];
    const value = raw instanceof TrytonDateTime ? raw.epochMicros : raw;
    const have = row[field];
    if (op === '=') return have === value;
    if (op === '!=') return have !== value;
    if (have === null || typeof value !== 'number') return false;
    return op === '>' ? Number(have) > value : op === '>=' ? Number(have) >= value : false;
  }
  if (domain[0] === 'OR') return domain.slice(1).some((d) => matches(row, d as unknown[]));
  return domain.every((d) => matches(row, d as unknown[]));
}

const STREAMS: ChangeStream[] = [
  { model: 'x.row', stamp: 'write_date', domain: [], fields: [] },
  { model: 'x.row', stamp: 'create_date', domain: [['write_date', '=', null]], fields: [] },
];

/** Reads to the end; returns the ids in delivery order, the page sizes and the last cursor. */
async function drain(tryton: FakeTryton, cursor: string | null, limit: number) {
  const ids: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const batch = await readChanges(tryton.rpc, STREAMS, cursor, limit);
    ids.push(...batch.events.map((e) => e.id));
    sizes.push(batch.events.length);
    cursor = batch.cursor;
    if (!batch.more) return { ids, sizes, cursor };
  }
  throw new Error('never ended');
}

test('rows sharing one timestamp page in a fixed order, each once, whatever the limit', async () => {
  const tryton = new FakeTryton();
  for (let id = 1; id <= 7; id++) tryton.add(id, T0, T0 + SECOND);
  tryton.add(8, T0 + 2 * SECOND);
  const { ids, sizes, cursor } = await drain(tryton, null, 3);
  expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(sizes).toEqual([3, 3, 2]);
  await expect(drain(tryton, cursor, 3)).resolves.toMatchObject({ ids: [] });
});

test('a row committed late, stamped before rows already read, is delivered once it shows', async () => {
  const tryton = new FakeTryton();
  tryton.add(1, T0);
  const slow = tryton.add(2, T0 + SECOND, null, false);
  tryton.add(3, T0 + 2 * SECOND);
  const first = await drain(tryton, null, 10);
  expect(first.ids).toEqual([1, 3]);

  slow.visible = true;
  const second = await drain(tryton, first.cursor, 10);
  expect(second.ids).toEqual([2]);
  await expect(drain(tryton, second.cursor, 10)).resolves.toMatchObject({ ids: [] });
});

test('a row written again is a new change; an untouched one is not repeated', async () => {
  const tryton = new FakeTryton();
  const draft = tryton.add(1, T0);
  tryton.add(2, T0 + SECOND);
  const first = await drain(tryton, null, 1);
  expect(first.ids).toEqual([1, 2]);
  draft.write_date = T0 + 3 * SECOND;
  await expect(drain(tryton, first.cursor, 1)).resolves.toMatchObject({ ids: [1] });
});

test('the window forgets what has settled: old rows are neither re-read nor kept in the cursor', async () => {
  const tryton = new FakeTryton();
  for (let id = 1; id <= 50; id++) tryton.add(id, T0 + id * SECOND);
  const first = await drain(tryton, null, 20);
  expect(first.ids).toHaveLength(50);
  tryton.add(51, T0 + 50 * SECOND + SETTLE_MICROS + SECOND);
  const second = await drain(tryton, first.cursor, 20);
  expect(second.ids).toEqual([51]);
  // Only row 51 is inside the settle window now.
  await expect(drain(tryton, second.cursor, 20)).resolves.toMatchObject({ ids: [] });
  expect(second.cursor.length).toBeLessThan(200);
});

test('a burst larger than the remembered window still pages through, each row once', async () => {
  const tryton = new FakeTryton();
  for (let id = 1; id <= 2500; id++) tryton.add(id, T0 + Math.floor(id / 1000));
  const { ids, cursor } = await drain(tryton, null, 500);
  expect(ids).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
  expect(cursor.length).toBeLessThan(40_000);
  await expect(drain(tryton, cursor, 500)).resolves.toMatchObject({ ids: [] });
});

test('a limit below 1 is refused', async () => {
  await expect(readChanges(new FakeTryton().rpc, STREAMS, null, 0)).rejects.toThrow(RangeError);
});
