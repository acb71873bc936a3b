/**
 * The preview's one HTTP client: every call goes to the backend that served the page, with the API
 * token the demo printed. The token travels in the URL fragment (`#token=...`), which browsers never
 * send to a server, and from there only into the Authorization header.
 */

/** The token from `#token=...` (read on every call, so pasting a new URL fragment takes effect). */
export function apiToken() {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
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
 * Sends one request and answers the parsed JSON; throws an ApexError otherwise. `apexStyle` errors
 * say what CloseloopApi.cls would say for that status; the preview's own API passes its message on.
 */
export async function request(method, pathAndQuery, body) {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${apiToken()}` };
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

/** `?name=value&...` in the given order, leaving out null and undefined (CloseloopApi.QueryParams). */
export function query(params) {
  const pairs = Object.entries(params)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

/** The Apex controllers' userError: a message for the person, thrown before any callout. */
export function userError(message) {
  return new ApexError(message, 400, 'Bad Request');
}
