// Every call to the collector's API goes through here: same-origin cookies, the CSRF token on
// state-changing requests, and one error type the pages show in a banner (never an empty table).

/** A failed API call: HTTP status, the server's error text and whether Elasticsearch timed out. */
export class ApiError extends Error {
  constructor(status, message, timedOut = false) {
    super(message);
    this.status = status;
    this.timedOut = timedOut;
  }
}

/** The value of cookie `hepstack_csrf` (set by the login), or ''. */
export function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)hepstack_csrf=([^;]*)/);
  return m ? decodeURIComponent(m[1]) : '';
}

/** Headers for a request with `method`: the CSRF token on anything but GET/HEAD. */
export function headersFor(method, extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  if (method !== 'GET' && method !== 'HEAD') {
    const t = csrfToken();
    if (t) h['X-CSRF-Token'] = t;
  }
  return h;
}

/** Called on any 401: the app shows the login form. Set by app.js. */
let onUnauthorized = () => {};
export function setUnauthorizedHandler(f) { onUnauthorized = f; }

/** Milliseconds after which the browser gives up on a request (the server's own timeout is shorter). */
const CLIENT_TIMEOUT_MS = 60000;

/** Fetches JSON; throws ApiError for any non-2xx answer, a network failure or a client timeout. */
export async function api(path, { method = 'GET', body, headers = {}, signal, quiet401 = false } = {}) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new DOMException('timeout', 'TimeoutError')), CLIENT_TIMEOUT_MS);
  if (signal) signal.addEventListener('abort', () => ctl.abort(signal.reason), { once: true });
  let res;
  try {
    const isJson = body !== undefined && !(body instanceof Blob) && !(body instanceof ArrayBuffer);
    res = await fetch(path, {
      method, credentials: 'same-origin', signal: ctl.signal,
      headers: headersFor(method, isJson ? { 'Content-Type': 'application/json', ...headers } : headers),
      body: isJson ? JSON.stringify(body) : body,
    });
  } catch (e) {
    if (signal && signal.aborted) throw e;
    const timedOut = e && e.name === 'TimeoutError' || (ctl.signal.reason && ctl.signal.reason.name === 'TimeoutError');
    throw new ApiError(0, timedOut ? 'The request timed out' : 'The collector cannot be reached: ' + e.message, timedOut);
  } finally {
    clearTimeout(timer);
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (res.status === 401 && !quiet401) onUnauthorized();
  if (!res.ok) {
    const msg = data && (data.error || data.message) || `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, String(msg), Boolean(data && data.timed_out) || res.status === 504);
  }
  if (data === null && text) throw new ApiError(res.status, 'The answer was not JSON');
  return data;
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/** The path segment for a Call-ID (every reserved character escaped, '/' too). */
export function callPath(callId) {
  return encodeURIComponent(callId);
}
