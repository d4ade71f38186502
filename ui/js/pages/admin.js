// Administration (supervisors and admins): organisations, their contracts and users, staff users
// and roles, and the vendor's contact settings shown to customers.
import { h, field, clear } from '../dom.js';
import { t, formatMinutes } from '../i18n.js';
import { api } from '../api.js';
import { state, pageTitle, showError, busy, toast, errorBox } from '../ui.js';
import { adminTabs as tabs, contractCalendarCell } from '../widgets/admin.js';
import { orgAdminCell, langSelect, activeButton, roleSelect } from '../widgets/user_controls.js';

const ROLES = ['customer', 'agent', 'supervisor', 'admin'];
const CHANNELS = ['portal', 'email', 'phone', 'chat'];

function userForm(org, onDone) {
  const email = h('input', { type: 'email', required: true, autocomplete: 'off' });
  const name = h('input', { type: 'text', required: true });
  const role = h('select', {}, (org ? ['customer'] : ROLES.filter((r) => r !== 'customer')).map((r) => h('option', { value: r }, t(`role.${r}`))));
  const pw = h('input', { type: 'password', required: true, autocomplete: 'new-password', minlength: '8' });
  const err = h('div');
  const submit = h('button', { type: 'submit', class: 'primary' }, t('admin.add_user'));
  const form = h('form', { class: 'card' }, h('h2', {}, t('admin.new_user')),
    field(t('admin.user_email'), email), field(t('admin.user_name'), name), field(t('admin.user_role'), role),
    field(t('admin.user_password'), pw, t('auth.password_rule')), err, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, err, async () => {
      const body = { email: email.value.trim(), name: name.value.trim(), role: role.value, password: pw.value };
      if (org) body.org = org;
      await api('POST', '/api/v1/users', body);
      toast(t('admin.user_added'));
      onDone();
    });
  });
  return form;
}

// The users of an organisation (customers) or the support team (staff), with the controls a
// manager has over each: organisation administrator (customers), mail language, role (staff;
// admins only) and active. `onChange` reloads the page after a change.
function usersTable(users, onChange) {
  if (!users.length) return h('p', { class: 'empty' }, t('admin.no_users'));
  const customers = users.some((u) => u.role === 'customer');
  const admin = state.me && state.me.user.role === 'admin';
  const cols = ['admin.user_name', 'admin.user_email', 'admin.user_role', customers ? 'users.org_admin' : null,
    'users.lang', 'admin.user_active'].filter(Boolean);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'tickets users' },
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, users.map((u) => h('tr', { 'data-email': u.email, class: u.active ? null : 'inactive' },
      h('td', { 'data-label': t('admin.user_name') }, u.name),
      h('td', { 'data-label': t('admin.user_email') }, u.email),
      h('td', { 'data-label': t('admin.user_role') }, u.role !== 'customer' && admin ? roleSelect(u, onChange) : t(`role.${u.role}`)),
      customers ? h('td', { 'data-label': t('users.org_admin') }, u.role === 'customer' ? orgAdminCell(u, onChange) : null) : null,
      h('td', { 'data-label': t('users.lang') }, langSelect(u, onChange)),
      h('td', { 'data-label': t('admin.user_active') }, h('div', { class: 'user-actions' },
        t(u.active ? 'common.yes' : 'common.no'), activeButton(u, onChange))))))));
}

async function orgsPage() {
  const r = await api('GET', '/api/v1/orgs');
  // The rule of the server's slug check (domain ValidateSlug), said in the reader's language.
  const slug = h('input', { type: 'text', required: true, pattern: '[a-z0-9](?:[a-z0-9]|-){0,38}[a-z0-9]', autocapitalize: 'none', spellcheck: 'false' });
  const name = h('input', { type: 'text', required: true });
  const err = h('div');
  const submit = h('button', { type: 'submit', class: 'primary' }, t('admin.add_org'));
  const form = h('form', { class: 'card', novalidate: true }, h('h2', {}, t('admin.new_org')),
    field(t('admin.org_slug'), slug, t('admin.org_slug_hint')), field(t('admin.org_name'), name), err,
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const s = slug.value.trim();
    const bad = !/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/.test(s) || s.length < 2 ? 'error.slug_format'
      : !name.value.trim() ? 'admin.org_name_required' : '';
    if (bad) {
      (bad === 'error.slug_format' ? slug : name).setAttribute('aria-invalid', 'true');
      err.replaceChildren(h('div', { class: 'error', role: 'alert' }, t(bad)));
      return;
    }
    slug.removeAttribute('aria-invalid');
    name.removeAttribute('aria-invalid');
    busy(submit, err, async () => {
      const o = await api('POST', '/api/v1/orgs', { slug: s, name: name.value.trim() });
      location.hash = `#/admin/org/${encodeURIComponent(o.slug)}`;
    });
  });
  return h('div', {}, pageTitle(t('admin.title')), tabs('orgs'),
    h('div', { class: 'layout-side' },
      h('section', { class: 'main-col card' }, h('h2', {}, t('admin.orgs')),
        r.orgs.length ? h('ul', { class: 'plain' }, r.orgs.map((o) => h('li', {}, h('a', { href: `#/admin/org/${encodeURIComponent(o.slug)}` }, o.name), ` (${o.slug})`))) : h('p', {}, t('admin.no_orgs'))),
      h('div', { class: 'side-col' }, form)));
}

// A contract's resolution target (issue 12, part 7): business minutes, empty for none.
function resolutionCell(slug, c) {
  const path = `/api/v1/orgs/${encodeURIComponent(slug)}/contracts/${c.id}/resolution-target`;
  const input = h('input', { type: 'number', min: '1', step: '1', class: 'narrow', 'aria-label': t('admin.resolution_target') });
  const err = h('div', {});
  const save = h('button', { type: 'button', class: 'secondary' }, t('admin.save'));
  api('GET', path).then((r) => { input.value = r.minutes === null ? '' : String(r.minutes); }).catch(() => {});
  save.addEventListener('click', () => busy(save, err, async () => {
    const v = input.value.trim();
    await api('PUT', path, { minutes: v === '' ? null : Number(v) });
    toast(t('admin.resolution_saved'));
  }));
  return h('div', { class: 'resolution-target', 'data-contract': c.id }, input, ' ', save, err);
}

function contractForm(slug, onDone) {
  const modality = h('select', {}, ['24x7', '8x5'].map((m) => h('option', { value: m }, t(`modality.${m}`))));
  const zone = h('input', { type: 'text', value: 'America/Bogota', required: true });
  const from = h('input', { type: 'date', value: new Date().toISOString().slice(0, 10) });
  const to = h('input', { type: 'date' });
  const channels = h('fieldset', { class: 'choices inline' }, h('legend', {}, t('contract.channels')),
    CHANNELS.map((c) => h('div', { class: 'choice' }, h('input', { type: 'checkbox', id: `ch-${c}`, value: c, checked: c !== 'phone' }), h('label', { for: `ch-${c}` }, t(`channel.${c}`)))));
  const targets = ['normal', 'important', 'critical'].map((c, i) => [c, h('input', { type: 'number', min: '1', value: String([480, 240, 120][i]) })]);
  const err = h('div');
  const submit = h('button', { type: 'submit', class: 'primary' }, t('admin.add_contract'));
  const form = h('form', { class: 'card' }, h('h2', {}, t('admin.new_contract')),
    field(t('contract.modality'), modality), field(t('contract.zone'), zone, t('admin.zone_hint')),
    field(t('contract.valid_from'), from), field(t('contract.valid_to'), to, t('admin.valid_to_hint')), channels,
    targets.map(([c, input]) => field(t('admin.target_for', { criticality: t(`criticality.${c}`) }), input)), err,
    h('div', { class: 'actions' }, submit));
  modality.addEventListener('change', () => { form.querySelector('#ch-phone').checked = modality.value === '24x7'; });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, err, async () => {
      const body = { modality: modality.value, zone: zone.value.trim(), valid_from: from.value,
        channels: [...channels.querySelectorAll('input:checked')].map((x) => x.value),
        targets_minutes: Object.fromEntries(targets.map(([c, input]) => [c, Number(input.value)])) };
      if (to.value) body.valid_to = to.value;
      await api('POST', `/api/v1/orgs/${encodeURIComponent(slug)}/contracts`, body);
      toast(t('admin.contract_added'));
      onDone();
    });
  });
  return form;
}

async function orgPage(slug) {
  const root = h('div', {});
  const load = async () => {
    const [org, cs, us, cals] = await Promise.all([api('GET', `/api/v1/orgs/${encodeURIComponent(slug)}`),
      api('GET', `/api/v1/orgs/${encodeURIComponent(slug)}/contracts`), api('GET', `/api/v1/users?org=${encodeURIComponent(slug)}`),
      api('GET', '/api/v1/calendars')]);
    const reload = () => load().catch((e) => root.append(errorBox(e)));
    root.replaceChildren(pageTitle(org.name), tabs('orgs'),
      h('p', { class: 'crumbs' }, h('a', { href: '#/admin' }, t('admin.orgs'))),
      h('div', { class: 'layout-side' },
        h('div', { class: 'main-col' },
          h('section', { class: 'card' }, h('h2', {}, t('admin.contracts')),
            cs.contracts.length ? h('table', { class: 'tickets' },
              h('thead', {}, h('tr', {}, ['contract.modality', 'contract.zone', 'contract.valid', 'contract.channels', 'contract.targets', 'calendar.contract_column', 'contract.resolution_column'].map((k) => h('th', { scope: 'col' }, t(k))))),
              h('tbody', {}, cs.contracts.map((c) => h('tr', {},
                h('td', { 'data-label': t('contract.modality') }, t(`modality.${c.modality}`)),
                h('td', { 'data-label': t('contract.zone') }, c.zone),
                h('td', { 'data-label': t('contract.valid') }, `${c.valid_from} → ${c.valid_to || t('contract.open_ended')}`),
                h('td', { 'data-label': t('contract.channels') }, c.channels.map((x) => t(`channel.${x}`)).join(', ')),
                h('td', { 'data-label': t('contract.targets') }, ['normal', 'important', 'critical'].map((k) => `${t(`criticality.${k}`)} ${formatMinutes(c.targets_minutes[k])}`).join(' · ')),
                h('td', { 'data-label': t('calendar.contract_column') }, contractCalendarCell(slug, c, cals.calendars)),
                h('td', { 'data-label': t('contract.resolution_column') }, resolutionCell(slug, c))))))
              : h('p', {}, t('admin.no_contracts'))),
          h('section', { class: 'card' }, h('h2', {}, t('admin.org_users')), usersTable(us.users, reload))),
        h('div', { class: 'side-col' }, contractForm(slug, reload), userForm(slug, reload))));
  };
  await load();
  return root;
}

async function usersPage() {
  const root = h('div', {});
  const load = async () => {
    const r = await api('GET', '/api/v1/users');
    const staff = r.users.filter((u) => u.role !== 'customer');
    root.replaceChildren(pageTitle(t('admin.users')), tabs('users'),
      h('div', { class: 'layout-side' },
        h('section', { class: 'main-col card' }, h('h2', {}, t('admin.staff')), usersTable(staff, () => load()),
          h('p', { class: 'hint' }, t('admin.customers_hint'))),
        h('div', { class: 'side-col' }, userForm(null, () => load()))));
  };
  await load();
  return root;
}

// The vendor's contact settings and the chat widget's greeting and colour: admins edit them;
// supervisors see them.
async function settingsPage() {
  const r = await api('GET', '/api/v1/settings');
  const contactKeys = ['support_email', 'phone', 'portal_url', 'hours_es', 'hours_en'];
  const chatKeys = ['chat_greeting_es', 'chat_greeting_en', 'chat_color'];
  const keys = [...contactKeys, ...chatKeys];
  const head = [pageTitle(t('admin.settings')), tabs('settings'), h('p', { class: 'lead' }, t('settings.lead'))];
  if (!state.me || state.me.user.role !== 'admin') {
    return h('div', {}, head, h('section', { class: 'card wide' },
      h('dl', {}, keys.map((k) => [h('dt', {}, t(`settings.${k}`)), h('dd', {}, r[k] || t('settings.not_set'))])),
      h('p', { class: 'hint' }, t('settings.admin_only'))));
  }
  const inputs = {
    support_email: h('input', { type: 'email', name: 'support_email', value: r.support_email || '', autocomplete: 'off' }),
    phone: h('input', { type: 'tel', name: 'phone', value: r.phone || '', autocomplete: 'off' }),
    portal_url: h('input', { type: 'url', name: 'portal_url', value: r.portal_url || '', autocomplete: 'off' }),
    hours_es: h('textarea', { name: 'hours_es', rows: '2' }, r.hours_es || ''),
    hours_en: h('textarea', { name: 'hours_en', rows: '2' }, r.hours_en || ''),
    chat_greeting_es: h('input', { type: 'text', name: 'chat_greeting_es', value: r.chat_greeting_es || '', maxlength: '200', autocomplete: 'off' }),
    chat_greeting_en: h('input', { type: 'text', name: 'chat_greeting_en', value: r.chat_greeting_en || '', maxlength: '200', autocomplete: 'off' }),
    chat_color: h('input', { type: 'text', name: 'chat_color', value: r.chat_color || '', maxlength: '7', placeholder: '#0b5cad', autocomplete: 'off', spellcheck: 'false' }),
  };
  const err = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('common.save'));
  const form = h('form', { class: 'card wide', novalidate: true },
    contactKeys.map((k) => field(t(`settings.${k}`), inputs[k], t(`settings.${k}.hint`))),
    h('h2', {}, t('settings.chat_heading')), h('p', { class: 'hint' }, t('settings.chat_lead')),
    chatKeys.map((k) => field(t(`settings.${k}`), inputs[k], t(`settings.${k}.hint`))),
    err, h('div', { class: 'actions' }, submit), h('p', { class: 'hint' }, t('settings.defaults_note')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, null, async () => {
      err.replaceChildren();
      for (const k of keys) inputs[k].removeAttribute('aria-invalid');
      try {
        const body = {};
        for (const k of keys) body[k] = inputs[k].value;
        const saved = await api('PUT', '/api/v1/settings', body);
        for (const k of keys) inputs[k].value = saved[k] || '';
        toast(t('settings.saved'));
      } catch (e2) {
        // The server names the field at fault ("portal_url: …"): mark it and say which.
        const bad = keys.find((k) => e2.field === k);
        if (bad) {
          inputs[bad].setAttribute('aria-invalid', 'true');
          err.replaceChildren(h('div', { class: 'error', role: 'alert' }, t(`settings.invalid.${bad}`)));
          inputs[bad].focus();
        } else {
          showError(err, e2);
        }
      }
    });
  });
  return h('div', {}, head, form);
}

export async function adminPage(parts) {
  let node;
  if (parts[0] === 'org' && parts[1]) node = await orgPage(decodeURIComponent(parts[1]));
  else if (parts[0] === 'users') node = await usersPage();
  else if (parts[0] === 'settings') node = await settingsPage();
  else node = await orgsPage();
  return { node };
}
