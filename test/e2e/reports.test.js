// Browser tests of Informes › Cumplimiento del ANS (issue 18): with phone calls back-dated into
// three months of 2026, a customer reads its organisation's compliance by month and by
// criticality as SVG charts in the page, in Spanish and in English, on a desktop and a phone
// (no horizontal scroll), with the CSV link and a print layout; staff pick the organisation.
// No raw key, "null" or id on the page. Screenshots in test/e2e/artifacts/reports-*.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const { BIN, PHONE, shot } = h;

let server; let base; let browser; let dataDir;
const logins = {};

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soporte-e2e-reports-'));
  Object.assign(logins, h.demoLogins(dataDir));
  const token = (email) => execFileSync(BIN, ['token', 'create', '--data', dataDir, '--email', email],
    { encoding: 'utf8', timeout: 120000 }).trim();
  const admin = token('admin@example.com');
  const agent = token('agente@example.com');
  const s = await h.startServer(dataDir);
  server = s.p; base = s.url;
  browser = await h.launchChromium();
  const call = async (tok, method, p, body) => {
    const r = await fetch(`${base}${p}`, {
      method, headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: r.status, json: await r.json() };
  };
  assert.equal((await call(admin, 'POST', '/api/v1/orgs/acme/contracts',
    { modality: '24x7', valid_from: '2026-01-01', channels: ['portal', 'email', 'phone', 'chat'] })).status, 201);
  const calls = [['2026-01-14T10:00:00-05:00', 'critical', true], ['2026-01-20T09:00:00-05:00', 'normal', true],
    ['2026-02-03T11:00:00-05:00', 'important', true], ['2026-03-10T15:00:00-05:00', 'normal', false]];
  for (const [received, criticality, answer] of calls) {
    const c = await call(agent, 'POST', '/api/v1/tickets', {
      type: 'incident', criticality, subject: 'Llamada sobre facturación', description: 'Registrada después',
      org: 'acme', channel: 'phone', requester: 'cliente@acme.example.com', received_at: received });
    assert.equal(c.status, 201, JSON.stringify(c.json));
    if (answer) {
      assert.equal((await call(agent, 'POST', `/api/v1/tickets/${c.json.number}/messages`,
        { body: 'Respuesta', internal: false })).status, 201);
    }
  }
});

after(async () => {
  if (browser) await browser.close();
  if (server) await h.stopServer(server);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function assertReadable(page) {
  const text = await page.locator('main').innerText();
  for (const raw of ['null', 'undefined', 'reports.', 'NaN', '[object', 'org-']) {
    assert.ok(!text.includes(raw), `no "${raw}" on the page`);
  }
  assert.doesNotMatch(text, /\b(normal|important|critical|portal|phone)\b/, 'wire names are translated');
}

async function noHorizontalScroll(page) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 0, `the page scrolls sideways by ${over}px`);
}

const PERIOD = 'from=2026-01-01&to=2026-03-31';

test('a customer reads its compliance by month and by criticality in Spanish', async () => {
  const page = await h.newPage(browser, 'es-CO');
  await h.login(page, base, 'cliente@acme.example.com', logins['cliente@acme.example.com']);
  await page.locator('nav a', { hasText: 'Informes' }).click();
  await page.locator('h1', { hasText: 'Cumplimiento del ANS' }).waitFor();
  await page.goto(`${base}/#/reports?${PERIOD}`);
  await page.locator('#chart-month').waitFor();
  assert.equal(await page.locator('#report-org').count(), 0, 'a customer does not choose the organisation');
  const summary = await page.locator('#report-summary').innerText();
  assert.match(summary, /ACME/);
  assert.match(summary, /4 tickets recibidos/);
  assert.match(summary, /0\s?% respondidos a tiempo/);
  // Three month bars, labelled in Spanish; the criticality chart has its three criticalities.
  const months = await page.locator('#chart-month g.bar').evaluateAll((gs) => gs.map((g) => g.dataset.label));
  assert.deepEqual(months, ['ene 2026', 'feb 2026', 'mar 2026']);
  const crit = await page.locator('#chart-criticality g.bar').evaluateAll((gs) => gs.map((g) => g.dataset.label));
  assert.deepEqual(crit, ['Normal', 'Importante', 'Crítico']);
  // The charts are SVG drawn in the page (no image from elsewhere), with accessible titles.
  assert.equal(await page.locator('svg#chart-month[role=img] > title').textContent(),
    'Cumplimiento de la primera respuesta por mes');
  assert.equal(await page.locator('img').count(), 0);
  const table = page.locator('table.report');
  assert.match(await table.innerText(), /Total/);
  assert.match(await table.locator('tbody tr').first().innerText(), /ene 2026/);
  const csv = await page.locator('#report-csv').getAttribute('href');
  assert.match(csv, /format=csv/);
  assert.match(csv, /lang=es/);
  await assertReadable(page);
  await shot(page, 'reports-es-desktop');
  // Printed: no header, no form; the charts and the table stay.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header, .top').first().isVisible(), false);
  assert.equal(await page.locator('.report-form').isVisible(), false);
  assert.ok(await page.locator('#chart-criticality').isVisible());
  await shot(page, 'reports-es-print');
  await page.emulateMedia({ media: 'screen' });
  await page.context().close();
});

test('the same report in English on a phone, without horizontal scroll', async () => {
  const page = await h.newPage(browser, 'en-US', PHONE);
  await h.login(page, base, 'cliente@acme.example.com', logins['cliente@acme.example.com']);
  await page.locator('#menu-toggle').click();  // on a phone the language sits in the menu
  await page.locator('#lang').selectOption('en');
  await page.goto(`${base}/#/reports?${PERIOD}`);
  await page.locator('h1', { hasText: 'SLA compliance' }).waitFor();
  await page.locator('#chart-criticality').waitFor();
  const crit = await page.locator('#chart-criticality g.bar').evaluateAll((gs) => gs.map((g) => g.dataset.label));
  assert.deepEqual(crit, ['Normal', 'Important', 'Critical']);
  const months = await page.locator('#chart-month g.bar').evaluateAll((gs) => gs.map((g) => g.dataset.label));
  assert.deepEqual(months, ['Jan 2026', 'Feb 2026', 'Mar 2026']);
  assert.match(await page.locator('#report-summary').innerText(), /4 tickets received/);
  assert.match(await page.locator('#report-csv').getAttribute('href'), /lang=en/);
  await noHorizontalScroll(page);
  await assertReadable(page);
  await shot(page, 'reports-en-phone');
  // The CSV link downloads the file the API serves, with the accents intact.
  const csv = await page.evaluate(async (href) => {
    const r = await fetch(href);
    return { type: r.headers.get('content-type'), bytes: Array.from(new Uint8Array(await r.arrayBuffer()).slice(0, 3)) };
  }, await page.locator('#report-csv').getAttribute('href'));
  assert.match(csv.type, /^text\/csv; charset=utf-8/);
  assert.deepEqual(csv.bytes, [0xef, 0xbb, 0xbf]);
  await page.context().close();
});

test('staff choose the organisation; another organisation shows its own report', async () => {
  const page = await h.newPage(browser, 'es-CO');
  await h.login(page, base, 'agente@example.com', logins['agente@example.com']);
  await page.goto(`${base}/#/reports?org=acme&${PERIOD}`);
  await page.locator('#chart-month').waitFor();
  assert.match(await page.locator('#report-summary').innerText(), /4 tickets recibidos/);
  await page.locator('#report-org').selectOption('globex');
  await page.locator('.report-form button[type=submit]').click();
  await page.locator('#report-summary', { hasText: 'Globex' }).waitFor();
  assert.match(await page.locator('main').innerText(), /No se recibieron tickets en este periodo/);
  await assertReadable(page);
  await shot(page, 'reports-es-staff-globex');
  await page.context().close();
});
