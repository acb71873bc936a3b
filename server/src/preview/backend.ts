/**
 * What the preview's scenarios need from the running backend. The router is built before
 * startCloseloop returns (it is one of its options), so main.ts hands it a late-bound view.
 */
import type { Closeloop } from '../closeloop';

export interface PreviewBackend {
  /** Where /v1 answers, e.g. http://127.0.0.1:3000. */
  url(): string;
  sweepFinancials(): Promise<{ status: 'done' | 'skipped' }>;
  syncOpportunities(): Promise<unknown>;
  /** Resolves true once no job is queued or running, false if that takes longer than timeoutMs. */
  waitForIdle(timeoutMs: number): Promise<boolean>;
}

/** A PreviewBackend over the Closeloop that `get` returns once it has started. */
export function closeloopBackend(get: () => Closeloop | undefined): PreviewBackend {
  const started = () => {
    const closeloop = get();
    if (!closeloop) throw new Error('the backend has not started yet');
    return closeloop;
  };
  return {
    url: () => started().url,
    sweepFinancials: () => started().sweepFinancials(),
    syncOpportunities: () => started().syncOpportunities(),
    async waitForIdle(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const depth = await started().queue.depth();
        if (depth.queued === 0 && depth.running === 0) return true;
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
