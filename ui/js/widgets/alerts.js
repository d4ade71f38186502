// Staff alerts in the console (issue 12, part 2): the server raises an alert as a row for the user
// (GET /api/v1/me/alerts) and nudges their open console through the live stream (what: 'alert',
// sent to that user only). On each nudge, and once when the console opens, this widget reads the
// alerts it has not shown yet (the last id shown is kept per user in localStorage, so a console
// that was closed shows what it missed), shows each as a browser notification when the user
// allowed them (Notification API; asked on a click, never on load), and in a list on the page.
import { h } from '../dom.js';
import { t, formatTime } from '../i18n.js';
import { api } from '../api.js';
import { state, toast } from '../ui.js';
import { onTicketChange } from '../live.js';

const seenKey = () => `soporte.alerts.seen.${state.me ? state.me.user.id : 0}`;
let stop = null;
let reading = null;
const shown = [];            // alerts shown in this page load, newest last
const listeners = new Set();  // pages that show the list

export function alertText(a) {
  return t(`alerts.text.${a.kind}`, { number: a.ticket.number, subject: a.ticket.subject,
    due: formatTime(a.due) });
}

export function notificationsSupported() { return typeof Notification !== 'undefined'; }
export function notificationsAllowed() { return notificationsSupported() && Notification.permission === 'granted'; }

// Asks the browser for permission (call from a click). Resolves to the permission.
export async function askPermission() {
  if (!notificationsSupported()) return 'denied';
  try { return await Notification.requestPermission(); } catch { return Notification.permission; }
}

function notify(a) {
  if (!notificationsAllowed()) return;
  try {
    const n = new Notification(t(`alerts.title.${a.kind}`, { number: a.ticket.number }), {
      body: alertText(a), tag: `soporte-alert-${a.id}`, lang: document.documentElement.lang || undefined });
    n.onclick = () => { window.focus(); location.hash = `#/t/${a.ticket.number}`; n.close(); };
  } catch { /* a browser that refuses to build one outside a service worker: the list still shows it */ }
}

async function readNew() {
  if (reading) return reading;
  reading = (async () => {
    const after = Number(localStorage.getItem(seenKey()) || 0);
    const r = await api('GET', `/api/v1/me/alerts?after=${after}&limit=50`);
    for (const a of r.alerts) {
      shown.push(a);
      notify(a);
    }
    if (r.alerts.length) {
      localStorage.setItem(seenKey(), String(r.alerts[r.alerts.length - 1].id));
      for (const fn of listeners) fn(shown.slice());
    }
  })().catch(() => { /* offline or logged out: the next nudge or page load reads again */ })
    .finally(() => { reading = null; });
  return reading;
}

// Starts listening for the signed-in staff user's alerts (idempotent).
export function startAlerts() {
  if (stop || !state.me || state.me.user.role === 'customer') return;
  stop = onTicketChange((ev) => {
    // The nudge is sent inside the transaction that raised the alert: read a moment later.
    if (ev && ev.what === 'alert') setTimeout(readNew, 400);
    if (ev && ev.what === 'chat_waiting') chatWaiting(ev.number);
  });
  readNew();
}

// A chat nobody took (the wait alert, sent once per chat to the agents on shift): a banner on
// whatever page is open, with a link to the Chats page, and a browser notification when allowed.
function chatWaiting(id) {
  let bar = document.getElementById('chat-waiting');
  if (!bar) {
    bar = h('div', { id: 'chat-waiting', class: 'chat-waiting-banner', role: 'alert' });
    document.body.append(bar);
  }
  const close = h('button', { type: 'button', class: 'link', 'aria-label': t('chats.waiting_alert.dismiss') }, '×');
  close.addEventListener('click', () => bar.remove());
  bar.replaceChildren(h('span', {}, t('chats.waiting_alert.text')), ' ',
    h('a', { href: '#/chats', 'data-chat': String(id) }, t('chats.waiting_alert.link')), ' ', close);
  if (notificationsAllowed()) {
    try {
      const n = new Notification(t('chats.waiting_alert.text'), { tag: `soporte-chat-${id}` });
      n.onclick = () => { window.focus(); location.hash = '#/chats'; n.close(); };
    } catch { /* the banner still shows it */ }
  }
}

export function stopAlerts() {
  const bar = document.getElementById('chat-waiting');
  if (bar) bar.remove();
  if (stop) stop();
  stop = null;
  shown.length = 0;
}

// A panel for the console: the permission button and the alerts shown in this session.
export function alertsPanel() {
  const list = h('ul', { class: 'alerts-list', 'aria-live': 'polite' });
  const render = (items) => list.replaceChildren(...items.slice(-5).reverse().map((a) =>
    h('li', { class: `alert-item alert-${a.kind}`, 'data-alert': a.id },
      h('a', { href: `#/t/${a.ticket.number}` }, alertText(a)))));
  render(shown);
  listeners.add(render);
  const perm = h('span', { class: 'meta' });
  const button = h('button', { type: 'button', class: 'secondary', id: 'enable-notifications' }, t('alerts.enable'));
  const refresh = () => {
    if (!notificationsSupported()) { button.hidden = true; perm.textContent = t('alerts.unsupported'); return; }
    button.hidden = Notification.permission === 'granted';
    perm.textContent = t(`alerts.permission.${Notification.permission}`);
  };
  button.addEventListener('click', async () => {
    const p = await askPermission();
    refresh();
    if (p === 'granted') toast(t('alerts.enabled'));
  });
  refresh();
  const node = h('section', { class: 'card alerts-panel', 'aria-labelledby': 'alerts-h' },
    h('h2', { id: 'alerts-h' }, t('alerts.panel')), h('p', {}, perm, ' ', button,
      ' ', h('a', { href: '#/alerts' }, t('alerts.settings_link'))), list);
  return { node, leave: () => listeners.delete(render) };
}
