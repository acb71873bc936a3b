/**
 * ForecastController.getForecast → GET /v1/dashboards/forecast-vs-actual with the same defaults
 * (month, period) and the same omissions (blank owner and lead source, convert only when true).
 * The preview's user is a sales manager: the Closeloop_View_Forecast permission is granted. The
 * backend checks the periods and filters again and its 400s reach the component as Apex's would.
 */
import { query, request, userError } from '../backend/backend';

const PERIOD = { month: /^\d{4}-(0[1-9]|1[0-2])$/, quarter: /^\d{4}-Q[1-4]$/ };
const EXAMPLE = { month: '2026-07', quarter: '2026-Q3' };
const GROUPINGS = ['period', 'owner', 'leadSource'];

const blank = (value) => value === null || value === undefined || String(value).trim() === '';

function checkedPeriod(period, grain, which) {
  const value = period === null || period === undefined ? '' : String(period).trim();
  if (!PERIOD[grain].test(value)) {
    throw userError(`The ${which} period must be a ${grain} such as ${EXAMPLE[grain]}.`);
  }
  return value;
}

export function getForecast({ fromPeriod, toPeriod, grain, groupBy, ownerId, leadSource, convertCurrency }) {
  const checkedGrain = blank(grain) ? 'month' : String(grain).trim();
  if (!PERIOD[checkedGrain]) throw userError('The grain must be month or quarter.');
  const checkedGroupBy = blank(groupBy) ? 'period' : String(groupBy).trim();
  if (!GROUPINGS.includes(checkedGroupBy)) throw userError('Group by must be period, owner or leadSource.');
  const from = checkedPeriod(fromPeriod, checkedGrain, 'start');
  const to = checkedPeriod(toPeriod, checkedGrain, 'end');
  if (from > to) throw userError(`The start period (${from}) comes after the end period (${to}).`);
  const params = {
    from,
    to,
    grain: checkedGrain,
    groupBy: checkedGroupBy,
    ownerId: blank(ownerId) ? null : String(ownerId).trim(),
    leadSource: blank(leadSource) ? null : String(leadSource).trim(),
    convert: convertCurrency === true ? 'true' : null,
  };
  return request('GET', `/v1/dashboards/forecast-vs-actual${query(params)}`);
}
