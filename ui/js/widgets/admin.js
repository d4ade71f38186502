// Administration widgets shared by the admin pages (pages/admin.js, pages/calendars.js): the
// section tabs, and the calendar select of one contract on an organisation's page.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { busy, toast, state } from '../ui.js';
import { outboxNotice } from './outbox.js';

// The admin sections' navigation with `active` ('orgs', 'users', 'calendars', 'settings', 'audit',
// 'webhooks') marked; Webhooks only for admins (vendor-wide integrations). Below it, the warning
// when outgoing mail cannot be delivered.
export function adminTabs(active) {
  const items = [['orgs', '#/admin', 'admin.orgs'], ['users', '#/admin/users', 'admin.users'],
    ['calendars', '#/admin/calendars', 'calendar.title'], ['settings', '#/admin/settings', 'admin.settings'],
    ['audit', '#/admin/audit', 'audit.title']];
  if (state.me && state.me.user.role === 'admin') items.push(['webhooks', '#/admin/webhooks', 'webhooks.title']);
  return h('div', { class: 'admin-head' }, h('nav', { class: 'tabs', 'aria-label': t('admin.sections') },
    items.map(([k, href, label]) => h('a', { href, 'aria-current': k === active ? 'page' : null }, t(label)))),
  outboxNotice());
}

// The calendar of one contract on an organisation's page: a select for 8x5 contracts (the
// built-in calendar or a stored one), a plain note for 24x7 contracts (always open).
export function contractCalendarCell(slug, contract, calendars) {
  if (contract.modality === '24x7') return h('span', {}, t('calendar.always_open'));
  const sel = h('select', { 'aria-label': t('calendar.of_contract', { id: contract.id }) },
    h('option', { value: '' }, t('calendar.builtin')),
    calendars.map((c) => h('option', { value: String(c.id), selected: c.id === contract.calendar_id }, c.name)));
  const err = h('div', { 'aria-live': 'assertive' });
  const save = h('button', { type: 'button' }, t('calendar.assign'));
  save.addEventListener('click', () => busy(save, err, async () => {
    const id = sel.value ? Number(sel.value) : null;
    await api('PATCH', `/api/v1/orgs/${encodeURIComponent(slug)}/contracts/${contract.id}`, { calendar_id: id });
    toast(t('calendar.assigned'));
  }));
  return h('div', { class: 'assign' }, sel, save, err);
}
