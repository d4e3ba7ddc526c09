// Calls the admin API with the signed-in key (kept in sessionStorage: this tab only) as a Bearer token.
const STORE = 'sluice.key';

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export function storedKey() {
  return sessionStorage.getItem(STORE);
}

export function storeKey(key) {
  if (key) sessionStorage.setItem(STORE, key);
  else sessionStorage.removeItem(STORE);
}

/** GET (or another method with a JSON body); answers the parsed JSON or throws an ApiError. */
export async function api(path, { method = 'GET', body, key = storedKey() } = {}) {
  const headers = { authorization: 'Bearer ' + key, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store' });
  let json = null;
  try { json = await res.json(); } catch { /* an empty or non-JSON answer */ }
  if (!res.ok) {
    const message = json && json.error && json.error.message ? json.error.message : res.status + ' ' + res.statusText;
    throw new ApiError(res.status, message, json);
  }
  return json;
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? '?' + s : '';
}
