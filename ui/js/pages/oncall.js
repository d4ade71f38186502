// Guardia (#/oncall, staff): who is on call now and whether the desk is staffed, the next two
// weeks of each rota, and the open pages with their gateway state (a failing page command shows
// its last error) and an Acknowledge button. Also the acknowledge link's page (#/ack?token=…,
// no login): it shows only the ticket's number, subject and criticality and acknowledges only
// when the button is pressed (a POST), so a link preview or mail scanner acknowledges nothing.
import { h } from '../dom.js';
import { t, formatTime } from '../i18n.js';
import { api } from '../api.js';
import { pageTitle, busy, criticalityBadge, showError } from '../ui.js';

function person(p) { return p ? p.name : t('oncall.nobody'); }

function nowCard(now) {
  const rows = now.rotas.map((r) => h('li', { class: 'oncall-rota' },
    h('strong', {}, r.rota.name), ' — ',
    t('oncall.primary', { who: person(r.primary) }), ' · ',
    t('oncall.secondary', { who: person(r.secondary) }), ' ',
    h('span', { class: 'meta' }, t('oncall.until', { at: formatTime(r.until, r.rota.zone) }))));
  return h('section', { class: 'card', id: 'oncall-now' },
    h('h2', {}, t('oncall.now_title')),
    h('p', { class: now.staffed ? 'staffed' : 'out-of-hours' },
      t(now.staffed ? 'oncall.staffed' : 'oncall.out_of_hours')),
    rows.length ? h('ul', {}, rows) : h('p', {}, t('oncall.no_rota')),
    h('p', { class: 'meta' }, t('oncall.supervisors', {
      who: now.supervisors.length ? now.supervisors.map((s) => s.name).join(', ') : t('oncall.nobody') })));
}

function scheduleTable(s) {
  const zone = s.rota.zone;
  const rows = s.stretches.filter((x) => x.primary || x.secondary).map((x) => h('tr', {},
    h('td', { 'data-label': t('oncall.col.from') }, formatTime(x.from, zone)),
    h('td', { 'data-label': t('oncall.col.until') }, formatTime(x.until, zone)),
    h('td', { 'data-label': t('oncall.col.primary') }, person(x.primary),
      x.overridden ? h('span', { class: 'badge' }, t('oncall.override')) : null),
    h('td', { 'data-label': t('oncall.col.secondary') }, person(x.secondary))));
  return h('section', { class: 'card oncall-schedule' },
    h('h2', {}, t('oncall.schedule_title', { name: s.rota.name, zone })),
    rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'tickets' },
      h('thead', {}, h('tr', {}, ['from', 'until', 'primary', 'secondary'].map((c) => h('th', {}, t(`oncall.col.${c}`))))),
      h('tbody', {}, rows))) : h('p', {}, t('oncall.no_shifts')));
}

function pagesCard(pages, reload) {
  const items = pages.map((p) => {
    const err = h('div', { 'aria-live': 'polite' });
    const ack = h('button', { type: 'button', class: 'primary', 'data-page': String(p.id) }, t('oncall.ack'));
    ack.addEventListener('click', () => busy(ack, err, async () => {
      await api('POST', `/api/v1/oncall/pages/${p.id}/ack?via=console`);
      await reload();
    }));
    return h('li', { class: 'page-item' },
      h('a', { href: `#/t/${p.ticket.number}` }, `#${p.ticket.number}`), ' ', p.ticket.subject, ' ',
      criticalityBadge(p.ticket.criticality), ' ',
      h('span', { class: 'meta' }, t(`oncall.reason.${p.reason}`), ' · ',
        t('oncall.paged', { who: p.paged.join(', '), level: t(`oncall.level.${p.level}`) })),
      p.last_error ? h('div', { class: 'error', role: 'status' }, t('oncall.gateway_failed', { error: p.last_error })) : null,
      ack, err);
  });
  return h('section', { class: 'card', id: 'oncall-pages' },
    h('h2', {}, t('oncall.pages_title')),
    items.length ? h('ul', {}, items) : h('p', {}, t('oncall.no_pages')));
}

export async function onCallPage() {
  const node = h('div', { class: 'oncall' });
  async function load() {
    const [now, rotas, pages] = await Promise.all([
      api('GET', '/api/v1/oncall/now'), api('GET', '/api/v1/oncall/rotas'), api('GET', '/api/v1/oncall/pages')]);
    const schedules = await Promise.all(rotas.rotas.map((r) => api('GET', `/api/v1/oncall/rotas/${r.id}/schedule?days=14`)));
    node.replaceChildren(pageTitle(t('oncall.title')), nowCard(now), pagesCard(pages.pages, load),
      ...schedules.map(scheduleTable));
  }
  await load();
  return { node };
}

export async function ackPage(params) {
  const token = params.get('token') || '';
  const err = h('div', { 'aria-live': 'assertive' });
  const card = h('div', { class: 'card narrow', id: 'ack' }, pageTitle(t('ack.title')), err);
  if (!token) { err.append(h('div', { class: 'error', role: 'alert' }, t('ack.invalid'))); return { node: card }; }
  let view;
  try {
    view = await api('POST', '/api/v1/page-links/view', { token });
  } catch (e) {
    if (e.code === 'failed_precondition') err.append(h('div', { class: 'error', role: 'alert' }, t('ack.invalid')));
    else showError(err, e);
    return { node: card };
  }
  const what = h('p', {}, t('ack.ticket', { number: view.number, subject: view.subject }), ' ',
    criticalityBadge(view.criticality));
  const done = h('p', { class: 'ok', role: 'status' }, t('ack.done'));
  if (view.acknowledged) { card.append(what, h('p', {}, t('ack.already'))); return { node: card }; }
  const button = h('button', { type: 'button', class: 'primary', id: 'ack-confirm' }, t('ack.confirm'));
  button.addEventListener('click', () => busy(button, err, async () => {
    try {
      await api('POST', '/api/v1/page-links/ack', { token });
      button.replaceWith(done);
    } catch (e) {
      if (e.code === 'failed_precondition') err.replaceChildren(h('div', { class: 'error', role: 'alert' }, t('ack.invalid')));
      else throw e;
    }
  }));
  card.append(what, h('p', {}, t('ack.lead')), h('div', { class: 'actions' }, button));
  return { node: card };
}
