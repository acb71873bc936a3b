/**
 * ForecastController.getForecast → GET /v1/dashboards/forecast-vs-actual with the same checks in
 * the same order (grain, start and end periods, their order, group by, owner, lead source), the
 * same messages, the same defaults (month, period) and the same omissions (blank owner and lead
 * source, convert only when true). Two of Apex's checks are not made here, both about the running
 * user, and the preview's one user passes both: the Closeloop_View_Forecast permission (the
 * preview's user is a sales manager) and the user-mode query showing that the running user can see
 * the owner (the preview's user sees every user). The backend checks the periods and filters again
 * and its 400s reach the component as Apex's would.
 */
import { query, request, userError } from '../backend/backend';
import { id18 } from './salesforceIds';

const PATH = '/v1/dashboards/forecast-vs-actual';
const PERIOD = { month: /^\d{4}-(0[1-9]|1[0-2])$/, quarter: /^\d{4}-Q[1-4]$/ };
const EXAMPLE = { month: '2026-07', quarter: '2026-Q3' };
const GROUPINGS = ['period', 'owner', 'leadSource'];
const MAX_LEAD_SOURCE_LENGTH = 255;
/** ForecastController.USER_ID: key prefix 005, 15 characters or 18 with the case-safe suffix. */
const USER_ID = /^005[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/;
// eslint-disable-next-line no-control-regex -- the very characters the lead source must not hold
const CONTROL_CHARACTER = /[\x00-\x1f\x7f]/;

const blank = (value) => value === null || value === undefined || String(value).trim() === '';

function checkedGrain(grain) {
  const value = blank(grain) ? 'month' : String(grain).trim();
  if (!Object.hasOwn(PERIOD, value)) throw userError('The grain must be month or quarter.');
  return value;
}

function checkedGroupBy(groupBy) {
  const value = blank(groupBy) ? 'period' : String(groupBy).trim();
  if (!GROUPINGS.includes(value)) throw userError('Group by must be period, owner or leadSource.');
  return value;
}

function checkedPeriod(period, grain, which) {
  const value = period === null || period === undefined ? '' : String(period).trim();
  if (!PERIOD[grain].test(value)) {
    throw userError(`The ${which} period must be a ${grain} such as ${EXAMPLE[grain]}.`);
  }
  return value;
}

/** checkedUserId: a User id as written; sent as the 18-character id (a 15-character one gains its suffix). */
function checkedOwnerId(ownerId) {
  if (blank(ownerId)) return null;
  const value = String(ownerId).trim();
  const userId = USER_ID.test(value) ? id18(value) : null;
  if (userId === null || (value.length === 18 && userId.toLowerCase() !== value.toLowerCase())) {
    throw userError('The owner must be a user id: 15 or 18 characters starting with 005.');
  }
  return userId;
}

/** Blank for any lead source; longer than a picklist value can be, or with control characters, is a mistake. */
function checkedLeadSource(leadSource) {
  if (blank(leadSource)) return null;
  const value = String(leadSource).trim();
  if (value.length > MAX_LEAD_SOURCE_LENGTH) {
    throw userError(`The lead source can be at most ${MAX_LEAD_SOURCE_LENGTH} characters.`);
  }
  if (CONTROL_CHARACTER.test(value)) {
    throw userError('The lead source must not contain control characters such as line breaks.');
  }
  return value;
}

export function getForecast({ fromPeriod, toPeriod, grain, groupBy, ownerId, leadSource, convertCurrency }) {
  const grainKey = checkedGrain(grain);
  const from = checkedPeriod(fromPeriod, grainKey, 'start');
  const to = checkedPeriod(toPeriod, grainKey, 'end');
  if (from > to) throw userError(`The start period (${from}) comes after the end period (${to}).`);
  // Built in Apex's order: group by is checked after the periods, then the owner, then the lead source.
  const params = { from, to, grain: grainKey };
  params.groupBy = checkedGroupBy(groupBy);
  params.ownerId = checkedOwnerId(ownerId);
  params.leadSource = checkedLeadSource(leadSource);
  params.convert = convertCurrency === true ? 'true' : null;
  return request('GET', `${PATH}${query(params)}`);
}
