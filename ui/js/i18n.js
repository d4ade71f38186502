// The UI's words: every text comes from ui/i18n/<lang>.json. Spanish by default; English when the
// user chooses it (kept in localStorage) or the browser prefers English.
const SUPPORTED = ['es', 'en'];
let lang = 'es';
let catalog = {};

export function pickLanguage() {
  const saved = localStorage.getItem('soporte.lang');
  if (SUPPORTED.includes(saved)) return saved;
  for (const l of navigator.languages || [navigator.language || 'es']) {
    const base = String(l).toLowerCase().slice(0, 2);
    if (base === 'es') return 'es';
    if (base === 'en') return 'en';
  }
  return 'es';
}

export async function loadLanguage(next, { remember = false } = {}) {
  const res = await fetch(`/ui/i18n/${next}.json`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`catalog ${next}: ${res.status}`);
  catalog = await res.json();
  lang = next;
  document.documentElement.lang = next;
  if (remember) localStorage.setItem('soporte.lang', next);
}

export function currentLanguage() { return lang; }
export function languages() { return SUPPORTED; }

// t('ticket.due', {date: '…'}): the catalog text with {name} placeholders filled.
export function t(key, vars = {}) {
  let text = catalog[key];
  if (text === undefined) {
    console.warn(`i18n: missing key ${key} (${lang})`);
    text = key;
  }
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

// A text that counts `n` things: the catalog's `<key>.one` when n is 1 (and the catalog has one),
// otherwise `<key>` — "Falta 1 elemento recomendado" / "Faltan 3 elementos recomendados".
export function tn(key, n, vars = {}) {
  const one = `${key}.one`;
  return t(n === 1 && one in catalog ? one : key, { ...vars, n });
}

export function has(key) { return key in catalog; }

function locale() { return lang === 'es' ? 'es-CO' : 'en-US'; }

// A date-time in `zone` (an IANA zone, e.g. the contract's): "7 dic 2026, 14:00" in Spanish (24-hour
// clock), "Dec 7, 2026, 2:00 PM" in English. Never ends with a period, since catalog sentences put
// one after it (es-CO's 12-hour "p. m." made "p. m.." before).
export function formatTime(iso, zone) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const opts = lang === 'es'
    ? { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
    : { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit', hour12: true };
  let text;
  try {
    text = new Intl.DateTimeFormat(locale(), { ...opts, timeZone: zone || undefined }).format(d);
  } catch {
    text = new Intl.DateTimeFormat(locale(), opts).format(d);
  }
  return text.replace(/\.+$/, '');
}

// "2 h 05 min" for a span in milliseconds (absolute value).
export function formatSpan(ms) {
  const total = Math.floor(Math.abs(ms) / 60000);
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  if (days > 0) return t('time.days_hours', { d: days, h: hours });
  if (hours > 0) return t('time.hours_minutes', { h: hours, m: String(minutes).padStart(2, '0') });
  return t('time.minutes', { m: minutes });
}

export function formatMinutes(min) { return formatSpan(min * 60000); }
