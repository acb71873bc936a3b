/** AccountPulseController.loadPulse: the same query, the same "not yet a customer" answer on a 404. */
import { encode, isNotFound, query, request, userError } from '../backend/backend';
import { apexId } from './salesforceIds';
import { USER_CURRENCY } from './userInfo';

const DEFAULT_ROWS = 5;
const MAX_ROWS = 50;

/** AccountPulseController.rows: blank or below 1 → 5, at most 50. */
function rows(requested) {
  const n = Number(requested);
  return requested === null || requested === undefined || !(n >= 1) ? DEFAULT_ROWS : Math.min(Math.trunc(n), MAX_ROWS);
}

/**
 * The running user's access to the account (Apex's user-mode query) is not checked: the preview's
 * one user sees every account, and the backend answers 404 for one it does not know.
 */
export async function loadPulse(params, refresh) {
  const accountId = apexId(params.accountId);
  const { invoicesLimit, paymentsLimit } = params;
  if (typeof accountId !== 'string' || !accountId.startsWith('001')) {
    throw userError('Closeloop needs an account id to show its financial pulse.');
  }
  const paging = {
    invoicesLimit: rows(invoicesLimit),
    invoicesOffset: 0,
    paymentsLimit: rows(paymentsLimit),
    paymentsOffset: 0,
    refresh: refresh ? 'true' : null,
  };
  try {
    return await request('GET', `/v1/accounts/${encode(accountId)}/pulse${query(paging)}`);
  } catch (error) {
    if (isNotFound(error)) return notYetACustomer(accountId, paging.invoicesLimit, paging.paymentsLimit);
    throw error;
  }
}

function notYetACustomer(accountId, invoicesLimit, paymentsLimit) {
  const emptyPage = (limit) => ({ total: 0, limit, offset: 0, items: [] });
  return {
    accountId,
    linked: false,
    erpCustomerId: null,
    currency: USER_CURRENCY,
    summary: null,
    otherCurrencies: [],
    invoices: emptyPage(invoicesLimit),
    payments: emptyPage(paymentsLimit),
    asOf: null,
    refresh: null,
  };
}
