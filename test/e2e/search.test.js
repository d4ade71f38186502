// Browser tests of search (issue 18, parts 1 and 7): the search box of the console (staff, in
// Spanish, desktop) and of the portal (a customer, in English, phone width) over the demo's
// tickets: accents and Spanish inflections, matched words highlighted with <mark> and never
// ticket text turned into markup, internal notes invisible to customers, another organisation's
// tickets never found, and a refused query explained from the catalog. Screenshots in
// test/e2e/artifacts/search-*.
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
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soporte-e2e-search-'));
  Object.assign(logins, h.demoLogins(dataDir));
  const token = execFileSync(BIN, ['token', 'create', '--data', dataDir, '--email', 'admin@example.com'],
    { encoding: 'utf8', timeout: 120000 }).trim();
  const s = await h.startServer(dataDir);
  server = s.p; base = s.url;
  browser = await h.launchChromium();
  const call = (method, p, body) => fetch(`${base}${p}`, {
    method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  // Staff's internal note on acme's billing ticket (#1001), and a public reply whose text looks
  // like markup: it must show as text.
  assert.equal((await call('POST', '/api/v1/tickets/1001/messages',
    { body: 'Clave temporal de la VPN entregada por teléfono', internal: true })).status, 201);
  assert.equal((await call('POST', '/api/v1/tickets/1001/messages',
    { body: 'Revisamos la conexión <img src=x onerror=alert(1)> del servidor de facturas' })).status, 201);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await h.stopServer(server);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function search(page, q) {
  const box = page.locator('input#q');
  await box.fill(q);
  await box.press('Enter');
}

test('staff search the console in Spanish: accents, inflections, highlights, internal notes', async () => {
  const page = await h.newPage(browser, 'es-CO');
  await h.login(page, base, 'agente@example.com', logins['agente@example.com']);
  await page.goto(`${base}/#/queue`);
  await page.locator('label[for=q]', { hasText: 'Buscar' }).waitFor();
  // "facturas" finds "facturación"; the matched word is highlighted.
  await search(page, 'facturas');
  const row = page.locator('tr[data-number="1001"]');
  // Each wait is for the results' highlight: the queue before a search, and the results of the
  // previous one, show ticket 1001 too.
  await row.locator('.snippet mark').first().waitFor();
  assert.equal(await page.locator('tbody tr').count(), 1);
  assert.ok((await row.locator('.snippet mark').allInnerTexts()).some((m) => /^factur/i.test(m)));
  // "conexion" (no accent) finds the reply; its markup-like text is text, not an element.
  await search(page, 'conexion');
  await row.locator('.snippet mark', { hasText: 'conexión' }).waitFor();
  assert.match(await row.locator('.snippet').innerText(), /<img src=x/);
  assert.equal(await page.locator('.snippet img').count(), 0);
  assert.equal(await row.locator('.snippet mark').first().innerText(), 'conexión');
  // Staff find internal notes.
  await search(page, 'clave temporal');
  await row.locator('.snippet mark', { hasText: /clave/i }).first().waitFor();
  await shot(page, 'search-es-console');
  // A refused query is explained in Spanish.
  await search(page, '"sin cerrar');
  const alert = page.locator('[role=alert]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /comillas/);
  assert.ok(!(await alert.innerText()).includes('quote'));
  // Emptying the box brings the queue back.
  await search(page, '');
  await page.locator('tr[data-number="1002"]').waitFor();
});

test('a customer searches the portal in English at phone width, own organisation only', async () => {
  const page = await h.newPage(browser, 'en-US', PHONE);
  await h.login(page, base, 'cliente@acme.example.com', logins['cliente@acme.example.com']);
  await page.goto(`${base}/#/tickets`);
  await page.locator('label[for=q]', { hasText: 'Search' }).waitFor();
  await search(page, 'facturacion');
  // The results (with their highlighted snippets), not the list shown before the search, which
  // has ticket 1001 too.
  await page.locator('.snippet mark').first().waitFor();
  await page.locator('a[href="#/t/1001"]').first().waitFor();
  await shot(page, 'search-en-portal-phone');
  // The internal note is invisible to the customer.
  await search(page, 'clave temporal');
  await page.locator('p.empty', { hasText: 'No ticket matches the search.' }).waitFor();
  // Globex's ticket is never found by acme's customer.
  await search(page, 'usuario de pruebas');
  await page.locator('p.empty', { hasText: 'No ticket matches the search.' }).waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `no horizontal scroll at phone width (${width})`);
});
