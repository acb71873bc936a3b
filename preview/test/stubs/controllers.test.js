/**
 * Stub parity: each `@salesforce/apex` stub of the preview, run against a fake fetch, asks the
 * backend what the Apex controller asks it — the same method, path and query string, byte for
 * byte — with the same defaults, refusals and 404 fallbacks. The expected URLs are those of the
 * Apex tests (force-app/main/default/classes/*ControllerTest.cls) without `callout:Closeloop_Backend`.
 */
const ORIGIN = 'http://preview.test';
const TOKEN = 'preview-token';

/** What the page's `window` offers the stubs: location, the tab's sessionStorage, history. */
function fakeWindow(hash = '') {
  const stored = new Map();
  return {
    location: { origin: ORIGIN, pathname: '/preview/', search: '', hash },
    sessionStorage: {
      getItem: (key) => (stored.has(key) ? stored.get(key) : null),
      setItem: (key, value) => stored.set(key, String(value)),
    },
    history: { state: null, replaceState: jest.fn() },
  };
}

/** The records the local Salesforce answers through the preview API, by id. */
let records;
/** Answers for backend paths (without the query), else 200 `{ ok: true }`. */
let answers;
let sent;

function respond(status, body) {
  return { ok: status >= 200 && status < 300, status, statusText: String(status), json: async () => body };
}

beforeEach(() => {
  global.window = fakeWindow(`#token=${TOKEN}`);
  records = {};
  answers = {};
  sent = [];
  global.fetch = jest.fn(async (url, init) => {
    const { pathname } = new URL(url);
    sent.push({ url, method: init.method, headers: init.headers, body: init.body });
    const recordId = /^\/preview\/api\/records\/(.+)$/.exec(pathname)?.[1];
    if (recordId) return records[recordId] ? respond(200, records[recordId]) : respond(404, notFoundBody());
    const answer = answers[pathname];
    return answer ? respond(answer.status, answer.body) : respond(200, { ok: true });
  });
  require('../../src/stubs/backend/backend').adoptTokenFromUrl();
});

afterEach(() => {
  delete global.window;
  delete global.fetch;
});

const notFoundBody = () => ({ error: { code: 'NOT_FOUND', message: 'not found' } });

/** The backend calls only (not the preview API's record reads), as `METHOD /path?query`. */
function backendCalls() {
  return sent
    .filter((r) => !r.url.startsWith(`${ORIGIN}/preview/api/`))
    .map((r) => `${r.method} ${r.url.slice(ORIGIN.length)}`);
}

/** The imperative call of an @salesforce/apex stub, as a component makes it. */
function apex(name) {
  return require(`../../src/stubs/apex/${name}`).default;
}

async function refusal(promise) {
  try {
    await promise;
  } catch (error) {
    return error.body.message;
  }
  throw new Error('expected a refusal');
}

const ACCOUNT = '001A0000006Vm9rIAC';
const OPPORTUNITY = '006A0000004AbCdIAK';
/** A User id as 15 characters and as 18 (the case-safe suffix of 005A0 / 00000 / 6Vm9r is IAC). */
const OWNER_15 = '005A0000006Vm9r';
const OWNER_18 = '005A0000006Vm9rIAC';

describe('the HTTP client', () => {
  const backend = () => require('../../src/stubs/backend/backend');

  test('every call carries the token from sessionStorage in the Authorization header', async () => {
    await backend().request('GET', '/v1/anything');
    expect(sent[0].headers.Authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent[0].url).toBe(`${ORIGIN}/v1/anything`);
  });

  test('on load the token leaves the URL for sessionStorage; the rest of the fragment stays', () => {
    global.window = fakeWindow('#token=abc&record=001000000000001AAA');
    backend().adoptTokenFromUrl();
    expect(backend().apiToken()).toBe('abc');
    expect(global.window.history.replaceState).toHaveBeenCalledWith(null, '', '/preview/#record=001000000000001AAA');
  });

  test('a page without a token sends nothing and says which URL to use', async () => {
    global.window = fakeWindow('');
    backend().adoptTokenFromUrl();
    expect(global.window.history.replaceState).not.toHaveBeenCalled();
    const message = await refusal(backend().request('GET', '/v1/anything'));
    expect(message).toBe(backend().NO_TOKEN_MESSAGE);
    expect(message).toMatch(/URL the demo printed/);
    expect(sent).toEqual([]);
  });

  test("encodes as Apex's EncodingUtil.urlEncode: a space as +, !'()~ escaped, *._- kept", () => {
    expect(backend().encode('Web & Social')).toBe('Web+%26+Social');
    expect(backend().encode("a!b'(c)~*._-é")).toBe('a%21b%27%28c%29%7E*._-%C3%A9');
    expect(backend().query({ a: 1, b: null, c: undefined, d: 'x y' })).toBe('?a=1&d=x+y');
  });

  test("401 and 5xx get CloseloopApi's fixed sentences, the preview API's own too; a 409 passes its message on", async () => {
    answers['/preview/api/scenarios/payment'] = { status: 409, body: { error: { message: 'The invoice is paid' } } };
    answers['/preview/api/sync'] = { status: 503, body: { error: { message: 'pool exhausted' } } };
    answers['/preview/api/records'] = { status: 401, body: { error: { message: 'bad token' } } };
    expect(await refusal(backend().request('POST', '/preview/api/scenarios/payment', {}))).toBe('The invoice is paid');
    expect(await refusal(backend().request('POST', '/preview/api/sync', {}))).toBe(
      "Closeloop's server had a problem (HTTP 503). Try again in a minute.",
    );
    expect(await refusal(backend().request('GET', '/preview/api/records'))).toMatch(
      /^The backend did not accept this page's API token \(HTTP 401\)/,
    );
  });
});

describe('AccountPulseController', () => {
  test('getPulse: path and paging, no refresh (AccountPulseControllerTest)', async () => {
    await apex('AccountPulseController.getPulse')({ accountId: ACCOUNT, invoicesLimit: 3, paymentsLimit: 7 });
    expect(backendCalls()).toEqual([
      `GET /v1/accounts/${ACCOUNT}/pulse?invoicesLimit=3&invoicesOffset=0&paymentsLimit=7&paymentsOffset=0`,
    ]);
  });

  test('refreshPulse: 5 rows when blank, at most 50, refresh=true last', async () => {
    await apex('AccountPulseController.refreshPulse')({ accountId: ACCOUNT, invoicesLimit: null, paymentsLimit: 99 });
    expect(backendCalls()).toEqual([
      `GET /v1/accounts/${ACCOUNT}/pulse?invoicesLimit=5&invoicesOffset=0&paymentsLimit=50&paymentsOffset=0&refresh=true`,
    ]);
  });

  test('below 1 is 5 rows; a 15-character id is sent as 18 characters', async () => {
    await apex('AccountPulseController.getPulse')({ accountId: ACCOUNT.slice(0, 15), invoicesLimit: 0 });
    expect(backendCalls()).toEqual([
      `GET /v1/accounts/${ACCOUNT}/pulse?invoicesLimit=5&invoicesOffset=0&paymentsLimit=5&paymentsOffset=0`,
    ]);
  });

  test('a 404 is an account that is not a customer yet', async () => {
    answers[`/v1/accounts/${ACCOUNT}/pulse`] = { status: 404, body: notFoundBody() };
    const pulse = await apex('AccountPulseController.getPulse')({ accountId: ACCOUNT, invoicesLimit: 3 });
    expect(pulse).toEqual({
      accountId: ACCOUNT,
      linked: false,
      erpCustomerId: null,
      currency: 'USD',
      summary: null,
      otherCurrencies: [],
      invoices: { total: 0, limit: 3, offset: 0, items: [] },
      payments: { total: 0, limit: 5, offset: 0, items: [] },
      asOf: null,
      refresh: null,
    });
  });

  test('not an account id: refused before any callout', async () => {
    expect(await refusal(apex('AccountPulseController.getPulse')({ accountId: OPPORTUNITY }))).toBe(
      'Closeloop needs an account id to show its financial pulse.',
    );
    expect(sent).toEqual([]);
  });
});

describe('OpportunityBillingController', () => {
  function opportunity(fields) {
    const wrapped = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { value: v, displayValue: null }]));
    records[OPPORTUNITY] = { apiName: 'Opportunity', id: OPPORTUNITY, fields: wrapped };
  }

  test('an open deal: the credit check with account, amount with cents and currency', async () => {
    opportunity({ AccountId: ACCOUNT, Amount: '30000', IsClosed: false });
    await apex('OpportunityBillingController.getBilling')({ opportunityId: OPPORTUNITY });
    expect(backendCalls()).toEqual([
      `GET /v1/opportunities/${OPPORTUNITY}/billing?accountId=${ACCOUNT}&amount=30000.00&currency=USD`,
    ]);
  });

  test("the deal's own currency in a multi-currency org", async () => {
    opportunity({ AccountId: ACCOUNT, Amount: '1250.5', IsClosed: false, CurrencyIsoCode: 'EUR' });
    await apex('OpportunityBillingController.getBilling')({ opportunityId: OPPORTUNITY });
    expect(backendCalls()).toEqual([
      `GET /v1/opportunities/${OPPORTUNITY}/billing?accountId=${ACCOUNT}&amount=1250.50&currency=EUR`,
    ]);
  });

  test.each([
    ['closed', { AccountId: ACCOUNT, Amount: '30000.00', IsClosed: true }],
    ['without an account', { AccountId: null, Amount: '30000.00', IsClosed: false }],
    ['without an amount', { AccountId: ACCOUNT, Amount: null, IsClosed: false }],
  ])('a deal %s: no query', async (_what, fields) => {
    opportunity(fields);
    await apex('OpportunityBillingController.getBilling')({ opportunityId: OPPORTUNITY });
    expect(backendCalls()).toEqual([`GET /v1/opportunities/${OPPORTUNITY}/billing`]);
  });

  test('a 404 is a deal the backend never booked', async () => {
    opportunity({ AccountId: ACCOUNT, Amount: '10.00', IsClosed: true });
    answers[`/v1/opportunities/${OPPORTUNITY}/billing`] = { status: 404, body: notFoundBody() };
    expect(await apex('OpportunityBillingController.getBilling')({ opportunityId: OPPORTUNITY })).toEqual({
      opportunityId: OPPORTUNITY,
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
    });
  });

  test('an opportunity the local Salesforce does not have: refused, the backend is not asked', async () => {
    expect(await refusal(apex('OpportunityBillingController.getBilling')({ opportunityId: OPPORTUNITY }))).toBe(
      'You do not have access to this opportunity, or it no longer exists.',
    );
    expect(await refusal(apex('OpportunityBillingController.getBilling')({ opportunityId: ACCOUNT }))).toBe(
      'Closeloop needs an opportunity id to show its billing.',
    );
    expect(backendCalls()).toEqual([]);
  });

  test('retryBooking: POST /book with a JSON body', async () => {
    opportunity({ AccountId: ACCOUNT, Amount: '10.00', IsClosed: true });
    await apex('OpportunityBillingController.retryBooking')({ opportunityId: OPPORTUNITY });
    expect(backendCalls()).toEqual([`POST /v1/opportunities/${OPPORTUNITY}/book`]);
    const post = sent.find((r) => r.method === 'POST');
    expect(post.headers['Content-Type']).toBe('application/json');
    expect(post.body).toBe('{}');
  });
});

describe('ForecastController', () => {
  const getForecast = (fromPeriod, toPeriod, grain, groupBy, ownerId, leadSource, convertCurrency) =>
    apex('ForecastController.getForecast')({
      fromPeriod,
      toPeriod,
      grain,
      groupBy,
      ownerId,
      leadSource,
      convertCurrency,
    });
  const PATH = '/v1/dashboards/forecast-vs-actual';

  test('every parameter, encoded (managerGetsTheForecastWithEveryParameterEncoded)', async () => {
    await getForecast(' 2026-07', '2026-09 ', 'month', 'owner', OWNER_18, 'Web & Social', true);
    expect(backendCalls()).toEqual([
      `GET ${PATH}?from=2026-07&to=2026-09&grain=month&groupBy=owner&ownerId=${OWNER_18}&leadSource=Web+%26+Social&convert=true`,
    ]);
  });

  test('defaults leave the optional parameters out (defaultsLeaveOptionalParametersOut)', async () => {
    await getForecast('2026-Q1', '2026-Q4', 'quarter', null, '', '  ', null);
    expect(backendCalls()).toEqual([`GET ${PATH}?from=2026-Q1&to=2026-Q4&grain=quarter&groupBy=period`]);
  });

  test('month by default; convert only when exactly true', async () => {
    await getForecast('2026-07', '2026-07', '', '', null, null, false);
    await getForecast('2026-07', '2026-07', null, null, null, null, 'true');
    expect(backendCalls()).toEqual([
      `GET ${PATH}?from=2026-07&to=2026-07&grain=month&groupBy=period`,
      `GET ${PATH}?from=2026-07&to=2026-07&grain=month&groupBy=period`,
    ]);
  });

  test('a 15-character owner id is sent in full (fifteenCharacterOwnerIdIsSentInFull)', async () => {
    await getForecast('2026-07', '2026-07', 'month', 'period', OWNER_15, null, false);
    expect(backendCalls()[0].endsWith(`&ownerId=${OWNER_18}`)).toBe(true);
    // The suffix is compared ignoring case; the id sent is the canonical one.
    await getForecast('2026-07', '2026-07', 'month', 'period', `${OWNER_15}iac`, null, false);
    expect(backendCalls()[1].endsWith(`&ownerId=${OWNER_18}`)).toBe(true);
  });

  test('bad parameters are refused before any callout, in the order Apex checks them', async () => {
    const refused = (...args) => refusal(getForecast(...args));
    expect(await refused('2026-07', '2026-09', 'week', 'period', null, null)).toBe(
      'The grain must be month or quarter.',
    );
    expect(await refused('2026-07', '2026-09', 'month', 'stage', null, null)).toBe(
      'Group by must be period, owner or leadSource.',
    );
    expect(await refused('2026-13', '2026-09', 'month', 'period', null, null)).toBe(
      'The start period must be a month such as 2026-07.',
    );
    expect(await refused('2026-07', null, 'month', 'period', null, null)).toBe(
      'The end period must be a month such as 2026-07.',
    );
    expect(await refused('2026-07', '2026-Q3', 'quarter', 'period', null, null)).toBe(
      'The start period must be a quarter such as 2026-Q3.',
    );
    expect(await refused('2026-09', '2026-07', 'month', 'period', null, null)).toBe(
      'The start period (2026-09) comes after the end period (2026-07).',
    );
    expect(await refused('2026-07', '2026-09', 'month', 'period', null, 'x'.repeat(256))).toBe(
      'The lead source can be at most 255 characters.',
    );
    expect(await refused('2026-07', '2026-09', 'month', 'period', null, 'Web\nSocial')).toBe(
      'The lead source must not contain control characters such as line breaks.',
    );
    // Periods before group by; group by before the owner; the owner before the lead source.
    expect(await refused('2026-13', '2026-09', 'month', 'stage', null, null)).toBe(
      'The start period must be a month such as 2026-07.',
    );
    expect(await refused('2026-07', '2026-09', 'month', 'stage', 'nobody', null)).toBe(
      'Group by must be period, owner or leadSource.',
    );
    expect(await refused('2026-07', '2026-09', 'month', 'owner', 'nobody', 'Web\nSocial')).toBe(
      'The owner must be a user id: 15 or 18 characters starting with 005.',
    );
    expect(sent).toEqual([]);
  });

  test('the owner must be a user id (ownerMustBeAUserId)', async () => {
    const expected = 'The owner must be a user id: 15 or 18 characters starting with 005.';
    for (const ownerId of [ACCOUNT, "005' OR Id != null", '005000000000001ZZZ']) {
      expect(await refusal(getForecast('2026-07', '2026-09', 'month', 'owner', ownerId, null))).toBe(expected);
    }
    expect(sent).toEqual([]);
  });

  test("the backend's 400 reaches the component as its own sentence; a 500 does not show internals", async () => {
    answers[PATH] = { status: 400, body: { error: { message: 'to: a range can span at most 36 months' } } };
    expect(await refusal(getForecast('2020-01', '2026-12', 'month', 'period'))).toBe(
      'to: a range can span at most 36 months',
    );
    answers[PATH] = { status: 500, body: { error: { message: 'relation forecast does not exist' } } };
    const message = await refusal(getForecast('2026-07', '2026-09', 'month', 'period'));
    expect(message).toContain('HTTP 500');
    expect(message).not.toContain('relation');
  });
});
