// Administración › Auditoría (supervisors and admins): the desk's audit log, newest first —
// organisations, contracts, calendars, contact settings, API tokens and logins — with who acted,
// when and from which address. Field names and values are translated here from the stable texts
// the server writes (docs/api.md, "Audit log"); people are shown by name, never by id.
import { h } from '../dom.js';
import { t, formatTime } from '../i18n.js';
import { api } from '../api.js';
import { pageTitle, busy } from '../ui.js';
import { adminTabs } from '../widgets/admin.js';

const KINDS = ['org', 'contract', 'calendar', 'settings', 'token', 'login', 'webhook'];
const PAGE = 50;

// "normal=8h,important=4h,critical=2h" → "Normal 8 h · Importante 4 h · Crítico 2 h".
function targetsText(v) {
  return v.split(',').map((pair) => {
    const [crit, span] = pair.split('=');
    const m = /^(\d+)([hm])$/.exec(span || '');
    const text = m ? t(m[2] === 'h' ? 'audit.hours' : 'audit.minutes', { n: m[1] }) : span;
    return `${t(`criticality.${crit}`)} ${text}`;
  }).join(' · ');
}

// A stored value as people read it in the UI's language; '' is shown as a dash or its meaning.
function valueText(e, v) {
  const f = e.field;
  if (f === 'calendar') return v === '' ? t('calendar.builtin') : v;
  if (f.startsWith('hours.')) return v === '' ? t('calendar.closed_day') : v.replaceAll('-', '–').replaceAll(',', ', ');
  if (v === '') return f === 'valid_to' && e.after === '' ? t('audit.open_ended') : '—';
  if (f === 'modality') return t(`modality.${v}`);
  if (f === 'channels') return v.split(',').map((c) => t(`channel.${c}`)).join(', ');
  if (f === 'targets') return targetsText(v);
  if (f === 'holidays') return t(v === 'true' ? 'common.yes' : 'common.no');
  if (f === 'login') return t(`audit.login.${v}`);
  if (e.kind === 'token' && f === 'removed') return t('audit.tokens', { n: v });
  return v;
}

function fieldText(e) {
  if (e.field.startsWith('hours.')) {
    return t('audit.field.hours', { day: t(`calendar.day.${e.field.slice(6)}`) });
  }
  return t(`audit.field.${e.kind}.${e.field}`);
}

// What the entry is about: "Contrato de ACME S.A.", "Calendario Oficina", the email tried…
function subjectText(e) {
  if (e.kind === 'settings') return t('audit.kind.settings');
  return t(`audit.subject.${e.kind}`, { name: e.subject.name });
}

function whoText(e) {
  if (e.by) return e.by.name;
  return t(e.kind === 'login' ? 'audit.nobody' : 'history.system');
}

function row(e) {
  const cells = [
    ['audit.col.at', formatTime(e.at)],
    ['audit.col.by', whoText(e)],
    ['audit.col.from', e.from || t('audit.from_system')],
    ['audit.col.subject', subjectText(e)],
    ['audit.col.field', fieldText(e)],
    ['audit.col.before', valueText(e, e.before)],
    ['audit.col.after', valueText(e, e.after)],
  ];
  return h('tr', { 'data-kind': e.kind, 'data-field': e.field },
    cells.map(([k, v]) => h('td', { 'data-label': t(k) }, v)));
}

export async function auditPage(params) {
  const kind = KINDS.includes(params.get('kind')) ? params.get('kind') : '';
  const select = h('select', { id: 'audit-kind' }, h('option', { value: '' }, t('audit.kind.all')),
    KINDS.map((k) => h('option', { value: k, selected: k === kind }, t(`audit.kind.${k}`))));
  select.addEventListener('change', () => {
    location.hash = select.value ? `#/admin/audit?kind=${select.value}` : '#/admin/audit';
  });
  const cols = ['at', 'by', 'from', 'subject', 'field', 'before', 'after'];
  const body = h('tbody');
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'tickets audit' },
    h('caption', { class: 'sr-only' }, t('audit.title')),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(`audit.col.${c}`))))), body));
  const empty = h('p', { class: 'empty', hidden: true }, t('audit.empty'));
  const err = h('div', { 'aria-live': 'assertive' });
  const more = h('button', { type: 'button', hidden: true }, t('audit.more'));
  let cursor = null;
  const load = async () => {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (kind) q.set('kind', kind);
    if (cursor) q.set('cursor', cursor);
    const r = await api('GET', `/api/v1/audit?${q}`);
    body.append(...r.entries.map(row));
    cursor = r.next_cursor;
    more.hidden = !cursor;
    empty.hidden = body.children.length > 0;
    table.hidden = body.children.length === 0;
  };
  more.addEventListener('click', () => busy(more, err, load));
  await load();
  return {
    node: h('div', {}, pageTitle(t('audit.title')), adminTabs('audit'),
      h('p', { class: 'lead' }, t('audit.lead')),
      h('div', { class: 'filters' }, h('label', { for: 'audit-kind' }, t('audit.filter')), select),
      table, empty, err, h('div', { class: 'actions' }, more)),
  };
}
