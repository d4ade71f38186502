// The customer profile (protocol "Información necesaria para Soporte"): environments with
// their hosts, users, paths, commands, consoles, test users and components; contacts as an
// organisation chart; remote access. Customers' administrators maintain it in the portal; staff
// see it from the ticket's side panel. Secrets are shown only as "set"; revealing one asks for
// a reason, which the server logs before it answers. The whole profile can be exported as a
// JSON file (secrets left out, or encrypted to a passphrase: a logged reveal) and imported.
import { h, field, clear } from '../dom.js';
import { t, tn, has, formatTime } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { state, isStaff, pageTitle, busy, errorBox, toast, loading } from '../ui.js';

// The sections and their fields, as the server's table (domain/profile). `parent` is the kind a
// section hangs from; `secret` fields are never filled from the server.
const KINDS = {
  environments: { parent: null, fields: [['kind', 'choice', ['dev', 'qa', 'prod']], ['name', 'text'], ['notes', 'long']] },
  hosts: { parent: 'environment', fields: [['name', 'text'], ['address', 'text'], ['port', 'number'], ['notes', 'long']] },
  os_users: { parent: 'environment', fields: [['user', 'text'], ['password', 'secret'], ['notes', 'long']] },
  component_paths: { parent: 'environment', fields: [['component', 'text'], ['path', 'text']] },
  start_commands: { parent: 'environment', fields: [['component', 'text'], ['command', 'long']] },
  admin_consoles: { parent: 'environment', fields: [['name', 'text'], ['url', 'text'], ['user', 'text'], ['password', 'secret']] },
  test_users: { parent: 'environment', fields: [['user', 'text'], ['password', 'secret'], ['notes', 'long']] },
  components: { parent: 'environment', fields: [['name', 'text'], ['version', 'text'], ['notes', 'long']] },
  patches: { parent: 'component', fields: [['name', 'text'], ['applied_on', 'date'], ['notes', 'long']] },
  contacts: { parent: null, fields: [['name', 'text'], ['role', 'text'], ['phone', 'text'], ['extension', 'text'], ['email', 'text'], ['reports_to', 'contact']] },
  remote_access: { parent: null, fields: [['method', 'choice', ['vpn', 'rdp', 'ssh', 'jump_host', 'other']], ['address', 'text'], ['user', 'text'], ['password', 'secret'], ['private_key', 'secret'], ['instructions', 'long']] },
};
const ENV_SECTIONS = ['hosts', 'os_users', 'component_paths', 'start_commands', 'admin_consoles', 'test_users', 'components'];

const label = (name) => t(`profile.field.${name}`);

function valueText(kind, name, v) {
  if (v === null || v === undefined || v === '') return null;
  if (name === 'kind') return t(`env.${v}`);
  if (name === 'method') return t(`profile.method.${v}`);
  return String(v);
}

// A secret: "set" and, for who may, a reveal form that asks for the reason.
function secretView(ctx, name, s) {
  if (!s || !s.set) return h('span', { class: 'meta' }, t('profile.secret_not_set'));
  const box = h('span', { class: 'secret' }, h('span', { class: 'badge' }, t('profile.secret_set')));
  if (!ctx.profile.can_reveal) return box;
  const open = h('button', { type: 'button', class: 'link reveal-open' }, t('profile.reveal'));
  open.onclick = () => {
    const reason = h('input', { type: 'text', class: 'reveal-reason', maxlength: '500', required: true });
    const go = h('button', { type: 'submit', class: 'primary' }, t('profile.reveal_confirm'));
    const err = h('div', { 'aria-live': 'assertive' });
    const form = h('form', { class: 'reveal-form' }, field(t('profile.reveal_reason'), reason, t('profile.reveal_hint')), err, go);
    form.onsubmit = (e) => {
      e.preventDefault();
      busy(go, err, async () => {
        const r = await api('POST', `/api/v1/orgs/${encodeURIComponent(ctx.slug)}/profile/secrets/${s.secret_id}/reveal`, { reason: reason.value });
        const hide = h('button', { type: 'button', class: 'link' }, t('profile.hide'));
        const shown = h('span', { class: 'secret' }, h('code', { class: 'revealed' }, r.value), ' ', hide);
        hide.onclick = () => shown.replaceWith(secretView(ctx, name, s));
        form.replaceWith(shown);
        setTimeout(() => { if (shown.isConnected) hide.onclick(); }, 60000);  // never left on screen
      });
    };
    open.replaceWith(form);
    reason.focus();
  };
  box.append(' ', open);
  return box;
}

function entryFields(ctx, kind, e) {
  const rows = [];
  for (const [name, type] of KINDS[kind].fields) {
    if (type === 'secret') {
      rows.push(h('dt', {}, label(name)), h('dd', {}, secretView(ctx, name, e[name])));
      continue;
    }
    let v = valueText(kind, name, e[name]);
    if (type === 'contact' && e[name]) {
      const boss = ctx.profile.contacts.find((c) => c.id === e[name]);
      v = boss ? boss.name : `#${e[name]}`;
    }
    if (v === null) continue;
    rows.push(h('dt', {}, label(name)), h('dd', { class: type === 'long' ? 'pre' : null }, v));
  }
  return h('dl', { class: 'profile-fields' }, rows);
}

// The add/edit form of one entry of `kind`; `entry` null adds under `parentId`.
function entryForm(ctx, kind, parentId, entry) {
  const controls = {};
  const inputs = [];
  for (const [name, type, choices] of KINDS[kind].fields) {
    let c;
    if (type === 'choice') {
      c = h('select', { name }, choices.map((x) => h('option', { value: x, selected: entry && entry[name] === x },
        name === 'kind' ? t(`env.${x}`) : t(`profile.method.${x}`))));
    } else if (type === 'contact') {
      c = h('select', { name }, h('option', { value: '' }, '—'),
        ctx.profile.contacts.filter((x) => !entry || x.id !== entry.id)
          .map((x) => h('option', { value: String(x.id), selected: entry && entry[name] === x.id }, x.name)));
    } else if (type === 'long') {
      c = h('textarea', { name, rows: '3' });
      if (entry && entry[name]) c.value = entry[name];
    } else {
      c = h('input', { name, type: type === 'secret' ? 'password' : type === 'number' ? 'number' : type === 'date' ? 'date' : 'text',
        autocomplete: type === 'secret' ? 'new-password' : 'off' });
      if (entry && type !== 'secret' && entry[name] !== null && entry[name] !== undefined) c.value = String(entry[name]);
    }
    controls[name] = [c, type];
    inputs.push(field(label(name), c, type === 'secret' && entry && entry[name] && entry[name].set ? t('profile.secret_keep_hint') : null));
  }
  let envSel = null;
  if (kind === 'remote_access') {  // optionally tied to one environment
    envSel = h('select', { name: 'environment' }, h('option', { value: '' }, '—'),
      ctx.profile.environments.map((x) => h('option', { value: String(x.id), selected: entry && entry.environment === x.id }, `${t(`env.${x.kind}`)} · ${x.name}`)));
    inputs.unshift(field(t('profile.field.environment'), envSel));
  }
  const err = h('div', { 'aria-live': 'assertive' });
  const save = h('button', { type: 'submit', class: 'primary' }, t('common.save'));
  const cancel = h('button', { type: 'button' }, t('common.cancel'));
  const form = h('form', { class: 'card profile-form', 'data-kind': kind }, h('h3', {}, t(entry ? 'profile.edit' : `profile.add.${kind}`)), inputs, err,
    h('div', { class: 'actions' }, save, cancel));
  cancel.onclick = () => ctx.refresh();
  form.onsubmit = (e) => {
    e.preventDefault();
    const body = {};
    const parent = KINDS[kind].parent;
    if (parent && parentId) body[parent] = parentId;
    if (envSel) body.environment = envSel.value ? Number(envSel.value) : null;
    for (const [name, [c, type]] of Object.entries(controls)) {
      if (type === 'secret') { if (c.value) body[name] = c.value; continue; }
      if (!c.value) continue;
      body[name] = type === 'number' || type === 'contact' ? Number(c.value) : c.value;
    }
    const base = `/api/v1/orgs/${encodeURIComponent(ctx.slug)}/profile/${kind}`;
    busy(save, err, async () => {
      if (entry) await api('PUT', `${base}/${entry.id}`, body);
      else await api('POST', base, body);
      toast(t('profile.saved'));
      await ctx.refresh();
    });
  };
  return form;
}

// Edit and delete links; `holder` is the element the edit form replaces the contents of.
function entryActions(ctx, kind, e, holder) {
  if (!ctx.profile.can_edit) return null;
  const edit = h('button', { type: 'button', class: 'link' }, t('profile.edit'));
  const del = h('button', { type: 'button', class: 'link danger' }, t('profile.delete'));
  edit.onclick = () => holder.replaceChildren(entryForm(ctx, kind, null, e));
  del.onclick = () => {
    if (!window.confirm(t('profile.delete_confirm'))) return;
    busy(del, null, async () => {
      await api('DELETE', `/api/v1/orgs/${encodeURIComponent(ctx.slug)}/profile/${kind}/${e.id}`);
      toast(t('profile.deleted'));
      await ctx.refresh();
    });
  };
  return h('span', { class: 'entry-actions' }, edit, ' ', del);
}

function addButton(ctx, kind, parentId, slot) {
  if (!ctx.profile.can_edit) return null;
  const b = h('button', { type: 'button', class: 'add', 'data-add': kind }, `+ ${t(`profile.add.${kind}`)}`);
  b.onclick = () => slot.replaceChildren(entryForm(ctx, kind, parentId, null));
  return b;
}

function entryItem(ctx, kind, e, title) {
  const holder = h('li', { class: 'profile-entry' });
  holder.append(h('div', { class: 'entry-head' }, h('strong', {}, title), ' ', entryActions(ctx, kind, e, holder)), entryFields(ctx, kind, e));
  if (kind === 'components') {
    const slot = h('div', {});
    holder.append(h('div', { class: 'sub' }, h('h4', {}, t('profile.section.patches')),
      e.patches.length ? h('ul', { class: 'entries' }, e.patches.map((p) => entryItem(ctx, 'patches', p, p.name))) : h('p', { class: 'empty' }, t('profile.none')),
      addButton(ctx, 'patches', e.id, slot), slot));
  }
  return holder;
}

function titleOf(kind, e) {
  return e.name || e.user || e.address || e.component || e.command || `#${e.id}`;
}

function environmentCard(ctx, env) {
  const card = h('section', { class: 'card environment', 'data-env': env.kind });
  card.append(h('h2', {}, `${t(`env.${env.kind}`)} · ${env.name}`), entryActions(ctx, 'environments', env, card) || '');
  if (env.notes) card.append(h('p', { class: 'pre' }, env.notes));
  const empty = [];
  for (const kind of ENV_SECTIONS) {
    if (!env[kind].length) { empty.push(kind); continue; }
    const slot = h('div', {});
    card.append(h('div', { class: 'sub' }, h('h3', {}, t(`profile.section.${kind}`)),
      h('ul', { class: 'entries' }, env[kind].map((e) => entryItem(ctx, kind, e, titleOf(kind, e)))),
      addButton(ctx, kind, env.id, slot), slot));
  }
  // The sections with nothing yet, in one line with one action to add to any of them (issue 19),
  // instead of "Nada registrado." section after section.
  if (empty.length) {
    const slot = h('div', {});
    const box = h('div', { class: 'sub empty-sections' },
      h('p', { class: 'empty' }, t('profile.empty_sections', { list: empty.map((k) => t(`profile.section.${k}`)).join(', ') })));
    if (ctx.profile.can_edit) {
      const which = h('select', { 'aria-label': t('profile.add_which'), 'data-add-which': String(env.id) },
        empty.map((k) => h('option', { value: k }, t(`profile.section.${k}`))));
      const add = h('button', { type: 'button', class: 'add', 'data-add-empty': String(env.id) }, t('profile.add_to'));
      add.onclick = () => slot.replaceChildren(entryForm(ctx, which.value, env.id, null));
      box.append(h('div', { class: 'assign' }, which, add));
    }
    card.append(box, slot);
  }
  return card;
}

// Contacts as an organisation chart: each contact under the one it reports to.
function contactTree(ctx) {
  const all = ctx.profile.contacts;
  const ids = new Set(all.map((c) => c.id));
  const level = (boss) => {
    const kids = all.filter((c) => (boss === null ? !c.reports_to || !ids.has(c.reports_to) : c.reports_to === boss));
    if (!kids.length) return null;
    return h('ul', { class: boss === null ? 'entries org-chart' : 'org-chart' }, kids.map((c) => {
      const li = entryItem(ctx, 'contacts', c, c.name);
      const sub = level(c.id);
      if (sub) li.append(sub);
      return li;
    }));
  };
  return level(null) || h('p', { class: 'empty' }, t('profile.none'));
}

// Saves `text` as a file named `name` (a download started from the page).
function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// Export (without secrets: a plain download; with secrets: reason and passphrase, a reveal) and
// import (a file, a mode, the passphrase of its secrets).
function transferCard(ctx) {
  const p = ctx.profile;
  const base = `/api/v1/orgs/${encodeURIComponent(ctx.slug)}/profile`;
  const slot = h('div', {});
  const exportLink = h('a', { class: 'button', href: `${base}/export`, download: '', 'data-action': 'export' }, t('profile.transfer.export'));
  const buttons = h('div', { class: 'actions' }, exportLink);
  if (p.can_reveal) {
    const b = h('button', { type: 'button', 'data-action': 'export-secrets' }, t('profile.transfer.export_secrets'));
    b.onclick = () => {
      const reason = h('input', { type: 'text', name: 'reason', maxlength: '500', required: true });
      const pass = h('input', { type: 'password', name: 'passphrase', minlength: '12', required: true, autocomplete: 'new-password' });
      const again = h('input', { type: 'password', name: 'passphrase2', minlength: '12', required: true, autocomplete: 'new-password' });
      const go = h('button', { type: 'submit', class: 'primary' }, t('profile.transfer.export_secrets_confirm'));
      const cancel = h('button', { type: 'button' }, t('common.cancel'));
      const err = h('div', { 'aria-live': 'assertive' });
      const form = h('form', { class: 'export-secrets-form' },
        h('p', { class: 'hint' }, t('profile.transfer.export_secrets_intro')),
        field(t('profile.reveal_reason'), reason, t('profile.reveal_hint')),
        field(t('profile.transfer.passphrase'), pass, t('profile.transfer.passphrase_hint')),
        field(t('profile.transfer.passphrase_again'), again), err, h('div', { class: 'actions' }, go, cancel));
      cancel.onclick = () => clear(slot);
      form.onsubmit = (e) => {
        e.preventDefault();
        busy(go, err, async () => {
          if (pass.value !== again.value) throw new ApiError(400, 'invalid_argument', t('profile.transfer.passphrase_mismatch'));
          const doc = await api('POST', `${base}/export`, { include_secrets: true, passphrase: pass.value, reason: reason.value }, { timeout: 120000 });
          pass.value = '';
          again.value = '';
          download(`soporte-profile-${doc.organisation}-${doc.exported_at.slice(0, 10)}-secrets.json`, JSON.stringify(doc, null, 2));
          clear(slot);
          toast(t('profile.transfer.exported_secrets'));
          ctx.refresh();
        });
      };
      clear(slot);
      slot.append(form);
      reason.focus();
    };
    buttons.append(b);
  }
  if (p.can_edit) {
    const b = h('button', { type: 'button', 'data-action': 'import' }, t('profile.transfer.import'));
    b.onclick = () => {
      const file = h('input', { type: 'file', name: 'file', accept: 'application/json,.json', required: true });
      const mode = h('select', { name: 'mode' },
        h('option', { value: 'merge', selected: true }, t('profile.transfer.mode_merge')),
        h('option', { value: 'replace' }, t('profile.transfer.mode_replace')));
      const pass = h('input', { type: 'password', name: 'passphrase', autocomplete: 'off' });
      const go = h('button', { type: 'submit', class: 'primary' }, t('profile.transfer.import_confirm'));
      const cancel = h('button', { type: 'button' }, t('common.cancel'));
      const err = h('div', { 'aria-live': 'assertive' });
      const form = h('form', { class: 'import-form' },
        field(t('profile.transfer.file'), file),
        field(t('profile.transfer.mode'), mode, t('profile.transfer.mode_hint')),
        field(t('profile.transfer.passphrase'), pass, t('profile.transfer.import_passphrase_hint')),
        err, h('div', { class: 'actions' }, go, cancel));
      cancel.onclick = () => clear(slot);
      form.onsubmit = (e) => {
        e.preventDefault();
        if (mode.value === 'replace' && !window.confirm(t('profile.transfer.replace_confirm'))) return;
        busy(go, err, async () => {
          const f = file.files[0];
          let document;
          try {
            document = JSON.parse(await f.text());
          } catch {
            throw new ApiError(400, 'invalid_argument', t('profile.transfer.not_json'));
          }
          const body = { document, mode: mode.value };
          if (pass.value) body.passphrase = pass.value;
          const r = await api('POST', `${base}/import`, body, { timeout: 120000 });
          toast(t('profile.transfer.imported', { created: r.created, updated: r.updated, unchanged: r.unchanged, deleted: r.deleted, secrets: r.secrets_imported }));
          await ctx.refresh();
        });
      };
      clear(slot);
      slot.append(form);
      file.focus();
    };
    buttons.append(b);
  }
  return h('section', { class: 'card transfer-card' }, h('h2', {}, t('profile.transfer.title')),
    h('p', { class: 'hint' }, t('profile.transfer.intro')), buttons, slot);
}

// One profile history event in the reader's words (issue 19): field labels from the catalog,
// contacts and environments by name, never the server's field names or ids. The server's
// `detail` is "field: before -> after; field: value; password changed" (domain DescribeChange)
// or, for a reveal, "password revealed: <reason>".
function historyEventText(ctx, e) {
  const who = e.by ? e.by.name : t('history.system');
  const label = (f) => (has(`profile.field.${f}`) ? t(`profile.field.${f}`) : '');
  const detail = e.detail || '';
  if (e.action === 'revealed') {
    const m = detail.match(/^([a-z_]+) revealed: ([\s\S]*)$/);
    if (m && label(m[1])) return t('profile.history.revealed', { field: label(m[1]), who, reason: m[2] });
    return t('profile.history.revealed_plain', { who });
  }
  if (e.action === 'rotated') {
    const n = Number((detail.match(/^(\d+) /) || [])[1]);
    return n ? tn('profile.history.rotated', n, { who }) : `${who} ${t('profile.action.rotated')}`;
  }
  const p = ctx.profile;
  const value = (f, v) => {
    if (v === undefined || v === '' || v === '-') return '—';
    const id = Number(v);
    if (f === 'reports_to') { const c = p.contacts.find((x) => x.id === id); return c ? c.name : t('profile.history.removed_entry'); }
    if (f === 'environment') { const x = p.environments.find((y) => y.id === id); return x ? `${t(`env.${x.kind}`)} · ${x.name}` : t('profile.history.removed_entry'); }
    if (f === 'kind' && has(`env.${v}`)) return t(`env.${v}`);
    if (f === 'method' && has(`profile.method.${v}`)) return t(`profile.method.${v}`);
    return v;
  };
  const changes = [];
  if (!['exported', 'imported', 'rotated'].includes(e.action)) {
    for (const part of detail.split('; ').filter(Boolean)) {
      const secret = part.match(/^([a-z_]+) changed$/);
      if (secret && label(secret[1])) { changes.push(t('profile.history.secret_changed', { field: label(secret[1]) })); continue; }
      const m = part.match(/^([a-z_]+): ([\s\S]*?)(?: -> ([\s\S]*))?$/);
      if (!m || !label(m[1])) continue;
      changes.push(m[3] === undefined ? `${label(m[1])}: ${value(m[1], m[2])}`
        : `${label(m[1])}: ${value(m[1], m[2])} → ${value(m[1], m[3])}`);
    }
  }
  const head = `${who} ${t(`profile.action.${e.action}`)} ${t(`profile.kind.${e.kind}`)}`;
  return changes.length ? `${head}: ${changes.join('; ')}` : head;
}

function render(ctx, root) {
  const p = ctx.profile;
  clear(root);
  root.append(pageTitle(t('profile.title', { org: p.org.name })),
    h('p', { class: 'hint' }, t(p.can_edit ? 'profile.intro_edit' : 'profile.intro_read')));
  root.append(transferCard(ctx));
  const envSlot = h('div', {});
  root.append(h('div', { class: 'section-head' }, h('h2', {}, t('profile.section.environments')), addButton(ctx, 'environments', null, envSlot)), envSlot);
  if (!p.environments.length) root.append(h('p', { class: 'empty card' }, t('profile.no_environments')));
  for (const env of p.environments) root.append(environmentCard(ctx, env));
  const cSlot = h('div', {});
  root.append(h('section', { class: 'card contacts' }, h('h2', {}, t('profile.section.contacts')), contactTree(ctx), addButton(ctx, 'contacts', null, cSlot), cSlot));
  const rSlot = h('div', {});
  const envName = (id) => { const e = p.environments.find((x) => x.id === id); return e ? `${t(`env.${e.kind}`)} · ${e.name}` : null; };
  root.append(h('section', { class: 'card remote' }, h('h2', {}, t('profile.section.remote_access')),
    p.remote_access.length ? h('ul', { class: 'entries' }, p.remote_access.map((r) => {
      const li = entryItem(ctx, 'remote_access', r, `${t(`profile.method.${r.method}`)} · ${r.address}`);
      if (r.environment) li.querySelector('.entry-head').append(h('span', { class: 'badge' }, envName(r.environment)));
      return li;
    })) : h('p', { class: 'empty' }, t('profile.none')),
    addButton(ctx, 'remote_access', null, rSlot), rSlot));
  if (isStaff() || p.can_reveal) {
    const hist = h('section', { class: 'card history-card' }, h('h2', {}, t('profile.history')), loading());
    root.append(hist);
    api('GET', `/api/v1/orgs/${encodeURIComponent(ctx.slug)}/profile/history`).then((r) => {
      hist.replaceChildren(h('h2', {}, t('profile.history')), r.events.length
        ? h('ol', { class: 'history' }, r.events.slice(-30).reverse().map((e) => h('li', {},
          h('span', { class: 'meta' }, formatTime(e.at)), ' ', historyEventText(ctx, e))))
        : h('p', { class: 'empty' }, t('profile.none')));
    }).catch((e) => hist.append(errorBox(e)));
  }
}

// #/profile (a customer's own organisation) and #/profile/{slug} (staff).
export async function profilePage(slugParam) {
  const slug = slugParam || (state.org && state.org.slug);
  if (!slug) throw Object.assign(new Error('no org'), { status: 404, code: 'not_found' });
  const root = h('div', { class: 'profile-page' });
  const ctx = { slug, profile: null, refresh: null };
  ctx.refresh = async () => {
    ctx.profile = await api('GET', `/api/v1/orgs/${encodeURIComponent(slug)}/profile`);
    render(ctx, root);
  };
  await ctx.refresh();
  return { node: root };
}

