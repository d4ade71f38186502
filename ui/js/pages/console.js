// The agents' console: the queue sorted by response due with live countdowns and colours,
// updated live from the event stream; filters; keyboard shortcuts; "log a phone call".
// A change heard on the stream fetches just that ticket and patches its row in place; the page
// is read again only when its order or membership may change (a new ticket, a moved due, a
// ticket entering or leaving the filters).
import { h, field, clear, append } from '../dom.js';
import { t, formatTime, formatSpan } from '../i18n.js';
import { api } from '../api.js';
import { state, pageTitle, loading, showError, statusBadge, criticalityBadge, dueState, busy, toast } from '../ui.js';
import { onTicketChange } from '../live.js';
import { searchBox, snippetNode, searchErrorText } from '../widgets/search_box.js';
import { alertsPanel } from '../widgets/alerts.js';

const STATUSES = ['new', 'open', 'waiting_customer', 'resolved', 'closed'];
const CRITICALITIES = ['normal', 'important', 'critical'];
const ENVIRONMENTS = ['dev', 'qa', 'prod'];
const ACTIVE = new Set(['new', 'open', 'waiting_customer']);

function select(id, label, options, value) {
  return field(label, h('select', { id, name: id },
    options.map(([v, text]) => h('option', { value: v, selected: v === (value || '') }, text))));
}

function remaining(tk) {
  if (tk.first_response_at) return t('due.answered');
  const ms = Date.parse(tk.response_due) - Date.now();
  return ms >= 0 ? t('due.in', { span: formatSpan(ms) }) : t('due.ago', { span: formatSpan(ms) });
}

export async function queuePage(params) {
  const [orgs, users] = await Promise.all([api('GET', '/api/v1/orgs'), api('GET', '/api/v1/users')]);
  const staffUsers = users.users.filter((u) => u.role !== 'customer');
  const root = h('div', { class: 'queue-page' });
  const filters = h('form', { class: 'filters', id: 'filters', 'aria-label': t('queue.filters') },
    searchBox(params.get('q'), () => apply()),
    select('org', t('filter.org'), [['', t('filter.any')], ...orgs.orgs.map((o) => [o.slug, o.name])], params.get('org')),
    select('criticality', t('filter.criticality'), [['', t('filter.any')], ...CRITICALITIES.map((c) => [c, t(`criticality.${c}`)])], params.get('criticality')),
    select('status', t('filter.status'), [['', t('filter.active')], ['all', t('filter.any')], ...STATUSES.map((s) => [s, t(`status.${s}`)])], params.get('status')),
    select('assignee', t('filter.assignee'), [['', t('filter.any')], ['me', t('filter.me')], ['none', t('filter.unassigned')], ...staffUsers.map((u) => [String(u.id), u.name])], params.get('assignee')),
    select('environment', t('filter.environment'), [['', t('filter.any')], ...ENVIRONMENTS.map((e) => [e, t(`env.${e}`)])], params.get('environment')),
    select('breached', t('filter.breached'), [['', t('filter.any')], ['true', t('filter.breached_yes')], ['false', t('filter.breached_no')]], params.get('breached')));
  const apply = () => {
    const q = new URLSearchParams();
    for (const el of filters.elements) if (el.value) q.set(el.name, el.value);
    history.replaceState(null, '', `#/queue?${q}`);
    load();
  };
  filters.addEventListener('change', (e) => { if (e.target.name !== 'q') apply(); });  // q: on Enter
  filters.addEventListener('submit', (e) => e.preventDefault());
  const live = h('span', { class: 'live', role: 'status' }, t('queue.connecting'));
  const tableBox = h('div', { class: 'table-wrap' }, loading());
  const help = h('details', { class: 'shortcuts' }, h('summary', {}, t('queue.shortcuts')),
    h('ul', {}, ['j', 'k', 'enter', 'slash', 'c', 'r', 'i', 'l', 'esc'].map((k) => h('li', {}, h('kbd', {}, t(`key.${k}`)), ' ', t(`key.${k}.help`)))));
  root.append(h('div', { class: 'title-row' }, pageTitle(t('queue.title')), live,
    h('a', { class: 'button', href: '#/call' }, t('nav.phone_call'))), filters, help, tableBox);

  let rows = [];
  let selected = 0;
  let flash = new Set();

  function value(name) { return filters.elements[name].value; }

  const LIMIT = 200;
  let full = false;  // the last load filled the page: tickets due after the last row are not shown

  function assigneeFilter() {
    return value('assignee') === 'me' ? String(state.me.user.id) : value('assignee');
  }

  async function load() {
    const search = value('q').trim();
    const limit = search ? 50 : LIMIT;  // a search: the best 50
    const q = new URLSearchParams({ limit: String(limit) });
    if (search) q.set('q', search);
    if (value('org')) q.set('org', value('org'));
    if (value('criticality')) q.set('criticality', value('criticality'));
    // A search looks through closed tickets too unless a status is chosen.
    if (value('status') !== 'all' && (value('status') || !search)) q.set('status', value('status') || 'active');
    if (value('assignee')) q.set('assignee', assigneeFilter());
    if (value('breached')) q.set('breached', value('breached'));
    try {
      const r = await api('GET', `/api/v1/tickets?${q}`);
      full = r.tickets.length >= limit;
      rows = r.tickets.filter(matches);
      render();
    } catch (e) {
      if (e.field === 'q') clear(tableBox).append(h('div', { class: 'error', role: 'alert' }, h('strong', {}, searchErrorText(e))));
      else showError(tableBox, e);
    }
  }

  // Whether `tk` belongs in the queue as the filters stand (the server's filters, plus the
  // environment, which the page filters itself).
  function matches(tk) {
    const status = value('status');
    if (status === '' && !value('q').trim() && !ACTIVE.has(tk.status)) return false;
    if (status && status !== 'all' && tk.status !== status) return false;
    if (value('org') && tk.org !== value('org')) return false;
    if (value('criticality') && tk.criticality !== value('criticality')) return false;
    const who = assigneeFilter();
    if (who === 'none' && tk.assignee) return false;
    if (who && who !== 'none' && (!tk.assignee || String(tk.assignee.id) !== who)) return false;
    if (value('breached') && String(tk.breached) !== value('breached')) return false;
    if (value('environment') && tk.environment !== value('environment')) return false;
    return true;
  }

  // Ticket `number` changed: read it alone. Returns true when its row was patched or the change
  // does not touch this page, false when the page must be read again (the change may move the
  // ticket, add it or drop it).
  async function patch(number) {
    let tk = null;
    try {
      tk = await api('GET', `/api/v1/tickets/${number}`);
    } catch {
      tk = null;  // no longer visible to us
    }
    const i = rows.findIndex((r) => r.number === number);
    if (value('q').trim()) {
      // Search results are ranked, not sorted by due: patch a row shown (keeping its snippet),
      // never add one (the agent searches again to see new matches).
      if (i < 0) return true;
      if (!tk || !matches(tk)) return false;
      rows[i] = { ...tk, snippet: rows[i].snippet };
      return true;
    }
    if (i < 0) {
      const last = rows[rows.length - 1];
      const fits = !full || !last || Date.parse(tk && tk.response_due) <= Date.parse(last.response_due);
      return !(tk && matches(tk) && fits);
    }
    if (!tk || !matches(tk) || tk.response_due !== rows[i].response_due) return false;
    rows[i] = tk;
    return true;
  }

  // Changes heard are handled together, at most once every GAP ms: a few are patched one by
  // one; a burst (more than FEW) or a resync reads the page once. So a console's reads follow
  // what it can show, not how many tickets change each second.
  const GAP = 2000;
  const FEW = 10;
  let pending = new Set();
  let resync = false;
  let timerFlush = null;
  let lastFlush = 0;
  function changed(ev) {
    if (ev.resync || !ev.number) resync = true;
    else pending.add(ev.number);
    arm();
  }
  function arm() {
    if (timerFlush) return;
    timerFlush = setTimeout(flush, Math.max(0, lastFlush + GAP - Date.now()));
  }
  async function flush() {
    const numbers = [...pending];
    const reread = resync || numbers.length > FEW;
    pending = new Set();
    resync = false;
    lastFlush = Date.now();
    try {
      let fine = !reread;
      for (const n of reread ? [] : numbers) fine = (await patch(n)) && fine;
      if (fine) render();
      else await load();
    } finally {
      timerFlush = null;
      if (pending.size || resync) arm();
    }
  }

  function render() {
    clear(tableBox);
    if (!rows.length) { tableBox.append(h('p', { class: 'empty' }, t(value('q').trim() ? 'search.none' : 'queue.empty'))); return; }
    if (selected >= rows.length) selected = rows.length - 1;
    tableBox.append(h('table', { class: 'tickets queue' },
      h('caption', { class: 'sr-only' }, t('queue.title')),
      h('thead', {}, h('tr', {}, ['col.due_in', 'col.number', 'col.subject', 'col.org', 'col.criticality', 'col.status', 'col.environment', 'col.assignee'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, rows.map((tk, i) => {
        const st = dueState(tk);
        return h('tr', { class: `row-${st}${i === selected ? ' selected' : ''}${flash.has(tk.number) ? ' flash' : ''}`, 'data-number': String(tk.number), 'aria-selected': i === selected ? 'true' : 'false' },
          h('td', { 'data-label': t('col.due_in'), class: 'due-cell' }, h('span', { class: `due due-${st}`, 'data-due': tk.response_due }, remaining(tk)),
            h('span', { class: 'due-at' }, formatTime(tk.response_due, tk.zone)), h('span', { class: 'sr-only' }, t(`due.${st}`))),
          h('td', { 'data-label': t('col.number') }, h('a', { href: `#/t/${tk.number}` }, `#${tk.number}`)),
          h('td', { 'data-label': t('col.subject') }, h('div', { class: 'subject-cell' }, h('a', { href: `#/t/${tk.number}` }, tk.subject), snippetNode(tk.snippet))),
          h('td', { 'data-label': t('col.org') }, tk.org_name),
          h('td', { 'data-label': t('col.criticality') }, criticalityBadge(tk.criticality)),
          h('td', { 'data-label': t('col.status') }, statusBadge(tk.status)),
          h('td', { 'data-label': t('col.environment') }, tk.environment ? t(`env.${tk.environment}`) : '—'),
          h('td', { 'data-label': t('col.assignee') }, tk.assignee ? tk.assignee.name : t('ticket.unassigned')));
      }))));
    flash = new Set();
  }

  function tick() {
    for (const el of tableBox.querySelectorAll('.due[data-due]')) {
      const tk = rows.find((r) => r.response_due === el.getAttribute('data-due'));
      if (tk) el.textContent = remaining(tk);
    }
  }

  await load();
  const timer = setInterval(tick, 15000);
  const refresh = setInterval(load, 60000);  // the share of the target used moves with business time
  const alerts = alertsPanel();
  root.append(alerts.node);
  const stop = onTicketChange((ev) => {
    if (ev.what === 'alert') return;  // widgets/alerts.js reads it; the queue did not change
    if (ev.number) flash.add(ev.number);
    if (ev.what === 'created') toast(t('queue.new_ticket', { number: ev.number }));
    changed(ev);
  }, (ok) => { live.textContent = t(ok ? 'queue.live' : 'queue.reconnecting'); live.className = ok ? 'live on' : 'live off'; });

  const onKey = (e) => {
    if (e.target.matches('input, textarea, select, a, button, summary') || e.ctrlKey || e.metaKey || e.altKey) {
      if (e.key === 'Escape') e.target.blur();
      return;
    }
    if (e.key === 'j' || e.key === 'ArrowDown') { selected = Math.min(rows.length - 1, selected + 1); render(); e.preventDefault(); }
    else if (e.key === 'k' || e.key === 'ArrowUp') { selected = Math.max(0, selected - 1); render(); e.preventDefault(); }
    else if (e.key === 'Enter' && rows[selected]) { location.hash = `#/t/${rows[selected].number}`; }
    else if (e.key === '/') { e.preventDefault(); filters.elements.q.focus(); }
    else if (e.key === 'c') { location.hash = '#/call'; }
    else return;
    const sel = tableBox.querySelector('tr.selected');
    if (sel) sel.scrollIntoView({ block: 'nearest' });
  };
  document.addEventListener('keydown', onKey);
  return { node: root, leave: () => { clearTimeout(timerFlush); clearInterval(timer); clearInterval(refresh); stop(); alerts.leave(); document.removeEventListener('keydown', onKey); } };
}

// "Log a phone call": a ticket on the phone channel, received when the call came in.
export async function phoneCallPage() {
  const orgs = await api('GET', '/api/v1/orgs');
  const form = h('form', { class: 'card wide', novalidate: true });
  const err = h('div', { 'aria-live': 'assertive' });
  const orgSel = h('select', { id: 'call-org', required: true }, h('option', { value: '' }, t('call.pick_org')), orgs.orgs.map((o) => h('option', { value: o.slug }, o.name)));
  const requester = h('select', { id: 'call-requester' }, h('option', { value: '' }, t('call.pick_org_first')));
  const contractSel = h('select', { id: 'call-contract' });
  orgSel.addEventListener('change', async () => {
    clear(requester); clear(contractSel);
    if (!orgSel.value) return;
    try {
      const [us, cs] = await Promise.all([api('GET', `/api/v1/users?org=${encodeURIComponent(orgSel.value)}`), api('GET', `/api/v1/orgs/${encodeURIComponent(orgSel.value)}/contracts`)]);
      append(requester, [h('option', { value: '' }, t('call.requester_me')), us.users.filter((u) => u.role === 'customer').map((u) => h('option', { value: u.email }, `${u.name} <${u.email}>`))]);
      append(contractSel, [h('option', { value: '' }, t('call.contract_auto')), cs.contracts.map((c) => h('option', { value: String(c.id) }, `${t(`modality.${c.modality}`)} (${c.channels.map((ch) => t(`channel.${ch}`)).join(', ')})`))]);
    } catch (e) { showError(err, e); }
  });
  const typeSel = h('select', { id: 'call-type' }, ['incident', 'request'].map((v) => h('option', { value: v }, t(`type.${v}`))));
  const critSel = h('select', { id: 'call-crit' }, CRITICALITIES.map((c) => h('option', { value: c }, `${t(`criticality.${c}`)} — ${t(`criticality.${c}.short`)}`)));
  const envSel = h('select', { id: 'call-env' }, h('option', { value: '' }, t('env.none')), ENVIRONMENTS.map((v) => h('option', { value: v }, t(`env.${v}`))));
  const received = h('input', { type: 'datetime-local', id: 'call-at', required: true });
  const now = new Date(Date.now() - new Date().getTimezoneOffset() * 60000);
  received.value = now.toISOString().slice(0, 16);
  const subject = h('input', { type: 'text', id: 'call-subject', maxlength: '300', required: true });
  const notes = h('textarea', { id: 'call-notes', rows: '6' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('call.save'));
  form.append(pageTitle(t('call.title')), h('p', { class: 'lead' }, t('call.lead')),
    field(t('call.org'), orgSel), field(t('call.requester'), requester), field(t('call.contract'), contractSel),
    field(t('call.received'), received, t('call.received_hint')),
    field(t('new.type'), typeSel), field(t('new.criticality'), critSel), field(t('new.environment'), envSel),
    field(t('new.subject'), subject), field(t('call.notes'), notes), err,
    h('div', { class: 'actions' }, submit, h('a', { href: '#/queue' }, t('common.cancel'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!orgSel.value || !subject.value.trim() || !received.value) {
      err.replaceChildren(h('div', { class: 'error', role: 'alert' }, t('call.missing')));
      return;
    }
    const body = {
      org: orgSel.value, channel: 'phone', type: typeSel.value, criticality: critSel.value,
      subject: subject.value.trim(), description: notes.value, received_at: new Date(received.value).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    if (envSel.value) body.environment = envSel.value;
    if (requester.value) body.requester = requester.value;
    if (contractSel.value) body.contract = Number(contractSel.value);
    busy(submit, err, async () => {
      const tk = await api('POST', '/api/v1/tickets', body);
      toast(t('call.saved', { number: tk.number }));
      location.hash = `#/t/${tk.number}`;
    });
  });
  return { node: form };
}
