// Controls for managing a user after creation (issue 6), put in user tables by the admin pages
// and the portal's Users page: organisation administrator, mail language, active, staff role.
// Every change is one PATCH /api/v1/users/{id}; the server decides who may do what.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { state, busy, toast } from '../ui.js';

const STAFF_ROLES = ['agent', 'supervisor', 'admin'];

async function patch(u, body, doneKey, onDone) {
  await api('PATCH', `/api/v1/users/${u.id}`, body);
  toast(t(doneKey, { name: u.name }));
  await onDone();
}

// Whether `u` is the signed-in user.
export function isSelf(u) { return state.me && state.me.user.id === u.id; }

// The organisation administrator state of customer `u` and a button to grant or revoke it.
export function orgAdminCell(u, onDone) {
  const button = h('button', { type: 'button', class: 'small',
    'aria-label': `${t(u.org_admin ? 'users.revoke_org_admin' : 'users.make_org_admin')}: ${u.name}` },
  t(u.org_admin ? 'users.revoke_org_admin' : 'users.make_org_admin'));
  button.addEventListener('click', () => busy(button, null, () => patch(u, { org_admin: !u.org_admin },
    u.org_admin ? 'users.org_admin_revoked' : 'users.org_admin_granted', onDone)));
  return h('div', { class: 'user-actions' },
    u.org_admin ? h('span', { class: 'badge org-admin' }, t('users.org_admin_badge')) : null, button);
}

// The language of the mail `u` gets: automatic (learnt from their mail), Spanish or English.
export function langSelect(u, onDone) {
  const sel = h('select', { 'aria-label': `${t('users.lang')}: ${u.name}`, class: 'small' },
    [['', 'users.lang_auto'], ['es', 'lang.es'], ['en', 'lang.en']].map(([v, k]) => h('option', { value: v, selected: (u.lang || '') === v }, t(k))));
  sel.addEventListener('change', () => busy(sel, null, async () => {
    try {
      await patch(u, { lang: sel.value }, 'users.lang_saved', onDone);
    } catch (e) {
      sel.value = u.lang || '';
      throw e;
    }
  }));
  return sel;
}

// Deactivate (with confirmation: the user's sessions and tokens end) or reactivate `u`.
export function activeButton(u, onDone) {
  if (isSelf(u)) return null;
  const button = h('button', { type: 'button', class: u.active ? 'danger small' : 'small',
    'aria-label': `${t(u.active ? 'users.deactivate' : 'users.reactivate')}: ${u.name}` },
  t(u.active ? 'users.deactivate' : 'users.reactivate'));
  button.addEventListener('click', () => {
    if (u.active && !window.confirm(t('users.confirm_deactivate', { name: u.name }))) return;
    busy(button, null, () => patch(u, { active: !u.active }, u.active ? 'users.deactivated' : 'users.reactivated', onDone));
  });
  return button;
}

// An administrator's select of a staff user's role.
export function roleSelect(u, onDone) {
  const sel = h('select', { 'aria-label': `${t('admin.user_role')}: ${u.name}`, class: 'small' },
    STAFF_ROLES.map((r) => h('option', { value: r, selected: u.role === r }, t(`role.${r}`))));
  sel.addEventListener('change', () => busy(sel, null, async () => {
    try {
      await patch(u, { role: sel.value }, 'users.role_saved', onDone);
    } catch (e) {
      sel.value = u.role;
      throw e;
    }
  }));
  return sel;
}
