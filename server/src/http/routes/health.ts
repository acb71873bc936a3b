/** /healthz (the process is alive) and /readyz (it can do its work: store, ERP, Salesforce). */
import { Router } from 'express';
import { errorClass } from '../../errors';

export type ReadinessCheck = () => Promise<void>;

const CHECK_TIMEOUT_MS = 5000;

function withTimeout(check: ReadinessCheck): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    check()
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}

type Readiness = { ready: boolean; checks: Record<string, { ok: boolean; error?: string }> };

async function runChecks(checks: Record<string, ReadinessCheck>): Promise<Readiness> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withTimeout(check);
        return [name, { ok: true }] as const;
      } catch (e) {
        // Unauthenticated: say which part and what kind of failure, never its address or details.
        return [name, { ok: false, error: errorClass(e) }] as const;
      }
    }),
  );
  return { ready: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) };
}

/**
 * /readyz is open and each check calls the ERP and Salesforce: concurrent probes share one round
 * of checks, and an answer is reused for `freshForMs`, so a flood of probes costs the ERP and the
 * org at most one call each per period.
 */
export function healthRouter(checks: Record<string, ReadinessCheck>, freshForMs = 2000): Router {
  let inFlight: Promise<Readiness> | undefined;
  let latest: { at: number; readiness: Readiness } | undefined;
  const readiness = (): Promise<Readiness> => {
    if (latest && Date.now() - latest.at < freshForMs) return Promise.resolve(latest.readiness);
    inFlight ??= runChecks(checks)
      .then((r) => {
        latest = { at: Date.now(), readiness: r };
        return r;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const { ready, checks: results } = await readiness();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: results });
  });
  return router;
}
