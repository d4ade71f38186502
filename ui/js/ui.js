// Shared pieces of the UI: the error box, the toast, loading states, badges, and the app state
// (who is logged in) that every page reads.
import { h, clear } from './dom.js';
import { t } from './i18n.js';
import { errorText, errorDetail } from './api.js';

export const state = { me: null, org: null };

export function isStaff() { return state.me && state.me.user.role !== 'customer'; }
export function isManager() { return state.me && ['supervisor', 'admin'].includes(state.me.user.role); }

// A visible, announced error: the catalog sentence + the server's detail.
export function errorBox(err) {
  const detail = errorDetail(err);
  return h('div', { class: 'error', role: 'alert' },
    h('strong', {}, errorText(err)), detail ? h('span', { class: 'detail' }, ` ${detail}`) : null);
}

export function showError(container, err) {
  clear(container);
  container.append(errorBox(err));
  return container;
}

export function loading() {
  return h('p', { class: 'loading', 'aria-busy': 'true' }, t('common.loading'));
}

let toastTimer = null;
export function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), 4000);
}

export function statusBadge(status) {
  return h('span', { class: `badge status-${status}` }, t(`status.${status}`));
}
export function criticalityBadge(c) {
  return h('span', { class: `badge crit-${c}` }, t(`criticality.${c}`));
}

// The due state of a ticket: 'breached', 'soon' (≥ 75 % of the target used), 'ok', or 'answered'.
export function dueState(ticket, now = Date.now()) {
  if (ticket.first_response_at) return ticket.breached ? 'breached' : 'answered';
  if (ticket.breached || Date.parse(ticket.response_due) <= now) return 'breached';
  if (ticket.response_used >= 0.75) return 'soon';
  return 'ok';
}

export function pageTitle(text) {
  document.title = `${text} · ${t('app.name')}`;
  return h('h1', {}, text);
}

// Runs `fn` (an async action) with the button disabled and shows its error in `errBox`.
export async function busy(button, errBox, fn) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  if (errBox) clear(errBox);
  try {
    return await fn();
  } catch (e) {
    if (errBox) showError(errBox, e);
    else toast(errorText(e));
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
