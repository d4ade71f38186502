// The portal's Users page (issue 6), where a customer who administers its organisation grants or
// revokes that role to colleagues. The controls it shares with the admin pages are
// widgets/user_controls.js.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { pageTitle } from '../ui.js';
import { isSelf, orgAdminCell } from '../widgets/user_controls.js';

// The portal's Users page for the organisation's administrator: who administers the
// organisation, and a button per colleague to grant or revoke it.
export async function portalUsersPage() {
  const root = h('div', {});
  const load = async () => {
    const r = await api('GET', '/api/v1/users');
    const users = r.users.filter((u) => u.active);
    root.replaceChildren(pageTitle(t('users.title')),
      h('p', { class: 'lead' }, t('users.lead')),
      h('section', { class: 'card wide' },
        h('table', { class: 'tickets users' },
          h('thead', {}, h('tr', {}, ['admin.user_name', 'admin.user_email', 'users.org_admin'].map((k) => h('th', { scope: 'col' }, t(k))))),
          h('tbody', {}, users.map((u) => h('tr', { 'data-email': u.email },
            h('td', { 'data-label': t('admin.user_name') }, u.name, isSelf(u) ? ` ${t('users.you')}` : ''),
            h('td', { 'data-label': t('admin.user_email') }, u.email),
            h('td', { 'data-label': t('users.org_admin') }, isSelf(u)
              ? h('div', {}, h('span', { class: 'badge org-admin' }, t('users.org_admin_badge')), h('p', { class: 'hint' }, t('users.self_hint')))
              : orgAdminCell(u, load)))))),
        h('p', { class: 'hint' }, t('users.portal_hint'))));
  };
  await load();
  return { node: root };
}
