// Browser tests of Administración › Auditoría (issue 16, part 5): after a failed login, a login,
// a change of the contact settings and a new contract, an admin reads them in the audit page in
// Spanish and in English, with translated field names and values, people by name, and no raw
// id, "null" or catalog key on the page; a customer has no such page. Screenshots in
// test/e2e/artifacts/audit-*.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const { BIN, PHONE, shot } = h;

let server; let base; let browser; let dataDir; let adminToken;
const logins = {};

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soporte-e2e-audit-'));
  Object.assign(logins, h.demoLogins(dataDir));
  adminToken = execFileSync(BIN, ['token', 'create', '--data', dataDir, '--email', 'admin@example.com'],
    { encoding: 'utf8', timeout: 120000 }).trim();
  const s = await h.startServer(dataDir);
  server = s.p; base = s.url;
  browser = await h.launchChromium();
  const call = (method, p, body) => fetch(`${base}${p}`, {
    method, headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const bad = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'agente@example.com', password: 'no-es-la-clave' }) });
  assert.equal(bad.status, 401);
  assert.equal((await call('PUT', '/api/v1/settings', { phone: '+57 601 555 0100' })).status, 200);
  assert.equal((await call('POST', '/api/v1/orgs/acme/contracts',
    { modality: '8x5', valid_from: '2026-01-01', channels: ['portal', 'email'] })).status, 201);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await h.stopServer(server);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

// The page's text has no raw value the UI should have translated.
async function assertReadable(page) {
  const text = await page.locator('main').innerText();
  for (const raw of ['null', 'undefined', 'audit.', 'wrong_password', 'contact.phone', 'valid_from',
    'normal=', 'portal,email', '[object']) {
    assert.ok(!text.includes(raw), `no "${raw}" on the page`);
  }
}

test('an admin reads the audit log in Spanish with translated fields and values', async () => {
  const page = await h.newPage(browser, 'es-CO');
  await h.login(page, base, 'admin@example.com', logins['admin@example.com']);
  await page.goto(`${base}/#/admin`);
  await page.locator('nav.tabs a', { hasText: 'Auditoría' }).click();
  await page.locator('h1', { hasText: 'Auditoría' }).waitFor();
  const rows = page.locator('table.audit tbody tr');
  await rows.first().waitFor();
  const phone = page.locator('tr[data-kind="settings"][data-field="contact.phone"]');
  assert.match(await phone.innerText(), /Teléfono/);
  assert.match(await phone.innerText(), /\+57 601 555 0100/);
  assert.match(await phone.innerText(), /Ana Administradora/);
  const failed = page.locator('tr[data-kind="login"]', { hasText: 'Contraseña incorrecta' });
  assert.match(await failed.innerText(), /agente@example\.com/);
  assert.match(await failed.innerText(), /127\.0\.0\.1/);
  assert.match(await failed.innerText(), /Desconocido/);  // a failed login proves nobody
  assert.match(await page.locator('tr[data-kind="login"]', { hasText: 'Correcto' }).first().innerText(), /Ana Administradora/);
  const channels = page.locator('tr[data-kind="contract"][data-field="channels"]').first();
  assert.match(await channels.innerText(), /Portal web, Correo/);
  assert.match(await page.locator('tr[data-field="targets"]').first().innerText(), /Normal 8 h · Importante 4 h · Crítico 2 h/);
  // The demo's own setup was done by the command line: "Sistema", from "el sistema".
  assert.match(await page.locator('tr[data-kind="org"]').first().innerText(), /Sistema/);
  await assertReadable(page);
  await shot(page, 'audit-es-desktop');
  // Filtered by kind.
  await page.locator('#audit-kind').selectOption('login');
  await page.waitForURL(/kind=login/);
  await page.locator('table.audit tbody tr').first().waitFor();
  assert.equal(await page.locator('table.audit tbody tr:not([data-kind="login"])').count(), 0);
  await page.context().close();

  const small = await h.newPage(browser, 'es-CO', PHONE);
  await h.login(small, base, 'admin@example.com', logins['admin@example.com']);
  await small.goto(`${base}/#/admin/audit`);
  await small.locator('table.audit tbody tr').first().waitFor();
  await assertReadable(small);
  // Five admin tabs wrap instead of widening the page past the phone's screen.
  assert.ok(await small.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    'no sideways scrolling at phone width');
  await shot(small, 'audit-es-phone');
  await small.context().close();
});

test('the audit page in English; a customer has none', async () => {
  for (const [viewport, name] of [[h.DESKTOP, 'audit-en-desktop'], [PHONE, 'audit-en-phone']]) {
    const page = await h.newPage(browser, 'en-US', viewport);
    await h.login(page, base, 'admin@example.com', logins['admin@example.com']);
    await page.goto(`${base}/#/admin/audit`);
    await page.locator('h1', { hasText: 'Audit' }).waitFor();
    const phone = page.locator('tr[data-kind="settings"][data-field="contact.phone"]');
    assert.match(await phone.innerText(), /Phone/);
    assert.match(await page.locator('tr[data-kind="login"]', { hasText: 'Wrong password' }).innerText(), /agente@example\.com/);
    assert.match(await page.locator('tr[data-field="channels"]').first().innerText(), /Web portal|Portal/);
    await assertReadable(page);
    await shot(page, name);
    await page.context().close();
  }
  const customer = await h.newPage(browser, 'es-CO');
  await h.login(customer, base, 'cliente@acme.example.com', logins['cliente@acme.example.com']);
  await customer.goto(`${base}/#/admin/audit`);
  await customer.waitForURL(/#\/tickets/);
  assert.equal(await customer.locator('h1', { hasText: 'Auditoría' }).count(), 0);
  const api = await customer.evaluate(async () => (await fetch('/api/v1/audit')).status);
  assert.equal(api, 403);
  await customer.context().close();
});
