// The HTTP API as the console uses it: the token (if any) travels in the Authorization header, never
// in a URL; it is kept in sessionStorage, so it lives as long as the tab. Errors are ApiError with
// the problem document's code and detail, in words; a request that takes too long is aborted.

const TOKEN = 'rma-nexus.token';
const TIMEOUT_MS = 15000;

export class ApiError extends Error {
  constructor(status, code, detail, body = null) {
    super(detail);
    this.status = status;
    this.code = code;
    this.body = body; // the answer's JSON (a 503 /health still carries its document)
  }

  /** One line for the operator: the detail, then the code and status. */
  toString() {
    return this.status ? `${this.message} (${this.code}, HTTP ${this.status})` : `${this.message} (${this.code})`;
  }
}

export const session = {
  token() { return sessionStorage.getItem(TOKEN); },
  login(token) { sessionStorage.setItem(TOKEN, token); },
  logout() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem('rma-nexus.sql'); // the Query page's last SQL is the user's, not the tab's
  },
};

/**
 * Calls the API. `body` is sent as JSON (or as text when it is a string and `type` says so).
 * @returns the parsed JSON answer (null for 204)
 * @throws ApiError for every answer that is not 2xx, a timeout, or a network failure
 */
export async function api(method, path, body, {type = 'application/json', timeout = TIMEOUT_MS, signal} = {}) {
  const headers = {Accept: 'application/json'};
  const token = session.token();
  if (token && !/^[\x21-\x7e]+$/.test(token)) {
    // a header cannot carry it: fetch would fail before sending, which reads like a node that is down
    throw new ApiError(0, 'INVALID_TOKEN', 'the stored token has characters an HTTP header cannot carry');
  }
  if (token) headers.Authorization = 'Bearer ' + token;
  const init = {method, headers, cache: 'no-store', credentials: 'omit'};
  if (body !== undefined) {
    headers['Content-Type'] = type;
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const timer = new AbortController();
  const abort = setTimeout(() => timer.abort(), timeout);
  if (signal) signal.addEventListener('abort', () => timer.abort(), {once: true});
  init.signal = timer.signal;
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (signal && signal.aborted) throw e;
    throw new ApiError(0, timer.signal.aborted ? 'TIMEOUT' : 'NETWORK',
      timer.signal.aborted ? `the node did not answer within ${timeout / 1000} s` : 'the node cannot be reached');
  } finally {
    clearTimeout(abort);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (!response.ok) {
    const code = json && json.code ? json.code : 'HTTP_' + response.status;
    const detail = json && (json.detail || json.title) ? (json.detail || json.title) : response.statusText || 'the request failed';
    const error = new ApiError(response.status, code, detail, json);
    if (response.status === 401) window.dispatchEvent(new CustomEvent('nexus:unauthenticated', {detail: error}));
    throw error;
  }
  return json;
}

/** The path of a tag in a URL: each segment percent-encoded, the slashes kept. */
export function tagUrl(path) {
  return '/api/v1/tags/' + path.split('/').map(encodeURIComponent).join('/');
}
