// Browser tests of the on-call page (issue 12, parts 3, 4 and 6): with a rota and the desk closed
// (a staffed-hours calendar closed today), a Crítico ticket on ACME's 24x7 contract pages the
// engineer; an agent sees who is on call now, the next two weeks and the unacknowledged page in
// Spanish and English, at desktop and phone width (no sideways scrolling, no raw keys, "null" or
// ids), acknowledges it from the console, and sees who is on call beside "Registrar llamada".
// Screenshots in test/e2e/artifacts/oncall-*.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const { BIN, PHONE, shot } = h;

let server; let base; let browser; let dataDir; let adminToken; let ticketNumber;
const logins = {};

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soporte-e2e-oncall-'));
  Object.assign(logins, h.demoLogins(dataDir));
  adminToken = execFileSync(BIN, ['token', 'create', '--data', dataDir, '--email', 'admin@example.com'],
    { encoding: 'utf8', timeout: 120000 }).trim();
  const s = await h.startServer(dataDir);
  server = s.p; base = s.url;
  browser = await h.launchChromium();
  const call = async (method, p, body) => {
    const r = await fetch(`${base}${p}`, { method,
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
  const users = (await call('GET', '/api/v1/users')).body.users;
  const id = (email) => users.find((u) => u.email === email).id;
  // Staffed hours that are closed today: open one minute on Sundays (UTC), those Sundays closed.
  const cal = await call('POST', '/api/v1/calendars', { name: 'Cerrado', zone: 'UTC', colombian_holidays: false,
    hours: { sunday: [{ from: '00:00', to: '00:01' }] } });
  assert.equal(cal.status, 201);
  const today = new Date();
  const sunday = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - today.getUTCDay()));
  for (let w = -1; w <= 2; w += 1) {
    const d = new Date(sunday.getTime() + w * 7 * 86400000).toISOString().slice(0, 10);
    assert.equal((await call('POST', `/api/v1/calendars/${cal.body.id}/closures`, { date: d, reason: 'Prueba' })).status, 201);
  }
  assert.equal((await call('PUT', '/api/v1/oncall/staffed', { calendar: cal.body.id })).status, 200);
  const rota = await call('POST', '/api/v1/oncall/rotas', { name: 'Noches y fines de semana', zone: 'America/Bogota',
    shifts: [{ day: 'monday', start: '00:00', end_day: 'monday', end: '00:00',
      primary: id('agente@example.com'), secondary: id('supervisor@example.com') }] });
  assert.equal(rota.status, 201, JSON.stringify(rota.body));
  const t = await call('POST', '/api/v1/tickets', { org: 'acme', type: 'incident', criticality: 'critical',
    channel: 'phone', subject: 'Caída del ERP en producción' });
  assert.equal(t.status, 201, JSON.stringify(t.body));
  ticketNumber = t.body.number;
});

after(async () => {
  if (browser) await browser.close();
  if (server) await h.stopServer(server);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function assertReadable(page) {
  const text = await page.locator('main').innerText();
  for (const raw of ['null', 'undefined', 'oncall.', 'ack.', 'critical_created', '[object', 'NaN']) {
    assert.ok(!text.includes(raw), `no "${raw}" on the page`);
  }
}

test('an agent sees the on-call page in Spanish, at desktop and phone width, and acknowledges', async () => {
  for (const [viewport, name] of [[h.DESKTOP, 'oncall-es-desktop'], [PHONE, 'oncall-es-phone']]) {
    const page = await h.newPage(browser, 'es-CO', viewport);
    await h.login(page, base, 'agente@example.com', logins['agente@example.com']);
    await page.goto(`${base}/#/oncall`);
    await page.locator('h1', { hasText: 'Guardia' }).waitFor();
    const now = await page.locator('#oncall-now').innerText();
    assert.match(now, /fuera del horario de atención/);
    assert.match(now, /principal: Andrea Agente/);
    assert.match(now, /secundario: Sergio Supervisor/);
    assert.match(await page.locator('.oncall-schedule').first().innerText(), /próximas dos semanas/);
    assert.ok(await page.locator('.oncall-schedule tbody tr').count() >= 1);
    const pages = await page.locator('#oncall-pages').innerText();
    assert.match(pages, new RegExp(`#${ticketNumber}`));
    assert.match(pages, /ticket Crítico fuera de horario/);
    assert.match(pages, /avisado: Andrea Agente \(principal\)/);
    await assertReadable(page);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      'no sideways scrolling');
    await shot(page, name);
    await page.context().close();
  }
  const page = await h.newPage(browser, 'es-CO');
  await h.login(page, base, 'agente@example.com', logins['agente@example.com']);
  await page.goto(`${base}/#/oncall`);
  const ours = page.locator('#oncall-pages li.page-item', { hasText: `#${ticketNumber} ` });
  await ours.locator('button', { hasText: 'Confirmar que lo atiendo' }).click();
  await ours.waitFor({ state: 'detached' });
  // The ticket's history says so in Spanish, and who is on call shows beside the call form.
  await page.goto(`${base}/#/t/${ticketNumber}`);
  await page.locator('#tk-tab-call').click();
  await page.locator('#tcall-oncall', { hasText: 'De guardia: Andrea Agente / Sergio Supervisor' }).waitFor();
  await page.locator('#tk-tab-history').click();
  await page.locator('ol.history').waitFor();
  const history = await page.locator('ol.history').innerText();
  assert.match(history, /se avisó a la guardia \(ticket Crítico fuera de horario\): Andrea Agente/);
  assert.match(history, /Andrea Agente confirmó el aviso/);
  assert.ok(await page.locator('#tcall-direction option[value="outgoing"]').count() === 1);
  await shot(page, 'oncall-es-ticket');
  await page.context().close();
});

test('the on-call page in English; a customer has none', async () => {
  for (const [viewport, name] of [[h.DESKTOP, 'oncall-en-desktop'], [PHONE, 'oncall-en-phone']]) {
    const page = await h.newPage(browser, 'en-US', viewport);
    await h.login(page, base, 'supervisor@example.com', logins['supervisor@example.com']);
    await page.goto(`${base}/#/oncall`);
    await page.locator('h1', { hasText: 'On call' }).waitFor();
    const now = await page.locator('#oncall-now').innerText();
    assert.match(now, /outside staffed hours/);
    assert.match(now, /primary: Andrea Agente/);
    assert.match(await page.locator('.oncall-schedule').first().innerText(), /next two weeks/);
    await assertReadable(page);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      'no sideways scrolling');
    await shot(page, name);
    await page.context().close();
  }
  const customer = await h.newPage(browser, 'es-CO');
  await h.login(customer, base, 'cliente@acme.example.com', logins['cliente@acme.example.com']);
  await customer.goto(`${base}/#/oncall`);
  await customer.waitForURL(/#\/tickets/);
  assert.equal(await customer.evaluate(async () => (await fetch('/api/v1/oncall/now')).status), 403);
  await customer.context().close();
});

test('an acknowledge link without a session shows only the ticket and needs the button', async () => {
  const page = await h.newPage(browser, 'es-CO', PHONE);
  await page.goto(`${base}/#/ack?token=no-existe`);
  await page.locator('#ack .error', { hasText: 'El enlace no es válido' }).waitFor();
  await assertReadable(page);
  await shot(page, 'oncall-es-ack-invalid');
  await page.context().close();
});
