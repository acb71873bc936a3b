import { Messages, SfError } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import { Flags } from '@salesforce/sf-plugins-core';
import { bookingAccepted, sweepResult, type SweepResult } from '../../api.js';
import { BackendCommand } from '../../backendCommand.js';
import { backendFlags } from '../../backendFlags.js';
import type { BackendClient } from '../../backend.js';
import { readBilling, watchBooking, type BookingEnd } from '../../bookingWatch.js';
import { opportunityIdFlag } from '../../opportunityIdFlag.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@closeloop/plugin-closeloop', 'closeloop.sync');

/** The sweep's feeds (server/src/financials/pull.ts) as a sentence names them. */
const FEED_WORDS: Record<string, string> = { invoices: 'invoices', payments: 'payments', credit: 'credit changes' };

export type BookingOutcome =
  'Booked' | 'Failed' | 'Credit Hold' | 'dead letter' | 'not booked' | 'queued' | 'still running';

export interface BookingSyncResult {
  kind: 'booking';
  opportunityId: string;
  jobId: number;
  outcome: BookingOutcome;
  /** Why it is not booked, in the words shown on the opportunity (or the dead letter's error). */
  message: string | null;
  erpOrderId: string | null;
  invoiceNumber: string | null;
  /** Set when the job is a dead letter: replay it with `sf closeloop replay --id`. */
  deadLetterId: number | null;
}

export interface FinancialsSyncResult {
  kind: 'financials';
  sweep: SweepResult;
}

export type SyncResult = BookingSyncResult | FinancialsSyncResult;

export default class Sync extends BackendCommand<SyncResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    ...backendFlags,
    opportunity: opportunityIdFlag({
      char: 'i',
      summary: messages.getMessage('flags.opportunity.summary'),
      exactlyOne: ['opportunity', 'financials'],
    }),
    financials: Flags.boolean({
      summary: messages.getMessage('flags.financials.summary'),
      exactlyOne: ['opportunity', 'financials'],
    }),
    wait: Flags.duration({
      char: 'w',
      unit: 'minutes',
      min: 0,
      default: Duration.minutes(5),
      summary: messages.getMessage('flags.wait.summary'),
    }),
  };

  public async run(): Promise<SyncResult> {
    const { flags } = await this.parse(Sync);
    const { client } = await this.connect(flags);
    const waitMs = flags.wait.milliseconds;
    if (flags.opportunity) return this.book(client, flags.opportunity, waitMs);
    return this.sweep(client, waitMs);
  }

  private async book(client: BackendClient, opportunityId: string, waitMs: number): Promise<BookingSyncResult> {
    const before = await readBilling(client, opportunityId);
    const accepted = await client.post(`/v1/opportunities/${opportunityId}/book`, bookingAccepted, { body: {} });
    const job = accepted.body.job;
    if (waitMs === 0) {
      this.log(messages.getMessage('booking.queued', [opportunityId, job.id]));
      return bookingResult(opportunityId, job.id, { kind: 'timeout', billing: null }, 'queued');
    }
    this.spinner.start(messages.getMessage('booking.spinner', [opportunityId]), job.status);
    const end = await watchBooking(client, opportunityId, job, before, {
      timeoutMs: waitMs,
      onProgress: (status) => {
        this.spinner.status = status;
      },
    });
    const result = bookingResult(opportunityId, job.id, end);
    this.spinner.stop(result.outcome);
    this.report(result);
    // Like a failed deploy: the result is printed (and is the JSON), and the exit code says it failed.
    if (result.outcome !== 'Booked') process.exitCode = 1;
    return result;
  }

  private report(result: BookingSyncResult): void {
    const id = result.opportunityId;
    switch (result.outcome) {
      case 'Booked':
        // The invoice number comes from the ERP's read model, filled by the next financial sweep.
        this.logSuccess(
          result.invoiceNumber
            ? messages.getMessage('booking.booked', [id, result.erpOrderId ?? '-', result.invoiceNumber])
            : messages.getMessage('booking.bookedInvoiceNotPulled', [id, result.erpOrderId ?? '-']),
        );
        return;
      case 'Failed':
      case 'Credit Hold':
        this.warn(messages.getMessage('booking.notBooked', [id, result.outcome, result.message ?? '']));
        this.info(messages.getMessage('booking.retry', [id]));
        return;
      case 'dead letter':
        this.warn(messages.getMessage('booking.dead', [id, result.message ?? '', result.deadLetterId ?? '']));
        return;
      case 'not booked':
        this.warn(messages.getMessage('booking.noOutcome', [id]));
        return;
      default:
        this.warn(messages.getMessage('booking.stillRunning', [id]));
    }
  }

  private async sweep(client: BackendClient, waitMs: number): Promise<FinancialsSyncResult> {
    this.spinner.start(messages.getMessage('financials.spinner'));
    let sweep: SweepResult;
    try {
      // The sweep runs within the request: give it the --wait time, at least the usual 30 s.
      const answer = await client.post('/v1/sync/financials', sweepResult, { timeoutMs: Math.max(waitMs, 30_000) });
      sweep = answer.body;
    } catch (e) {
      this.spinner.stop('not run');
      if (e instanceof SfError && e.name === 'SWEEP_RUNNING') throw messages.createError('error.SweepRunning');
      throw e;
    }
    this.spinner.stop('done');
    const pulled = Object.entries(sweep.pulled)
      .map(([feed, n]) => `${n} ${FEED_WORDS[feed] ?? feed}`)
      .join(', ');
    this.logSuccess(
      messages.getMessage('financials.done', [pulled, sweep.push.sent, sweep.push.considered, sweep.push.rejected]),
    );
    if (sweep.push.rejected > 0) this.warn(messages.getMessage('financials.rejected', [sweep.push.rejected]));
    if (sweep.behind) this.info(messages.getMessage('financials.behind'));
    return { kind: 'financials', sweep };
  }
}

function bookingResult(
  opportunityId: string,
  jobId: number,
  end: BookingEnd,
  waiting: BookingOutcome = 'still running',
): BookingSyncResult {
  const base = { kind: 'booking' as const, opportunityId, jobId, deadLetterId: null };
  switch (end.kind) {
    case 'dead':
      return {
        ...base,
        outcome: 'dead letter',
        message: end.job.lastError,
        erpOrderId: null,
        invoiceNumber: null,
        deadLetterId: end.job.id,
      };
    case 'outcome': {
      const { billing } = end;
      const outcome: BookingOutcome =
        billing.bookingStatus === 'Booked' || billing.bookingStatus === 'Credit Hold'
          ? billing.bookingStatus
          : 'Failed';
      return {
        ...base,
        outcome,
        message: billing.bookingError,
        erpOrderId: billing.erpOrderId,
        invoiceNumber: billing.invoice?.number ?? null,
      };
    }
    case 'no-outcome':
      return { ...base, outcome: 'not booked', message: null, erpOrderId: null, invoiceNumber: null };
    default:
      return { ...base, outcome: waiting, message: null, erpOrderId: null, invoiceNumber: null };
  }
}
