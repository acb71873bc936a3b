/**
 * What the preview's scenarios need from the running backend. The router is built before
 * startCloseloop returns (it is one of its options), so main.ts hands it a late-bound view.
 */
import type { Closeloop } from '../closeloop';

export interface PreviewBackend {
  /** Where /v1 answers, e.g. http://127.0.0.1:3000. */
  url(): string;
  /**
   * A financial sweep that starts after this call, then the opportunity sync: what finance just
   * did reaches Salesforce. A scheduled sweep already running (which may have read the ERP before
   * the change) is waited for, then this one runs.
   */
  sweepAndSync(): Promise<void>;
  /** Resolves true once no job is queued or running, false if that takes longer than timeoutMs. */
  waitForIdle(timeoutMs: number): Promise<boolean>;
}

const SWEEP_WAIT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A PreviewBackend over the Closeloop that `get` returns once it has started. */
export function closeloopBackend(get: () => Closeloop | undefined): PreviewBackend {
  const started = () => {
    const closeloop = get();
    if (!closeloop) throw new Error('the backend has not started yet');
    return closeloop;
  };
  return {
    url: () => started().url,
    async sweepAndSync() {
      const deadline = Date.now() + SWEEP_WAIT_MS;
      while ((await started().sweepFinancials()).status !== 'done') {
        if (Date.now() > deadline) throw new Error('another financial sweep kept running for over a minute');
        await sleep(200);
      }
      await started().syncOpportunities();
    },
    async waitForIdle(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const depth = await started().queue.depth();
        if (depth.queued === 0 && depth.running === 0) return true;
        if (Date.now() > deadline) return false;
        await sleep(100);
      }
    },
  };
}
