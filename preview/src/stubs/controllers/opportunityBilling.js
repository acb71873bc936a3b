/**
 * OpportunityBillingController: the same endpoints and parameters, the same "not booked" answer on
 * a 404, the credit check only for open deals with an account and an amount.
 */
import { ApexError, encode, isNotFound, query, request, userError } from '../backend/backend';
import { fieldValue, readRecord } from './records';
import { apexId } from './salesforceIds';
import { USER_CURRENCY } from './userInfo';

/**
 * Decimal.setScale(2).toPlainString() of a decimal string: "30000" → "30000.00" (an Amount holds
 * at most two decimals, so nothing is ever rounded here; more would be cut, not rounded).
 */
export function twoDecimals(amount) {
  const [units, decimals = ''] = String(amount).split('.');
  return `${units}.${decimals.padEnd(2, '0').slice(0, 2)}`;
}

/**
 * visibleOpportunity: the fields the credit check needs (Amount arrives as a decimal string). The
 * local Salesforce's 404 stands for Apex's user-mode query finding nothing.
 */
async function visibleOpportunity(givenId) {
  const opportunityId = apexId(givenId);
  if (typeof opportunityId !== 'string' || !opportunityId.startsWith('006')) {
    throw userError('Closeloop needs an opportunity id to show its billing.');
  }
  try {
    return await readRecord(opportunityId);
  } catch (error) {
    if (error instanceof ApexError && error.status === 404) {
      throw userError('You do not have access to this opportunity, or it no longer exists.');
    }
    throw error;
  }
}

export async function getBilling({ opportunityId }) {
  const opp = await visibleOpportunity(opportunityId);
  const accountId = fieldValue(opp, 'AccountId');
  const amount = fieldValue(opp, 'Amount');
  const creditCheck =
    !fieldValue(opp, 'IsClosed') && accountId && amount !== null
      ? { accountId, amount: twoDecimals(amount), currency: fieldValue(opp, 'CurrencyIsoCode') ?? USER_CURRENCY }
      : {};
  try {
    return await request('GET', `/v1/opportunities/${encode(opp.id)}/billing${query(creditCheck)}`);
  } catch (error) {
    if (isNotFound(error)) return notBooked(opp.id);
    throw error;
  }
}

function notBooked(opportunityId) {
  return {
    opportunityId,
    bookingStatus: 'Not Booked',
    bookingError: null,
    bookedAt: null,
    erpOrderId: null,
    invoice: null,
    amountInvoiced: null,
    amountPaid: null,
    creditCheck: null,
    canRetry: false,
    asOf: null,
  };
}

/**
 * POST /v1/opportunities/{id}/book. Apex first checks that the running user can edit the
 * opportunity (UserRecordAccess.HasEditAccess) and refuses with "Only people who can edit this
 * opportunity can retry its booking."; the preview leaves that check out, because its one user can
 * edit every record. Apex sends the running user's id for the audit trail; the preview has no
 * Salesforce user, so it sends none and the audit shows no user.
 */
export async function retryBooking({ opportunityId }) {
  const opp = await visibleOpportunity(opportunityId);
  return request('POST', `/v1/opportunities/${encode(opp.id)}/book`, {});
}
