// Informes › Cumplimiento del ANS: an organisation's SLA compliance over a period (GET
// /api/v1/reports/sla) — compliance by month and by criticality drawn as SVG bar charts in the
// page (no outside service), the monthly figures as a table and a CSV download. Customers see
// their own organisation; staff choose one. Printable (app.css @media print) and phone-width.
import { h } from '../dom.js';
import { t, tn, currentLanguage, formatMinutes } from '../i18n.js';
import { api } from '../api.js';
import { state, isStaff, pageTitle, busy } from '../ui.js';

const SVG = 'http://www.w3.org/2000/svg';
const CRITICALITIES = ['normal', 'important', 'critical'];

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}

function locale() { return currentLanguage() === 'es' ? 'es-CO' : 'en-US'; }

// 0.875 → "87,5 %" (es) / "87.5%" (en); absent → "—".
function percent(share) {
  if (share === undefined || share === null) return '—';
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

// "2026-03" → "mar 2026" / "Mar 2026".
function monthLabel(ym) {
  const [y, m] = ym.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { month: 'short', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, 1))).replace(/\./g, '').replace(' de ', ' ');
}

function minutes(seconds) { return seconds === undefined ? '—' : formatMinutes(Math.round(seconds / 60)); }

// A bar chart of compliance shares: one bar per {label, share, n}; the y axis 0–100 %.
// Width follows the container (viewBox), so it fits a phone and a printed page.
function barChart(id, title, bars) {
  // Many bars (a year of months): labels turn 40° so they never overlap, even on a phone.
  const slanted = bars.length > 4;
  const W = 640, left = 76, right = 8, top = 24, bottom = slanted ? 96 : 64, H = 220 + bottom;
  const plotH = H - top - bottom;
  const slot = (W - left - right) / Math.max(bars.length, 1);
  const barW = Math.min(56, slot * 0.6);
  const y = (share) => top + plotH * (1 - share);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((g) => s('g', { class: 'grid' },
    s('line', { x1: left, x2: W - right, y1: y(g), y2: y(g) }),
    s('text', { x: left - 6, y: y(g) + 4, 'text-anchor': 'end' }, percent(g))));
  const cols = bars.map((b, i) => {
    const cx = left + slot * i + slot / 2;
    const has = b.share !== undefined && b.share !== null;
    const label = `${b.label}: ${has ? percent(b.share) : t('reports.no_data')}`;
    return s('g', { class: `bar${has && b.share < 0.9 ? ' low' : ''}`, 'data-label': b.label },
      s('title', {}, label),
      has ? s('rect', { x: cx - barW / 2, y: y(b.share), width: barW, height: Math.max(plotH * b.share, 1) }) : null,
      s('text', { class: 'value', x: cx, y: has ? y(b.share) - 4 : y(0) - 4, 'text-anchor': 'middle' },
        has ? percent(b.share) : '—'),
      slanted
        ? s('text', { class: 'label', x: cx, y: H - bottom + 20, 'text-anchor': 'end',
          transform: `rotate(-40 ${cx} ${H - bottom + 20})` }, b.label)
        : s('text', { class: 'label', x: cx, y: H - bottom + 22, 'text-anchor': 'middle' }, b.label),
      slanted ? null : s('text', { class: 'count', x: cx, y: H - bottom + 46, 'text-anchor': 'middle' },
        tn('reports.tickets_n', b.n)));
  });
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': `${id}-title`, class: 'chart', id },
    s('title', { id: `${id}-title` }, title), ...grid, ...cols);
  return h('figure', { class: 'chart-box' }, h('figcaption', {}, title), svg);
}

function figuresTable(rows, total) {
  const cols = ['month', 'received', 'on_time', 'breached', 'pending', 'compliance', 'response_p50', 'response_p90', 'resolution_p50'];
  const cells = (r, label) => [
    label, String(r.received), String(r.on_time), String(r.breached), String(r.pending), percent(r.compliance),
    minutes(r.response_p50_s), minutes(r.response_p90_s), minutes(r.resolution_p50_s)];
  const tr = (values, cls) => h('tr', { class: cls }, values.map((v, i) => h('td', { 'data-label': t(`reports.col.${cols[i]}`) }, v)));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'tickets report' },
    h('caption', {}, t('reports.table_caption')),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(`reports.col.${c}`))))),
    h('tbody', {}, rows.map((r) => tr(cells(r, monthLabel(r.month)))), tr(cells(total, t('reports.total')), 'total'))));
}

function csvHref(q) {
  const p = new URLSearchParams(q);
  p.set('format', 'csv');
  p.set('lang', currentLanguage());
  return `/api/v1/reports/sla?${p}`;
}

export async function reportsPage(params) {
  const year = new Date().getFullYear();
  const q = {
    from: /^\d{4}-\d{2}-\d{2}$/.test(params.get('from') || '') ? params.get('from') : `${year}-01-01`,
    to: /^\d{4}-\d{2}-\d{2}$/.test(params.get('to') || '') ? params.get('to') : `${year}-12-31`,
  };
  let orgSelect = null;
  if (isStaff()) {
    const r = await api('GET', '/api/v1/orgs');
    const orgs = r.orgs || [];
    q.org = params.get('org') || (orgs[0] && orgs[0].slug) || '';
    orgSelect = h('select', { id: 'report-org', name: 'org' },
      orgs.map((o) => h('option', { value: o.slug, selected: o.slug === q.org }, o.name)));
  }
  const from = h('input', { id: 'report-from', type: 'date', value: q.from, required: true });
  const to = h('input', { id: 'report-to', type: 'date', value: q.to, required: true });
  const show = h('button', { type: 'submit', class: 'primary' }, t('reports.show'));
  const err = h('div', { 'aria-live': 'assertive' });
  const out = h('div', { class: 'report-body' });
  const form = h('form', { class: 'filters report-form', novalidate: true },
    orgSelect ? h('label', { for: 'report-org' }, t('reports.org')) : null, orgSelect,
    h('label', { for: 'report-from' }, t('reports.from')), from,
    h('label', { for: 'report-to' }, t('reports.to')), to, show);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams({ from: from.value, to: to.value });
    if (orgSelect) next.set('org', orgSelect.value);
    location.hash = `#/reports?${next}`;
  });

  const load = async () => {
    if (isStaff() && !q.org) { out.append(h('p', { class: 'empty' }, t('reports.no_orgs'))); return; }
    const base = new URLSearchParams(q);
    const [byMonth, byCrit] = await Promise.all([
      api('GET', `/api/v1/reports/sla?${base}&group=month`),
      api('GET', `/api/v1/reports/sla?${base}&group=criticality`)]);
    const total = byMonth.total;
    const orgName = byMonth.org.name;
    out.append(
      h('p', { class: 'lead', id: 'report-summary' }, t('reports.summary', {
        org: orgName, received: total.received, compliance: percent(total.compliance), breached: total.breached })),
      h('p', { class: 'actions no-print' }, h('a', { href: csvHref(q), download: '', id: 'report-csv', class: 'button' }, t('reports.csv')),
        ' ', h('button', { type: 'button', onclick: () => window.print() }, t('reports.print'))));
    if (total.received === 0) { out.append(h('p', { class: 'empty' }, t('reports.empty'))); return; }
    out.append(
      barChart('chart-month', t('reports.by_month'),
        byMonth.rows.map((r) => ({ label: monthLabel(r.month), share: r.compliance, n: r.received }))),
      barChart('chart-criticality', t('reports.by_criticality'),
        CRITICALITIES.map((c) => byCrit.rows.find((r) => r.criticality === c) || { criticality: c, received: 0 })
          .map((r) => ({ label: t(`criticality.${r.criticality}`), share: r.compliance, n: r.received }))),
      figuresTable(byMonth.rows, total),
      h('p', { class: 'hint' }, t('reports.explain', { zone: byMonth.zone })));
  };
  await busy(show, err, load);
  return {
    node: h('div', { class: 'reports-page' }, pageTitle(t('reports.title')),
      h('p', { class: 'lead print-only' }, t('reports.period', { from: q.from, to: q.to })),
      form, err, out),
  };
}
