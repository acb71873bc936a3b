/** One booking run: its dependencies, what was asked, and the audit trail it writes. */
import { audit, type AuditTrigger } from '../audit/audit';
import { TransientError } from '../errors';
import type { ErpConnector } from '../erp/connector';
import type { Logger } from '../log';
import type { RecordResult, RecordUpdate } from '../salesforce/client';
import type { OpportunityForBooking } from '../salesforce/opportunities';
import type { Store } from '../store/db';
import type { CustomerResolution } from './customerMatch';

/** What booking needs from Salesforce. */
export interface BookingSalesforce {
  readOpportunity(id: string): Promise<OpportunityForBooking | null>;
  update(records: RecordUpdate[]): Promise<RecordResult[]>;
}

export interface BookingDeps {
  sql: Store;
  erp: ErpConnector;
  salesforce: BookingSalesforce;
  log: Logger;
  now?: () => Date;
}

export interface BookingRequest {
  opportunityId: string;
  trigger: AuditTrigger;
  actor?: string | null;
  jobId?: number | null;
  customerResolution?: CustomerResolution;
}

export interface BookingRun extends BookingDeps {
  req: BookingRequest;
  /** False once the run's lock was lost (its connection died): stop before writing anything. */
  held: () => boolean;
}

export function now(run: BookingDeps): Date {
  return run.now?.() ?? new Date();
}

/** Called before every write to the ERP: a run that lost its lock must not write. */
export function assertStillHeld(run: BookingRun): void {
  if (!run.held()) {
    throw new TransientError(
      'LOCK_LOST',
      `The lock on opportunity ${run.req.opportunityId} was lost; stopping before the next ERP write`,
    );
  }
}

/** One audit entry for this booking: `after` is what the step produced, `before` what it replaced. */
export async function trail(
  run: BookingRun,
  action: string,
  after: unknown,
  options: { before?: unknown; entityType?: 'opportunity' | 'account'; entityId?: string } = {},
): Promise<void> {
  await audit(run.sql, {
    entityType: options.entityType ?? 'opportunity',
    entityId: options.entityId ?? run.req.opportunityId,
    action,
    before: options.before,
    after,
    trigger: run.req.trigger,
    actor: run.req.actor,
    jobId: run.req.jobId,
  });
}
