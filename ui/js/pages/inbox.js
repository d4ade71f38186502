// The email desk (staff): inbound mail the intake kept because it could not place it (unknown
// senders, unmatched bounces, refused tickets), to assign to a new ticket, attach to an existing
// one, or set aside as spam/discarded with a reason; and outgoing mail that could not be
// delivered, to try again. Routes: #/inbox, #/inbox/ID, #/inbox/failed.
import { h, field, clear, formatBytes } from '../dom.js';
import { t, formatTime } from '../i18n.js';
import { api } from '../api.js';
import { pageTitle, showError, busy, toast } from '../ui.js';
import { outboxNotice } from '../widgets/outbox.js';

const STATUSES = ['open', 'assigned', 'attached', 'spam', 'discarded', 'all'];
const CRITICALITIES = ['normal', 'important', 'critical'];

function tabs(active) {
  const items = [['messages', '#/inbox'], ['failed', '#/inbox/failed']];
  return h('nav', { class: 'tabs', 'aria-label': t('inbox.sections') },
    items.map(([k, href]) => h('a', { href, 'aria-current': k === active ? 'page' : null }, t(`inbox.tab_${k}`))));
}

function reasonText(reason) {
  const known = ['unknown_sender', 'bounce', 'staff_sender', 'automatic'];
  const key = known.find((k) => reason === k);
  if (key) return t(`inbox.reason_${key}`);
  return reason.replace(/^(ticket_refused|reply_refused|unverified): /, (m, kind) => `${t(`inbox.reason_${kind}`)}: `);
}

function statusText(s) { return t(`inbox.status_${s}`); }

function ticketLink(number) {
  return number ? h('a', { href: `#/t/${number}` }, `#${number}`) : '—';
}

// Each first message followed by its follow-ups (`follows` names the first), in the order given.
function withFollowUps(messages) {
  const firsts = new Set(messages.map((m) => m.id));
  const byFirst = new Map();
  for (const m of messages) {
    if (m.follows && firsts.has(m.follows)) {
      if (!byFirst.has(m.follows)) byFirst.set(m.follows, []);
      byFirst.get(m.follows).push(m);
    }
  }
  const out = [];
  for (const m of messages) {
    if (m.follows && firsts.has(m.follows)) continue;
    out.push(m, ...(byFirst.get(m.id) || []));
  }
  return out;
}

function subjectCell(m) {
  const link = h('a', { href: `#/inbox/${m.id}` }, m.subject);
  if (!m.follows) return link;
  return h('span', { class: 'follow-up' }, h('span', { class: 'hint' }, `↳ ${t('inbox.follows', { id: m.follows })} · `), link);
}

async function listPage(params) {
  const status = STATUSES.includes(params.get('status')) ? params.get('status') : 'open';
  const r = await api('GET', `/api/v1/inbound?status=${encodeURIComponent(status)}`);
  const filter = h('select', { id: 'inbox-status', name: 'status' },
    STATUSES.map((s) => h('option', { value: s, selected: s === status }, statusText(s))));
  filter.addEventListener('change', () => { location.hash = `#/inbox?status=${filter.value}`; });
  const body = !r.messages.length
    ? h('p', { class: 'empty' }, t(status === 'open' ? 'inbox.empty_open' : 'inbox.empty'))
    : h('table', { class: 'tickets inbox' },
      h('thead', {}, h('tr', {}, ['inbox.received', 'inbox.from', 'inbox.subject', 'inbox.reason', 'inbox.status', 'inbox.ticket']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, withFollowUps(r.messages).map((m) => h('tr', { class: m.follows ? 'follow-up' : null },
        h('td', { 'data-label': t('inbox.received') }, formatTime(m.received_at)),
        h('td', { 'data-label': t('inbox.from') }, m.from || '—'),
        h('td', { 'data-label': t('inbox.subject') }, subjectCell(m)),
        h('td', { 'data-label': t('inbox.reason') }, reasonText(m.reason)),
        h('td', { 'data-label': t('inbox.status') }, statusText(m.status)),
        h('td', { 'data-label': t('inbox.ticket') }, ticketLink(m.ticket))))));
  return { node: h('div', { class: 'inbox-page' }, pageTitle(t('inbox.title')), tabs('messages'),
    h('p', { class: 'hint' }, t('inbox.intro')),
    h('form', { class: 'filters', 'aria-label': t('inbox.filters'), onsubmit: (e) => e.preventDefault() },
      field(t('inbox.status'), filter)),
    body) };
}

function assignForm(m, orgs, onDone) {
  const org = h('select', { required: true },
    h('option', { value: '' }, t('inbox.choose_org')), orgs.map((o) => h('option', { value: o.slug }, o.name)));
  const email = h('input', { type: 'email', required: true, value: m.from, autocomplete: 'off' });
  const name = h('input', { type: 'text', maxlength: '200' });
  const crit = h('select', {}, CRITICALITIES.map((c) => h('option', { value: c }, t(`criticality.${c}`))));
  const subject = h('input', { type: 'text', maxlength: '300', value: m.subject });
  const err = h('div');
  const submit = h('button', { type: 'submit', class: 'primary' }, t('inbox.assign'));
  const form = h('form', { class: 'card', id: 'assign-form' }, h('h2', {}, t('inbox.assign_title')),
    h('p', { class: 'hint' }, t('inbox.assign_hint')),
    field(t('inbox.org'), org), field(t('inbox.requester'), email),
    field(t('inbox.new_customer_name'), name, t('inbox.new_customer_hint')),
    field(t('inbox.criticality'), crit), field(t('inbox.subject'), subject), err,
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, err, async () => {
      const body = { action: 'assign', org: org.value, requester_email: email.value.trim(), criticality: crit.value,
        subject: subject.value.trim() };
      if (name.value.trim()) body.create_name = name.value.trim();
      const r = await api('POST', `/api/v1/inbound/${m.id}/actions`, body);
      toast(t('inbox.assigned_toast', { number: r.ticket }));
      onDone(r);
    });
  });
  return form;
}

function attachForm(m, onDone) {
  const number = h('input', { type: 'number', min: '1', required: true, inputmode: 'numeric' });
  const err = h('div');
  const submit = h('button', { type: 'submit' }, t('inbox.attach'));
  const form = h('form', { class: 'card', id: 'attach-form' }, h('h2', {}, t('inbox.attach_title')),
    h('p', { class: 'hint' }, t('inbox.attach_hint')), field(t('inbox.ticket_number'), number), err,
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, err, async () => {
      const r = await api('POST', `/api/v1/inbound/${m.id}/actions`, { action: 'attach', ticket: Number(number.value) });
      toast(t('inbox.attached_toast', { number: r.ticket }));
      onDone(r);
    });
  });
  return form;
}

function dismissForm(m, onDone) {
  const reason = h('input', { type: 'text', required: true, maxlength: '500' });
  const err = h('div');
  const spam = h('button', { type: 'submit', value: 'spam' }, t('inbox.mark_spam'));
  const discard = h('button', { type: 'submit', value: 'discard' }, t('inbox.discard'));
  const form = h('form', { class: 'card', id: 'dismiss-form' }, h('h2', {}, t('inbox.dismiss_title')),
    h('p', { class: 'hint' }, t('inbox.dismiss_hint')), field(t('inbox.dismiss_reason'), reason), err,
    h('div', { class: 'actions' }, spam, discard));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const action = e.submitter && e.submitter.value === 'discard' ? 'discard' : 'spam';
    busy(e.submitter || spam, err, async () => {
      const r = await api('POST', `/api/v1/inbound/${m.id}/actions`, { action, reason: reason.value.trim() });
      toast(t('inbox.dismissed_toast'));
      onDone(r);
    });
  });
  return form;
}

function detailView(m, orgs, rerender) {
  const dl = (k, v) => [h('dt', {}, t(k)), h('dd', {}, v)];
  const files = m.attachments.length
    ? h('ul', { class: 'files' }, m.attachments.map((a) => h('li', {},
      h('a', { href: `/api/v1/inbound/${m.id}/files/${a.index}`, download: a.filename }, a.filename),
      ` · ${a.content_type} · ${formatBytes(a.size)}`, a.inline ? ` · ${t('inbox.inline')}` : '')))
    : h('p', { class: 'empty' }, t('inbox.no_files'));
  const decided = m.status !== 'open'
    ? h('div', { class: 'card decided', role: 'status' },
      h('p', {}, t('inbox.decided', { status: statusText(m.status), who: m.resolved_by || t('history.system'),
        at: formatTime(m.resolved_at) })),
      m.resolution_note ? h('p', {}, t('inbox.decided_reason', { reason: m.resolution_note })) : null,
      m.ticket ? h('p', {}, t('inbox.decided_ticket'), ' ', ticketLink(m.ticket)) : null)
    : null;
  const done = () => rerender();
  return h('div', { class: 'inbox-detail' },
    pageTitle(m.subject), tabs('messages'),
    h('p', {}, h('a', { href: '#/inbox' }, t('inbox.back'))),
    h('dl', { class: 'facts' },
      dl('inbox.from', m.from || '—'), dl('inbox.received', formatTime(m.received_at)),
      dl('inbox.reason', reasonText(m.reason)), dl('inbox.status', statusText(m.status)),
      m.language ? dl('inbox.language', t(`lang.${m.language}`)) : null),
    h('h2', {}, t('inbox.text')),
    h('div', { class: 'mail-text body' }, m.text || t('inbox.no_text')),
    h('h2', {}, t('inbox.files')), files,
    m.raw_size > 0 ? h('p', {}, h('a', { href: `/api/v1/inbound/${m.id}/raw` }, t('inbox.raw', { size: formatBytes(m.raw_size) }))) : null,
    decided,
    m.status === 'open' ? h('div', { class: 'inbox-actions' },
      assignForm(m, orgs, (r) => { location.hash = `#/t/${r.ticket}`; }),
      attachForm(m, done), dismissForm(m, done)) : null);
}

async function detailPage(id) {
  const [m, orgs] = await Promise.all([api('GET', `/api/v1/inbound/${encodeURIComponent(id)}`), api('GET', '/api/v1/orgs')]);
  const root = h('div');
  const render = async () => {
    try {
      const fresh = await api('GET', `/api/v1/inbound/${encodeURIComponent(id)}`);
      clear(root);
      root.append(detailView(fresh, orgs.orgs, render));
    } catch (e) { showError(root, e); }
  };
  root.append(detailView(m, orgs.orgs, render));
  return { node: root };
}

async function failedPage() {
  const root = h('div', { class: 'inbox-page' });
  const list = h('div');
  const load = async () => {
    try {
      const r = await api('GET', '/api/v1/outbox/failed');
      clear(list);
      if (!r.mail.length) { list.append(h('p', { class: 'empty' }, t('inbox.no_failed'))); return; }
      list.append(h('table', { class: 'tickets' },
        h('thead', {}, h('tr', {}, ['inbox.failed_at', 'inbox.to', 'inbox.subject', 'inbox.error', 'inbox.ticket', 'inbox.action']
          .map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, r.mail.map((m) => {
          const retry = h('button', { type: 'button' }, t('inbox.retry'));
          retry.addEventListener('click', () => busy(retry, null, async () => {
            await api('POST', `/api/v1/outbox/${m.id}/retry`);
            toast(t('inbox.retried_toast', { to: m.to }));
            await load();
          }));
          return h('tr', {},
            h('td', { 'data-label': t('inbox.failed_at') }, formatTime(m.failed_at)),
            h('td', { 'data-label': t('inbox.to') }, m.to),
            h('td', { 'data-label': t('inbox.subject') }, m.subject),
            h('td', { 'data-label': t('inbox.error') }, m.last_error),
            h('td', { 'data-label': t('inbox.ticket') }, ticketLink(m.ticket)),
            h('td', { 'data-label': t('inbox.action') }, retry));
        }))));
    } catch (e) { showError(list, e); }
  };
  await load();
  root.append(pageTitle(t('inbox.failed_title')), tabs('failed'), outboxNotice(),
    h('p', { class: 'hint' }, t('inbox.failed_intro')), list);
  return { node: root };
}

// The page for #/inbox/... (`parts` after "inbox").
export function inboxPage(parts, params) {
  if (parts[0] === 'failed') return failedPage();
  if (parts[0]) return detailPage(parts[0]);
  return listPage(params);
}

