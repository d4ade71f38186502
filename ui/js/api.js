// The JSON API client: the UI uses only the public API (docs/api.md). Adds the CSRF header on
// writes, a deadline on every call, and turns every failure into an ApiError whose code the UI
// words from its catalog.
import { t, has } from './i18n.js';

let csrf = null;
let onUnauthenticated = null;

export function setCsrf(token) { csrf = token; }
export function onSessionLost(fn) { onUnauthenticated = fn; }

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const DEFAULT_TIMEOUT_MS = 30000;

export async function api(method, path, body, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeout);
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(path, {
      method, headers, credentials: 'same-origin', signal: ctl.signal,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, ctl.signal.aborted ? 'timeout' : 'network', String(e && e.message || e));
  } finally {
    clearTimeout(timer);
  }
  return decode(res, path);
}

async function decode(res, path) {
  if (res.status === 204) return null;
  let data = null;
  try { data = await res.json(); } catch { data = null; }
  if (!res.ok) {
    const err = new ApiError(res.status, (data && data.error && data.error.code) || `http_${res.status}`,
      (data && data.error && data.error.message) || res.statusText);
    err.field = (data && data.error && data.error.field) || '';  // the request field at fault
    if (res.status === 401 && onUnauthenticated && !path.endsWith('/session')) onUnauthenticated(err);
    throw err;
  }
  return data;
}

// Uploads `files` to a ticket as multipart/form-data with progress (XMLHttpRequest: fetch has no
// upload progress). onProgress(loaded, total). Resolves with the API's answer.
export function upload(number, files, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/tickets/${encodeURIComponent(number)}/attachments`);
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); });
    xhr.addEventListener('load', () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { data = null; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(xhr.status, (data && data.error && data.error.code) || `http_${xhr.status}`,
        (data && data.error && data.error.message) || xhr.statusText));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'upload failed')));
    xhr.addEventListener('timeout', () => reject(new ApiError(0, 'timeout', 'upload timed out')));
    xhr.send(form);
  });
}

// The words for an error: the catalog's sentence for its code (or HTTP status), then the
// server's detail when it adds something (it names the field at fault).
export function errorText(err) {
  if (!(err instanceof ApiError)) return t('error.unexpected');
  const key = `error.${err.code}`;
  const main = has(key) ? t(key) : has(`error.http_${err.status}`) ? t(`error.http_${err.status}`) : t('error.unexpected');
  return main;
}

export function errorDetail(err) {
  if (!(err instanceof ApiError) || !err.message || err.status === 0) return '';
  return err.message;
}
