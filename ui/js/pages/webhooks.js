// Administración › Webhooks (admins only): subscribe a URL to event types with a shared secret
// (write-only: never shown again), list the subscriptions with how their deliveries stand, open
// one subscription's deliveries (state, attempts, last answer, next attempt), retry a failed one,
// delete a subscription. Errors the server names by field (url, events, secret) are shown in the
// catalog's words, never the server's English (docs/api.md, "Webhooks").
import { h, field, clear } from '../dom.js';
import { t, formatTime } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { pageTitle, busy, toast, errorBox } from '../ui.js';
import { adminTabs } from '../widgets/admin.js';

const EVENTS = ['ticket.created', 'ticket.updated', 'ticket.message', 'sla.warning', 'sla.breached',
  'page.sent', 'page.acknowledged', 'page.escalated'];
const FIELDS = ['url', 'events', 'secret'];

// The field a 400 names (its message starts with it), or '' when none of ours.
function faultyField(err) {
  if (!(err instanceof ApiError) || err.code !== 'invalid_argument') return '';
  const first = err.field.split(/[.[]/)[0];
  return FIELDS.includes(first) ? first : '';
}

function showFault(box, err) {
  clear(box);
  const f = faultyField(err);
  if (f) box.append(h('div', { class: 'error', role: 'alert', 'data-field': f }, h('strong', {}, t(`webhooks.error.${f}`))));
  else box.append(errorBox(err));
}

function eventText(e) { return t(`webhooks.event.${e}`); }

function resultText(d) {
  if (d.last_status) return t('webhooks.http', { status: d.last_status });
  if (d.last_error) return t('webhooks.no_answer');
  return t('webhooks.none');
}

function deliveryRow(d, reload) {
  const action = [];
  if (d.state === 'failed') {
    const retry = h('button', { type: 'button', class: 'retry' }, t('webhooks.retry'));
    const err = h('div', { 'aria-live': 'assertive' });
    retry.addEventListener('click', () => busy(retry, err, async () => {
      await api('POST', `/api/v1/webhook-deliveries/${d.id}/retry`);
      toast(t('webhooks.retried'));
      await reload();
    }));
    action.push(retry, err);
  }
  const result = h('span', { title: d.last_error || '' }, resultText(d));
  const cells = [
    ['webhooks.col.event', eventText(d.event)],
    ['webhooks.col.state', h('span', { class: `badge delivery-${d.state}` }, t(`webhooks.state.${d.state}`))],
    ['webhooks.col.attempts', String(d.attempts)],
    ['webhooks.col.result', result],
    ['webhooks.col.last', d.last_attempt_at ? formatTime(d.last_attempt_at) : t('webhooks.none')],
    ['webhooks.col.next', d.next_attempt_at ? formatTime(d.next_attempt_at) : t('webhooks.none')],
    ['webhooks.col.action', action.length ? h('div', {}, action) : t('webhooks.none')],
  ];
  return h('tr', { 'data-state': d.state, 'data-delivery': d.delivery_id },
    cells.map(([k, v]) => h('td', { 'data-label': t(k) }, v)));
}

// One subscription's deliveries, newest first, loaded on demand; each load also refreshes the
// subscription's counts (`onCounts`).
async function deliveriesTable(hook, onCounts) {
  const cols = ['event', 'state', 'attempts', 'result', 'last', 'next', 'action'];
  const body = h('tbody');
  const wrap = h('div', { class: 'table-wrap' }, h('table', { class: 'tickets deliveries' },
    h('caption', { class: 'sr-only' }, t('webhooks.deliveries', { url: hook.url })),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(`webhooks.col.${c}`))))), body));
  const empty = h('p', { class: 'empty', hidden: true }, t('webhooks.no_deliveries'));
  const load = async () => {
    const [r, fresh] = await Promise.all([api('GET', `/api/v1/webhooks/${hook.id}/deliveries?limit=50`),
      api('GET', `/api/v1/webhooks/${hook.id}`)]);
    onCounts(fresh.deliveries);
    clear(body);
    body.append(...r.deliveries.map((d) => deliveryRow(d, load)));
    empty.hidden = r.deliveries.length > 0;
    wrap.hidden = r.deliveries.length === 0;
  };
  await load();
  const refresh = h('button', { type: 'button' }, t('webhooks.refresh'));
  const err = h('div', { 'aria-live': 'assertive' });
  refresh.addEventListener('click', () => busy(refresh, err, load));
  return h('div', { class: 'deliveries-box' }, wrap, empty, h('div', { class: 'actions' }, refresh), err);
}

function hookCard(hook, reload) {
  const c = hook.deliveries;
  const del = h('button', { type: 'button', class: 'danger' }, t('webhooks.delete'));
  const toggle = h('button', { type: 'button', 'aria-expanded': 'false' }, t('webhooks.show_deliveries'));
  const err = h('div', { 'aria-live': 'assertive' });
  const slot = h('div');
  const counts = h('p', { class: 'webhook-counts' }, t('webhooks.counts', c));
  const setCounts = (n) => { counts.textContent = t('webhooks.counts', n); };
  del.addEventListener('click', () => {
    if (!window.confirm(t('webhooks.delete_confirm', { url: hook.url }))) return;
    busy(del, err, async () => {
      await api('DELETE', `/api/v1/webhooks/${hook.id}`);
      toast(t('webhooks.deleted'));
      await reload();
    });
  });
  toggle.addEventListener('click', () => busy(toggle, err, async () => {
    const open = toggle.getAttribute('aria-expanded') === 'true';
    clear(slot);
    if (!open) slot.append(await deliveriesTable(hook, setCounts));
    toggle.setAttribute('aria-expanded', open ? 'false' : 'true');
    toggle.textContent = t(open ? 'webhooks.show_deliveries' : 'webhooks.hide_deliveries');
  }));
  return h('section', { class: 'card webhook', 'data-id': String(hook.id) },
    h('h3', { class: 'webhook-url' }, h('code', {}, hook.url)),
    h('p', { class: 'webhook-events' }, hook.events.map(eventText).join(' · ')),
    counts,
    h('div', { class: 'actions' }, toggle, del), err, slot);
}

function subscribeForm(onDone) {
  const url = h('input', { type: 'url', id: 'webhook-url', required: true, placeholder: 'https://', autocomplete: 'off' });
  const events = h('fieldset', { class: 'choices' }, h('legend', {}, t('webhooks.events')),
    EVENTS.map((e) => {
      const id = `wh-${e.replace('.', '-')}`;
      return h('div', { class: 'choice' }, h('input', { type: 'checkbox', id, value: e }),
        h('label', { for: id }, eventText(e), ' ', h('code', {}, e)));
    }));
  const secret = h('input', { type: 'password', id: 'webhook-secret', required: true, minlength: '16', maxlength: '256', autocomplete: 'new-password' });
  const err = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('webhooks.subscribe'));
  const form = h('form', { class: 'card wide', novalidate: true }, h('h2', {}, t('webhooks.new')),
    field(t('webhooks.url'), url, t('webhooks.url_hint')), events,
    field(t('webhooks.secret'), secret, t('webhooks.secret_hint')), err, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, null, async () => {
      const chosen = [...events.querySelectorAll('input:checked')].map((i) => i.value);
      try {
        await api('POST', '/api/v1/webhooks', { url: url.value.trim(), events: chosen, secret: secret.value });
      } catch (e) {
        showFault(err, e);
        return;
      }
      clear(err);
      form.reset();
      toast(t('webhooks.subscribed'));
      await onDone();
    });
  });
  return form;
}

export async function webhooksPage() {
  const list = h('div', { class: 'webhook-list' });
  const load = async () => {
    const r = await api('GET', '/api/v1/webhooks');
    clear(list);
    if (r.webhooks.length === 0) list.append(h('p', { class: 'empty' }, t('webhooks.empty')));
    else list.append(...r.webhooks.map((w) => hookCard(w, load)));
  };
  await load();
  return {
    node: h('div', {}, pageTitle(t('webhooks.title')), adminTabs('webhooks'),
      h('p', { class: 'lead' }, t('webhooks.lead')), subscribeForm(load),
      h('h2', {}, t('webhooks.list')), list),
  };
}
