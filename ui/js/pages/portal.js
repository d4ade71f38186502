// The customer portal: the organisation's tickets, the support channels and hours of the
// contract, and the guided new-ticket form built from the support protocol.
import { intakeOf } from '../widgets/checklist.js';
import { dropZone } from '../widgets/attachments.js';
import { h, field, clear, append } from '../dom.js';
import { t, formatTime, formatMinutes } from '../i18n.js';
import { api } from '../api.js';
import { state, pageTitle, loading, showError, statusBadge, criticalityBadge, dueState, busy, errorBox, toast } from '../ui.js';
import { onTicketChange } from '../live.js';
import { searchBox, snippetNode, searchErrorText } from '../widgets/search_box.js';

const CRITICALITIES = ['normal', 'important', 'critical'];
const ENVIRONMENTS = ['dev', 'qa', 'prod'];

export async function contracts() {
  if (!state.org) return [];
  const r = await api('GET', `/api/v1/orgs/${encodeURIComponent(state.org.slug)}/contracts`);
  return r.contracts;
}

export async function settings() {
  try { return await api('GET', '/api/v1/settings'); } catch { return null; }
}

function today() { return new Date().toISOString().slice(0, 10); }
export function inForce(c) { return c.valid_from <= today() && (!c.valid_to || c.valid_to >= today()); }

// The "how to reach support" box: channels and hours of each contract in force, and the
// vendor's contact settings.
export function contactBox(list, s) {
  const lang = document.documentElement.lang;
  // The phone line only for a customer whose contract in force includes it (24x7).
  const hasPhone = list.filter(inForce).some((c) => c.channels.includes('phone'));
  const items = list.filter(inForce).map((c) => h('li', {},
    h('strong', {}, t(`modality.${c.modality}`)), ' — ', t(`modality.${c.modality}.hours`),
    h('br'), t('contact.channels'), ' ', c.channels.map((ch) => t(`channel.${ch}`)).join(', ')));
  return h('aside', { class: 'card contact', 'aria-labelledby': 'contact-h' },
    h('h2', { id: 'contact-h' }, t('contact.title')),
    items.length ? h('ul', {}, items) : h('p', {}, t('contact.no_contract')),
    s ? h('dl', {},
      s.phone && hasPhone ? [h('dt', {}, t('contact.phone')), h('dd', {}, h('a', { href: `tel:${s.phone.replace(/[^+\d]/g, '')}` }, s.phone))] : null,
      s.support_email ? [h('dt', {}, t('contact.email')), h('dd', {}, h('a', { href: `mailto:${s.support_email}` }, s.support_email))] : null,
      s.portal_url ? [h('dt', {}, t('contact.portal')), h('dd', {}, /^https?:\/\//.test(s.portal_url) ? h('a', { href: s.portal_url }, s.portal_url) : s.portal_url)] : null,
      (s[`hours_${lang}`] || s.hours_es) ? [h('dt', {}, t('contact.hours')), h('dd', {}, s[`hours_${lang}`] || s.hours_es)] : null) : null);
}

function dueCell(tk) {
  const st = dueState(tk);
  return h('span', { class: `due due-${st}` },
    formatTime(tk.response_due, tk.zone), ' ', h('span', { class: 'due-label' }, t(`due.${st}`)));
}

export async function portalPage(params) {
  const mine = params.get('scope') !== 'all';
  const wrap = h('div', { class: 'layout-side' });
  const listBox = h('section', { class: 'main-col', 'aria-labelledby': 'list-h' });
  const side = h('div', { class: 'side-col' }, loading());
  wrap.append(listBox, side);
  const statusSel = h('select', { id: 'f-status' }, h('option', { value: '' }, t('filter.any')),
    ['new', 'open', 'waiting_customer', 'resolved', 'closed'].map((s) => h('option', { value: s, selected: params.get('status') === s }, t(`status.${s}`))));
  const scope = h('select', { id: 'f-scope' },
    h('option', { value: 'mine', selected: mine }, t('portal.scope_mine')),
    h('option', { value: 'all', selected: !mine }, t('portal.scope_all')));
  const table = h('div', { class: 'table-wrap' }, loading());
  let search = (params.get('q') || '').trim();
  const apply = () => {
    const q = new URLSearchParams();
    if (search) q.set('q', search);
    if (scope.value === 'all') q.set('scope', 'all');
    if (statusSel.value) q.set('status', statusSel.value);
    location.hash = `#/tickets?${q}`;
  };
  const box = searchBox(search, (text) => { search = text; apply(); });
  statusSel.addEventListener('change', apply);
  scope.addEventListener('change', apply);
  listBox.append(
    h('div', { class: 'title-row' }, h('h1', { id: 'list-h' }, t('portal.title')),
      h('a', { class: 'button primary', href: '#/new' }, t('nav.new_ticket'))),
    h('div', { class: 'filters' }, box, field(t('portal.scope'), scope), field(t('filter.status'), statusSel)),
    table);
  document.title = `${t('portal.title')} · ${t('app.name')}`;

  async function load() {
    const q = new URLSearchParams({ limit: search ? '50' : '200' });
    if (search) q.set('q', search);
    if (statusSel.value) q.set('status', statusSel.value);
    try {
      const r = await api('GET', `/api/v1/tickets?${q}`);
      let rows = r.tickets;
      if (scope.value === 'mine') rows = rows.filter((tk) => tk.requester.id === state.me.user.id);
      clear(table);
      if (!rows.length) { table.append(h('p', { class: 'empty' }, t(search ? 'search.none' : 'portal.none'))); return; }
      table.append(h('table', { class: 'tickets' },
        h('caption', { class: 'sr-only' }, t('portal.title')),
        h('thead', {}, h('tr', {}, ['col.number', 'col.subject', 'col.status', 'col.criticality', 'col.response_due', 'col.requester'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, rows.map((tk) => h('tr', {},
          h('td', { 'data-label': t('col.number') }, h('a', { href: `#/t/${tk.number}` }, `#${tk.number}`)),
          h('td', { 'data-label': t('col.subject') }, h('div', { class: 'subject-cell' }, h('a', { href: `#/t/${tk.number}` }, tk.subject), snippetNode(tk.snippet))),
          h('td', { 'data-label': t('col.status') }, statusBadge(tk.status)),
          h('td', { 'data-label': t('col.criticality') }, criticalityBadge(tk.criticality)),
          h('td', { 'data-label': t('col.response_due') }, dueCell(tk)),
          h('td', { 'data-label': t('col.requester') }, tk.requester.name))))));
    } catch (e) {
      if (e.field === 'q') clear(table).append(h('div', { class: 'error', role: 'alert' }, h('strong', {}, searchErrorText(e))));
      else showError(table, e);
    }
  }
  await load();
  Promise.all([contracts(), settings()]).then(([list, s]) => side.replaceChildren(contactBox(list, s)))
    .catch((e) => side.replaceChildren(errorBox(e)));
  const stop = onTicketChange(() => load());
  return { node: wrap, leave: stop };
}

// ---- the guided new-ticket form ------------------------------------------------------------

function radioGroup(name, legend, options, { required = true } = {}) {
  return h('fieldset', { class: 'choices' }, h('legend', {}, legend),
    options.map((o) => {
      const id = `${name}-${o.value}`;
      return h('div', { class: 'choice' },
        h('input', { type: 'radio', name, id, value: o.value, required }),
        h('label', { for: id }, h('strong', {}, o.label), o.help ? h('span', { class: 'help' }, o.help) : null));
    }));
}

export async function newTicketPage() {
  const [list, s] = await Promise.all([contracts(), settings()]);
  const usable = list.filter((c) => inForce(c) && c.channels.includes('portal'));
  const form = h('form', { class: 'card wide', novalidate: true });
  const err = h('div', { 'aria-live': 'assertive' });
  const typeGroup = radioGroup('type', t('new.type'), ['incident', 'request'].map((v) => ({ value: v, label: t(`type.${v}`), help: t(`type.${v}.help`) })));
  const envGroup = radioGroup('environment', t('new.environment'), ENVIRONMENTS.map((v) => ({ value: v, label: t(`env.${v}`) })));
  const critGroup = radioGroup('criticality', t('new.criticality'), CRITICALITIES.map((v) => ({ value: v, label: t(`criticality.${v}`), help: t(`criticality.${v}.definition`) })));
  const contractSel = h('select', { id: 'contract' }, usable.map((c) => h('option', { value: String(c.id) }, t('new.contract_option', { modality: t(`modality.${c.modality}`), from: c.valid_from }))));
  const preview = h('div', { class: 'due-preview', 'aria-live': 'polite', id: 'due-preview' }, t('new.due_pick'));
  const subject = h('input', { type: 'text', id: 'subject', maxlength: '300', required: true });
  const scenario = h('textarea', { id: 'scenario', rows: '6', required: true });
  const logs = h('textarea', { id: 'logs', rows: '4', class: 'mono' });
  const mods = h('textarea', { id: 'mods', rows: '3' });
  const versions = h('textarea', { id: 'versions', rows: '2' });
  let warned = false;  // recommended items missing: warn once, then send (never blocks)
  const drop = dropZone();
  const submit = h('button', { type: 'submit', class: 'primary' }, t('new.send'));

  async function updatePreview() {
    const crit = form.querySelector('input[name=criticality]:checked');
    if (!crit) return;
    const q = new URLSearchParams({ criticality: crit.value, channel: 'portal' });
    if (contractSel.value) q.set('contract', contractSel.value);
    preview.textContent = t('common.loading');
    try {
      const p = await api('GET', `/api/v1/sla/preview?${q}`);
      preview.replaceChildren(h('strong', {}, t('new.due_is', { date: formatTime(p.response_due, p.zone) })),
        ' ', h('span', {}, t('new.due_detail', { target: formatMinutes(p.target_minutes), modality: t(`modality.${p.modality}`), zone: p.zone })));
    } catch (e) {
      preview.replaceChildren(errorBox(e));
    }
  }
  critGroup.addEventListener('change', updatePreview);
  contractSel.addEventListener('change', updatePreview);

  // dom.js append, not Element.append: the latter writes a null child as the text "null" (the
  // customer with one contract saw it under the lead, issue 19).
  append(form, [
    pageTitle(t('new.title')), h('p', { class: 'lead' }, t('new.lead')),
    usable.length > 1 ? field(t('new.contract'), contractSel) : null,
    typeGroup, envGroup, critGroup, preview,
    field(t('new.subject'), subject, t('new.subject_hint')),
    field(t('new.scenario'), scenario, t('new.scenario_hint')),
    field(t('new.logs'), logs, t('new.logs_hint')),
    field(t('new.mods'), mods, t('new.mods_hint')),
    field(t('checklist.versions_label'), versions, t('checklist.versions_hint')),
    drop.node, err,
    h('div', { class: 'actions' }, submit, h('a', { href: '#/tickets' }, t('common.cancel')))]);
  if (!usable.length) form.prepend(h('p', { class: 'error', role: 'alert' }, t('new.no_contract')));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const pick = (n) => form.querySelector(`input[name=${n}]:checked`);
    const heading = (key) => t(key).replace(/\s*\*$/, '');
    const missing = [];
    if (!pick('type')) missing.push(heading('new.type'));
    if (!pick('environment')) missing.push(heading('new.environment'));
    if (!pick('criticality')) missing.push(heading('new.criticality'));
    if (!subject.value.trim()) missing.push(heading('new.subject'));
    if (!scenario.value.trim()) missing.push(heading('new.scenario'));
    if (missing.length) {
      err.replaceChildren(h('div', { class: 'error', role: 'alert' }, t('new.missing', { fields: missing.join(', ') })));
      return;
    }
    const lacking = [];
    if (!logs.value.trim() && !drop.files().length) lacking.push(t('checklist.item.logs'));
    if (!mods.value.trim()) lacking.push(t('checklist.item.modifications'));
    if (!versions.value.trim()) lacking.push(t('checklist.item.versions'));
    if (lacking.length && !warned && pick('criticality').value !== 'critical') {
      warned = true;
      err.replaceChildren(h('div', { class: 'notice', role: 'alert', id: 'intake-warning' }, t('checklist.ask_missing', { items: lacking.join(', ') })));
      return;
    }
    const sections = [`${heading('new.scenario')}:\n${scenario.value.trim()}`];
    if (logs.value.trim()) sections.push(`${heading('new.logs')}:\n${logs.value.trim()}`);
    if (mods.value.trim()) sections.push(`${heading('new.mods')}:\n${mods.value.trim()}`);
    const body = {
      type: pick('type').value, environment: pick('environment').value, criticality: pick('criticality').value,
      subject: subject.value.trim(), description: sections.join('\n\n'), channel: 'portal',
      intake: intakeOf({ steps: scenario.value, logs: logs.value, modifications: mods.value, versions: versions.value }),
    };
    if (usable.length > 1 && contractSel.value) body.contract = Number(contractSel.value);
    busy(submit, err, async () => {
      const created = await api('POST', '/api/v1/tickets', body);
      try {
        await drop.uploadTo(created.number);
      } catch (upErr) {
        toast(t('attach.failed_after_create', { number: created.number }));
        location.hash = `#/t/${created.number}`;
        return;
      }
      toast(t('new.created', { number: created.number }));
      location.hash = `#/t/${created.number}`;
    });
  });
  const wrap = h('div', { class: 'layout-side' }, h('div', { class: 'main-col' }, form), h('div', { class: 'side-col' }, contactBox(list, s)));
  return { node: wrap };
}
