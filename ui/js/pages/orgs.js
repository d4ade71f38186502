// The organisations directory for staff (#/orgs, issue 19): find a customer by name or slug,
// by contract or by what its profile still lacks (the protocol's four kinds of information:
// environments, versions, contacts, remote access), with its open tickets; each row opens the
// customer's profile and its tickets in the queue. Pages with "Show more" (next_cursor).
import { h, field, clear } from '../dom.js';
import { t, tn } from '../i18n.js';
import { api } from '../api.js';
import { pageTitle, loading, errorBox } from '../ui.js';

const AREAS = ['environments', 'versions', 'contacts', 'remote_access'];
const PAGE = 50;

// `name` is the API's query parameter the select sets (contract, missing).
function select(id, name, label, options, value) {
  return field(label, h('select', { id, name },
    options.map(([v, text]) => h('option', { value: v, selected: v === (value || '') }, text))));
}

function row(o) {
  const enc = encodeURIComponent(o.slug);
  return h('tr', { 'data-slug': o.slug },
    h('td', { 'data-label': t('orgs.col.name') }, h('div', { class: 'subject-cell' },
      h('a', { href: `#/profile/${enc}` }, o.name), h('span', { class: 'meta' }, o.slug))),
    h('td', { 'data-label': t('orgs.col.contract') }, o.contracts.length
      ? o.contracts.map((m) => h('span', { class: 'badge' }, t(`modality.${m}`))) : h('span', { class: 'meta' }, t('orgs.no_contract'))),
    h('td', { 'data-label': t('orgs.col.profile') }, o.missing.length
      ? h('span', {}, h('span', { class: 'sr-only' }, `${t('orgs.missing')} `), o.missing.map((a) => h('span', { class: 'badge missing-area' }, t(`orgs.area.${a}`))))
      : h('span', { class: 'badge complete' }, t('orgs.complete'))),
    h('td', { 'data-label': t('orgs.col.open') }, o.open_tickets
      ? h('a', { href: `#/queue?org=${enc}` }, tn('orgs.open_n', o.open_tickets, { n: o.open_tickets })) : h('span', { class: 'meta' }, t('orgs.open_none'))));
}

export async function orgsPage(params) {
  const q = h('input', { type: 'search', id: 'orgs-q', name: 'q', value: params.get('q') || '', maxlength: '100', autocomplete: 'off' });
  const contract = select('orgs-contract', 'contract', t('orgs.filter.contract'), [['', t('filter.any')], ['24x7', t('modality.24x7')], ['8x5', t('modality.8x5')], ['none', t('orgs.no_contract')]], params.get('contract'));
  const missing = select('orgs-missing', 'missing', t('orgs.filter.missing'), [['', t('filter.any')], ...AREAS.map((a) => [a, t(`orgs.area.${a}`)])], params.get('missing'));
  const form = h('form', { class: 'filters', role: 'search' },
    h('div', { class: 'field search-field' }, h('label', { for: 'orgs-q' }, t('orgs.search')), q, h('p', { class: 'hint' }, t('orgs.search_hint'))),
    contract, missing,
    h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, t('orgs.find'))));
  const body = h('tbody', {});
  const status = h('p', { class: 'meta', role: 'status', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', id: 'orgs-more', hidden: true }, t('orgs.more'));
  const results = h('div', { class: 'table-wrap' });
  let cursor = null;
  let shown = 0;

  const query = () => {
    const p = new URLSearchParams();
    if (q.value.trim()) p.set('q', q.value.trim());
    for (const s of [form.querySelector('#orgs-contract'), form.querySelector('#orgs-missing')]) if (s.value) p.set(s.name, s.value);
    return p;
  };
  const load = async (append) => {
    const p = query();
    p.set('limit', String(PAGE));
    if (append && cursor) p.set('cursor', cursor);
    const page = await api('GET', `/api/v1/orgs?${p}`);
    if (!append) { clear(body); shown = 0; }
    for (const o of page.orgs) body.append(row(o));
    shown += page.orgs.length;
    cursor = page.next_cursor;
    more.hidden = !cursor;
    clear(results);
    results.append(shown ? h('table', { class: 'tickets orgs' },
      h('caption', { class: 'sr-only' }, t('orgs.title')),
      h('thead', {}, h('tr', {}, ['orgs.col.name', 'orgs.col.contract', 'orgs.col.profile', 'orgs.col.open'].map((k) => h('th', { scope: 'col' }, t(k))))),
      body) : h('p', { class: 'empty' }, t('orgs.none')));
    status.textContent = shown ? tn('orgs.count', shown, { n: shown }) : '';
  };
  const run = (append) => load(append).catch((e) => { clear(results); results.append(errorBox(e)); });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = query().toString();
    history.replaceState(null, '', `#/orgs${p ? `?${p}` : ''}`);
    cursor = null;
    run(false);
  });
  more.onclick = () => run(true);
  const root = h('div', { class: 'orgs-page' }, pageTitle(t('orgs.title')), h('p', { class: 'lead' }, t('orgs.lead')), form, status, results, more);
  results.append(loading());
  await load(false);
  return { node: root };
}
