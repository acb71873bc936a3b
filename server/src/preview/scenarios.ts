/**
 * What a person does in Salesforce or in the ERP, for the preview's scenario panel. Each one
 * changes the local Salesforce or the sandbox ERP the way the real actor would, then lets the real
 * backend do its part: the booking flow after a Closed-Won event, a financial sweep and the
 * opportunity sync after finance acted (what the every-minute schedules would do a little later).
 */
import type { LocalSalesforce } from '../emulator/salesforce';
import type { SandboxErp } from '../erp/sandbox/sandboxErp';
import { BusinessError } from '../errors';
import { ApiError } from '../http/errors';
import { minorUnits, money } from '../money';
import { dayBefore } from '../demo/fixtures';
import { invoiceOfDeal } from '../demo/seed';
import type { PreviewBackend } from './backend';
import { nonEmpty } from './records';

export interface ScenarioDeps {
  sf: LocalSalesforce;
  erp: SandboxErp;
  backend: PreviewBackend;
  defaultCurrency: string;
  /** How long close-won waits for the booking to finish before answering (default 30 s). */
  bookingWaitMs?: number;
}

function opportunity(deps: ScenarioDeps, opportunityId: string) {
  const opp = deps.sf.org.get('Opportunity', opportunityId);
  if (!opp)
    throw new ApiError(404, 'NOT_FOUND', `The local Salesforce has no opportunity ${opportunityId}`, 'opportunityId');
  return opp;
}

/** The deal's invoice in the ERP, or a 409 saying it has none yet. */
async function invoiceOf(deps: ScenarioDeps, opportunityId: string): Promise<string> {
  opportunity(deps, opportunityId); // 404 for an unknown deal
  const invoiceId = await invoiceOfDeal(deps.erp, deps.sf, opportunityId);
  if (!invoiceId)
    throw new ApiError(
      409,
      'NO_INVOICE',
      'This deal has no invoice in the ERP yet: mark it Closed Won and let it book first',
      'opportunityId',
    );
  return invoiceId;
}

/**
 * The rep marks the deal Closed Won. The trigger's before-save marks it Pending; after save the
 * Queueable posts `opportunity.closed_won` to /v1/events. Then the real booking flow runs; this
 * answers once it has finished (or after bookingWaitMs), with what the opportunity shows.
 */
export async function closeWon(deps: ScenarioDeps, opportunityId: string, authorization: string) {
  const opp = opportunity(deps, opportunityId);
  if (opp.IsWon === true)
    throw new ApiError(409, 'ALREADY_WON', 'This opportunity is already Closed Won', 'opportunityId');
  const before = { StageName: opp.StageName, Booking_Status__c: opp.Booking_Status__c ?? null };
  const notYetBooked = !opp.Booking_Status__c || opp.Booking_Status__c === 'Not Booked';
  deps.sf.org.update('Opportunity', opportunityId, {
    StageName: 'Closed Won',
    ...(notYetBooked ? { Booking_Status__c: 'Pending' } : {}),
  });
  const response = await fetch(`${deps.backend.url()}/v1/events`, {
    method: 'POST',
    headers: { Authorization: authorization, 'Content-Type': 'application/json' },
    body: JSON.stringify({ events: [{ type: 'opportunity.closed_won', opportunityId }] }),
  });
  if (response.status !== 202) {
    // In Salesforce the save and the callout are apart; here the person retries, so undo the save.
    deps.sf.org.update('Opportunity', opportunityId, before);
    throw new ApiError(
      502,
      'EVENT_REFUSED',
      `The backend answered ${response.status} to the Closed-Won event; the opportunity is unchanged`,
    );
  }
  await deps.backend.waitForIdle(deps.bookingWaitMs ?? 30_000); // if still running, the card says Pending
  await deps.backend.sweepAndSync();
  return outcome(deps, opportunityId);
}

/** Finance records a payment on the deal's invoice: in full (no amount) or a part of it. */
export async function payment(deps: ScenarioDeps, opportunityId: string, amount: string | undefined) {
  const invoiceId = await invoiceOf(deps, opportunityId);
  const invoice = await deps.erp.getInvoice(invoiceId);
  const currency = invoice.totalAmount.currency;
  const decimals = amount?.split('.')[1]?.length ?? 0;
  if (decimals > minorUnits(currency))
    throw new ApiError(
      400,
      'INVALID_INPUT',
      `amount: ${currency} has ${minorUnits(currency)} decimals; ${amount} has ${decimals}`,
      'amount',
    );
  const paid = amount === undefined ? undefined : money(amount, currency);
  try {
    await deps.erp.recordPayment(invoiceId, paid, new Date().toISOString().slice(0, 10));
  } catch (e) {
    // The ERP refuses a payment on a paid invoice or above what is left: the person's mistake.
    if (e instanceof BusinessError) throw new ApiError(409, 'PAYMENT_REFUSED', e.message, 'amount');
    throw e;
  }
  await deps.backend.sweepAndSync();
  return outcome(deps, opportunityId);
}

/** The deal's invoice falls due: its due date moves `daysAgo` days into the past. */
export async function overdue(deps: ScenarioDeps, opportunityId: string, daysAgo: number) {
  const invoiceId = await invoiceOf(deps, opportunityId);
  try {
    await deps.erp.setInvoiceDueDate(invoiceId, dayBefore(new Date(), daysAgo));
  } catch (e) {
    // The ERP moves the due date of a posted invoice only.
    if (e instanceof BusinessError) throw new ApiError(409, 'DUE_DATE_REFUSED', e.message, 'opportunityId');
    throw e;
  }
  await deps.backend.sweepAndSync();
  return outcome(deps, opportunityId);
}

export async function syncNow(deps: ScenarioDeps) {
  await deps.backend.sweepAndSync();
  return { synced: true };
}

/** What the opportunity and its account show in Salesforce now. */
function outcome(deps: ScenarioDeps, opportunityId: string) {
  const opp = opportunity(deps, opportunityId);
  return {
    opportunityId,
    accountId: nonEmpty(opp.AccountId),
    stage: String(opp.StageName),
    bookingStatus: nonEmpty(opp.Booking_Status__c),
    bookingError: nonEmpty(opp.Booking_Error__c),
    invoiceNumber: nonEmpty(opp.ERP_Invoice_Number__c),
    invoiceStatus: nonEmpty(opp.Invoice_Status__c),
  };
}
