/**
 * What the fault suite reads back, always from the real parts: the store (directly, not through
 * the rig's proxy), the backend's API, Tryton and the local Salesforce.
 */
import type { Rig } from './faultRig';
import { eventually } from './harness';

export interface JobRow {
  key: string;
  status: string;
  outcome: string | null;
  last_error: string | null;
  last_error_class: string | null;
  id: number;
  [c: string]: unknown;
}

export async function jobs(rig: Rig): Promise<JobRow[]> {
  return rig.db.store.query<JobRow>(
    'SELECT id, key, status, outcome, last_error, last_error_class FROM jobs ORDER BY id',
  );
}

export async function jobByKey(rig: Rig, key: string): Promise<JobRow | undefined> {
  return (await jobs(rig)).find((j) => j.key === key);
}

/** While the store is unreachable, the backend says so where operators look: /readyz. */
export async function storeShownDown(rig: Rig): Promise<void> {
  await eventually(
    async () => {
      const res = await fetch(`${rig.backend.url}/readyz`);
      const body = (await res.json()) as { checks?: { store?: { ok: boolean } } };
      return res.status === 503 && body.checks?.store?.ok === false;
    },
    '/readyz to report the store down',
    15_000,
  );
}

/** Asks again (a sweep) until the backend answers 200: a sweep cut short may hold its lock a moment. */
export async function sweepUntilDone(rig: Rig): Promise<unknown> {
  let last: { status: number; body: unknown } = { status: 0, body: null };
  await eventually(
    async () => {
      last = await rig.api('POST', '/v1/sync/financials');
      return last.status === 200;
    },
    'a sweep to complete',
    30_000,
  ).catch((e: unknown) => {
    throw new Error(`${(e as Error).message}; last answer ${last.status} ${JSON.stringify(last.body)}`);
  });
  return last.body;
}
