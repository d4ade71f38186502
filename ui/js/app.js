// The single-page app: hash routes, the header, the session. Pages live in pages/ (one module
// each, never importing one another), the widgets they share in widgets/; only this module
// imports pages, and nothing imports it.
import { h, clear } from './dom.js';
import { t, pickLanguage, loadLanguage, currentLanguage, languages } from './i18n.js';
import { api, setCsrf, onSessionLost } from './api.js';
import { state, isStaff, isManager, toast, loading, errorBox, pageTitle } from './ui.js';
import { loginPage, forgotPage, resetPage } from './pages/auth.js';
import { portalPage, newTicketPage } from './pages/portal.js';
import { ticketPage } from './pages/ticket.js';
import { queuePage, phoneCallPage } from './pages/console.js';
import { adminPage } from './pages/admin.js';
import { calendarsPage } from './pages/calendars.js';
import { auditPage } from './pages/audit.js';
import { webhooksPage } from './pages/webhooks.js';
import { reportsPage } from './pages/reports.js';
import { inboxPage } from './pages/inbox.js';
import { profilePage } from './pages/profile.js';
import { onCallPage, ackPage } from './pages/oncall.js';
import { portalUsersPage } from './pages/users.js';
import { alertsPage } from './pages/alerts.js';
import { chatsPage } from './pages/chats.js';
import { orgsPage } from './pages/orgs.js';
import { stopLive } from './live.js';
import { startAlerts, stopAlerts } from './widgets/alerts.js';

const main = () => document.getElementById('main');
let leaving = null;  // cleanup of the current page (timers, live streams)
let routeSeq = 0;    // a slow page that finishes after the user moved on is dropped

export function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function homeHash() { return isStaff() ? '#/queue' : '#/tickets'; }

async function loadSession() {
  try {
    const me = await api('GET', '/api/v1/me');
    state.me = me;
    state.org = me.org || null;
    if (me.csrf_token) setCsrf(me.csrf_token);
  } catch (e) {
    state.me = null;
    if (e.status !== 401) throw e;
  }
}

// Where the user was when the session ended: logging in again returns there.
let returnTo = null;

export async function afterLogin(login) {
  setCsrf(login.csrf_token);
  await loadSession();
  renderHeader();
  startAlerts();
  const back = returnTo;
  returnTo = null;
  go(back || homeHash());
}

async function logout() {
  try { await api('DELETE', '/api/v1/session'); } catch { /* the session may be gone already */ }
  state.me = null;
  setCsrf(null);
  stopAlerts();
  stopLive();
  renderHeader();
  go('#/login');
}

function renderHeader() {
  const top = document.getElementById('top');
  clear(top);
  document.getElementById('skip-link').textContent = t('a11y.skip');
  const langSelect = h('select', { id: 'lang', 'aria-label': t('nav.language'),
    onchange: async (e) => { await loadLanguage(e.target.value, { remember: true }); renderHeader(); route(); } },
  languages().map((l) => h('option', { value: l, selected: l === currentLanguage() }, t(`lang.${l}`))));
  const nav = [];
  if (state.me) {
    if (isStaff()) {
      nav.push(h('a', { href: '#/queue' }, t('nav.queue')));
      nav.push(h('a', { href: '#/call' }, t('nav.phone_call')));
      nav.push(h('a', { href: '#/chats' }, t('chats.nav')));
      nav.push(h('a', { href: '#/orgs' }, t('orgs.nav')));
      nav.push(h('a', { href: '#/inbox' }, t('inbox.nav')));
      nav.push(h('a', { href: '#/oncall' }, t('nav.oncall')));
      nav.push(h('a', { href: '#/alerts' }, t('alerts.nav')));
      nav.push(h('a', { href: '#/reports' }, t('nav.reports')));
      if (isManager()) nav.push(h('a', { href: '#/admin' }, t('nav.admin')));
    } else {
      nav.push(h('a', { href: '#/tickets' }, t('nav.my_tickets')));
      nav.push(h('a', { href: '#/new', class: 'nav-new' }, t('nav.new_ticket')));
      if (state.org) nav.push(h('a', { href: '#/profile' }, t('profile.nav')));
      if (state.org) nav.push(h('a', { href: '#/reports' }, t('nav.reports')));
      if (state.org && state.me.user.org_admin) nav.push(h('a', { href: '#/users' }, t('users.nav')));
    }
  }
  // On a phone the links, the user and the language fold behind one menu button (issue 19):
  // the header stays one line high; the button says whether the menu is open (aria-expanded).
  const menu = h('div', { class: 'menu', id: 'top-menu' },
    h('nav', { 'aria-label': t('nav.main') }, nav),
    h('div', { class: 'who' },
      state.me ? h('span', { class: 'user' }, state.me.user.name,
        state.org ? h('span', { class: 'org' }, ` · ${state.org.name}`) : null) : null,
      langSelect,
      state.me ? h('button', { type: 'button', class: 'link', onclick: logout }, t('nav.logout')) : null));
  const toggle = h('button', { type: 'button', class: 'menu-toggle', id: 'menu-toggle', 'aria-controls': 'top-menu',
    'aria-expanded': 'false' }, t('nav.menu'));
  toggle.onclick = () => setMenuOpen(toggle.getAttribute('aria-expanded') !== 'true');
  top.classList.remove('open');
  top.append(h('a', { class: 'brand', href: state.me ? homeHash() : '#/login' }, t('app.name')), toggle, menu);
}

// Opens or closes the phone menu (a no-op look on wide screens, where the menu is always shown).
function setMenuOpen(open) {
  const top = document.getElementById('top');
  const toggle = document.getElementById('menu-toggle');
  if (!toggle) return;
  top.classList.toggle('open', open);
  toggle.setAttribute('aria-expanded', String(open));
}

async function route() {
  setMenuOpen(false);
  if (leaving) { try { leaving(); } catch { /* ignore */ } leaving = null; }
  const seq = ++routeSeq;
  const hash = location.hash || '';
  const [path, query] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const params = new URLSearchParams(query || '');
  const el = main();
  clear(el);
  el.append(loading());
  const publicPages = { login: loginPage, forgot: forgotPage, reset: resetPage, ack: ackPage };
  try {
    if (!state.me && !publicPages[parts[0]]) {
      if (parts.length) returnTo = hash;  // a deep link (e.g. from a mail): back there after logging in
      go('#/login');
      return;
    }
    let page;
    switch (parts[0]) {
      case 'login': page = state.me ? null : loginPage(params, afterLogin); break;
      case 'forgot': page = forgotPage(); break;
      case 'reset': page = resetPage(params); break;
      case 'ack': page = ackPage(params); break;
      case 'oncall': page = isStaff() ? onCallPage() : null; break;
      case 'tickets': page = isStaff() ? queuePage(params) : portalPage(params); break;
      case 'queue': page = isStaff() ? queuePage(params) : portalPage(params); break;
      case 'new': page = newTicketPage(); break;
      case 'call': page = isStaff() ? phoneCallPage() : null; break;
      case 'alerts': page = isStaff() ? alertsPage() : null; break;
      case 'chats': page = isStaff() ? chatsPage(parts) : null; break;
      case 'orgs': page = isStaff() ? orgsPage(params) : null; break;
      case 't': page = ticketPage(parts[1]); break;
      case 'inbox': page = isStaff() ? inboxPage(parts.slice(1), params) : null; break;
      case 'profile': page = profilePage(isStaff() ? parts[1] : null); break;
      case 'admin': page = !isManager() ? null
        : parts[1] === 'calendars' ? calendarsPage(parts.slice(2))
          : parts[1] === 'audit' ? auditPage(params)
            : parts[1] === 'webhooks' ? (state.me.user.role === 'admin' ? webhooksPage() : null)
              : adminPage(parts.slice(1)); break;
      case 'reports': page = reportsPage(params); break;
      case 'users': page = !isStaff() && state.me.user.org_admin ? portalUsersPage() : null; break;
      default: page = null;
    }
    if (!page) { go(homeHash()); return; }
    const result = await page;
    if (seq !== routeSeq) { if (result.leave) result.leave(); return; }
    clear(el);
    el.append(result.node);
    leaving = result.leave || null;
    const h1 = el.querySelector('h1');
    if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus({ preventScroll: true }); }
  } catch (e) {
    if (seq !== routeSeq) return;
    clear(el);
    el.append(pageTitle(t('page.error_title')), errorBox(e));
  }
}

onSessionLost(() => {
  if (!state.me) return;
  const here = location.hash || '';
  if (here && !/^#\/(login|forgot|reset|ack)/.test(here)) returnTo = here;
  state.me = null;
  stopAlerts();
  stopLive();
  renderHeader();
  toast(t('auth.session_expired'));
  go('#/login?expired=1');
});

async function start() {
  await loadLanguage(pickLanguage());
  try {
    await loadSession();
  } catch (e) {
    clear(main());
    main().append(errorBox(e));
  }
  renderHeader();
  startAlerts();
  window.addEventListener('hashchange', route);
  route();
}

start();
