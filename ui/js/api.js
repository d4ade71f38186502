// The JSON API client: the UI uses only the public API (docs/api.md). Adds the CSRF header on
// writes, a deadline on every call, and turns every failure into an ApiError whose reason and
// code the UI words from its own catalog (never the server's English `message`).
import { t, tn, has } from './i18n.js';

let csrf = null;
let onUnauthenticated = null;

export function setCsrf(token) { csrf = token; }
export function onSessionLost(fn) { onUnauthenticated = fn; }

// status (0: no answer), code (docs/api.md "Errors"), reason (the specific case, else the code),
// field (the request field at fault, '' when none), params ({retry_after_seconds} …); message is
// the server's English text, for the console only.
export class ApiError extends Error {
  constructor(status, code, message, { reason, field, params } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.reason = reason || code;
    this.field = field || '';
    this.params = params || {};
  }
}

// An ApiError from an answer's status, JSON body (or null) and Retry-After header.
function errorOf(status, data, statusText, retryAfter) {
  const e = (data && data.error) || {};
  const params = { ...(e.params || {}) };
  const wait = Number.parseInt(retryAfter || '', 10);
  if (!(params.retry_after_seconds > 0) && wait > 0) params.retry_after_seconds = wait;
  return new ApiError(status, e.code || `http_${status}`, e.message || statusText,
    { reason: e.reason, field: e.field, params });
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
    const err = errorOf(res.status, data, res.statusText, res.headers.get('Retry-After'));
    if (res.status === 401 && onUnauthenticated && !path.endsWith('/session')) onUnauthenticated(err);
    throw err;
  }
  return data;
}

// Uploads `files` to a ticket as multipart/form-data with progress (XMLHttpRequest: fetch has no
// upload progress). onProgress(loaded, total). Resolves with the API's answer.
export function upload(number, files, onProgress) {
  return postFiles(`/api/v1/tickets/${encodeURIComponent(number)}/attachments`, files, onProgress);
}

// Uploads `files` into chat `id` (the agent holding it); resolves with {"files":[…]}, whose ids a
// message then sends.
export function uploadChatFiles(id, files, onProgress = () => {}) {
  return postFiles(`/api/v1/chats/${encodeURIComponent(id)}/files`, files, onProgress);
}

function postFiles(path, files, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); });
    xhr.addEventListener('load', () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { data = null; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(errorOf(xhr.status, data, xhr.statusText, xhr.getResponseHeader('Retry-After')));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'upload failed')));
    xhr.addEventListener('timeout', () => reject(new ApiError(0, 'timeout', 'upload timed out')));
    xhr.send(form);
  });
}

// "15 minutos", "1 minuto", "30 segundos": how long to wait (seconds, rounded up to minutes
// from a minute on); the catalog's "un momento" when the server did not say.
export function waitText(seconds) {
  const s = Math.ceil(Number(seconds) || 0);
  if (s <= 0) return t('time.wait_unknown');
  if (s < 60) return tn('time.wait_seconds', s);
  if (s % 3600 === 0) return tn('time.wait_hours', s / 3600);
  return tn('time.wait_minutes', Math.ceil(s / 60));
}

// The catalog key for an error: its reason, else its code, else its HTTP status; '' when the
// catalog has none of them.
export function errorKey(err) {
  if (!(err instanceof ApiError)) return '';
  for (const k of [`error.${err.reason}`, `error.${err.code}`, `error.http_${err.status}`]) if (has(k)) return k;
  if (err.status >= 502 && err.status <= 504) return 'error.unavailable';
  return '';
}

// The words for an error, from the catalog alone: the sentence for its reason (or code, or
// HTTP status) with its parameters filled ({wait}: the real remaining time).
export function errorText(err) {
  const key = errorKey(err);
  if (!key) return t('error.unexpected');
  return t(key, { wait: waitText(err.params.retry_after_seconds) });
}

// The field at fault in the reader's words ("Campo: Identificador (slug)."), or '' when the
// error names none the catalog knows. Never the server's English message.
export function errorDetail(err) {
  if (!(err instanceof ApiError) || !err.field) return '';
  const base = err.field.replace(/\[\d+\]/g, '').split('.')[0];
  const key = has(`field.${err.field}`) ? `field.${err.field}` : `field.${base}`;
  return has(key) ? t('error.field', { field: t(key) }) : '';
}
