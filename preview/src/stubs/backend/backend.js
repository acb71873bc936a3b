/**
 * The preview's one HTTP client: every call goes to the backend that served the page, with the API
 * token the demo printed. The token arrives in the URL fragment (`#token=...`), which browsers never
 * send to a server. On load, adoptTokenFromUrl moves it into the tab's sessionStorage and takes it
 * out of the address bar (and so out of the history and of any copied link); from there it only
 * goes into the Authorization header. A reload in the same tab keeps working.
 */

const TOKEN_KEY = 'closeloop.preview.token';

/** What a page opened without a token says, before asking the backend anything. */
export const NO_TOKEN_MESSAGE =
  'This page has no API token. Open the preview with the URL the demo printed (`npm run demo`), which ends in #token=...';

/**
 * Moves `token` from the URL fragment into sessionStorage and removes it from the URL with
 * history.replaceState, keeping the rest of the fragment (`record=...`). Called once on load and on
 * every hashchange, so pasting a URL with a new token takes effect.
 */
export function adoptTokenFromUrl() {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const token = fragment.get('token');
  if (token === null) return;
  if (token !== '') window.sessionStorage.setItem(TOKEN_KEY, token);
  fragment.delete('token');
  const rest = fragment.toString();
  const url = `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`;
  window.history.replaceState(window.history.state, '', url);
}

/** The token this tab was opened with ('' when none). */
export function apiToken() {
  return window.sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** Where the backend is: the page is served at <backend>/preview/. */
function backendUrl(pathAndQuery) {
  return new URL(pathAndQuery, window.location.origin).toString();
}

/**
 * A failure shaped as the platform hands an AuraHandledException to a component
 * (`{ body: { message }, status, statusText }`), so `c/ldsUtils` reduceErrors shows the message.
 */
export class ApexError extends Error {
  constructor(message, status, statusText) {
    super(message);
    this.body = { message, exceptionType: 'System.AuraHandledException', isUserDefinedException: false };
    this.status = status;
    this.statusText = statusText;
  }
}

/** `{"error": {"message"}}` when the backend sent one. */
async function backendMessage(response) {
  try {
    const body = await response.json();
    return typeof body?.error?.message === 'string' ? body.error.message : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sends one request and answers the parsed JSON; throws an ApexError otherwise, worded as
 * CloseloopApi.readableMessage words it for every path, the preview's own API (/preview/api)
 * included: a 401/403 or a 5xx gets a fixed sentence in place of whatever the backend said, any
 * other status passes the backend's message on (at most 500 characters). Without a token nothing
 * is sent: the answer would only be a 401.
 */
export async function request(method, pathAndQuery, body) {
  const token = apiToken();
  if (!token) throw new ApexError(NO_TOKEN_MESSAGE, 401, 'Unauthorized');
  const headers = { Accept: 'application/json', Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(backendUrl(pathAndQuery), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApexError('Closeloop could not reach its server. Try again in a minute.', 500, 'Unreachable');
  }
  if (response.ok) return response.status === 204 ? {} : response.json();
  throw new ApexError(
    readableMessage(response.status, await backendMessage(response)),
    response.status,
    response.statusText,
  );
}

/** CloseloopApi.readableMessage, with the preview's token in place of the named credential. */
function readableMessage(status, message) {
  if (status === 401 || status === 403) {
    return `The backend did not accept this page's API token (HTTP ${status}). Open the preview with the URL the demo printed, which ends in #token=...`;
  }
  if (status >= 500) return `Closeloop's server had a problem (HTTP ${status}). Try again in a minute.`;
  return message ? message.slice(0, 500) : `Closeloop's server refused the request (HTTP ${status}).`;
}

/** The apex-style 404 that the controllers turn into an empty answer. */
export function isNotFound(error) {
  return error instanceof ApexError && error.status === 404;
}

/**
 * CloseloopApi.encode: EncodingUtil.urlEncode(value, 'UTF-8'), i.e. Java's URLEncoder — letters,
 * digits and `.-*_` as they are, a space as `+`, every other byte as `%XX` (encodeURIComponent
 * leaves `!'()~` as they are and writes a space as `%20`).
 */
export function encode(value) {
  return encodeURIComponent(String(value))
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** `?name=value&...` in the given order, leaving out null and undefined (CloseloopApi.QueryParams). */
export function query(params) {
  const pairs = Object.entries(params)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([name, value]) => `${encode(name)}=${encode(value)}`);
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

/** The Apex controllers' userError: a message for the person, thrown before any callout. */
export function userError(message) {
  return new ApexError(message, 400, 'Bad Request');
}
