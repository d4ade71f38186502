// Browser tests of the live chat's staffed hours and look (issue 13, step 2): an admin changes
// the chat's greeting and colour on the settings page and the widget on the vendor's site (a
// second origin allowed with `serve --chat-origins`) shows them; out of the staffed hours (the
// chat's own calendar closed today) the widget says so and offers a form instead of a live chat;
// the message left there becomes a ticket on channel chat that the agent finds in the console;
// the visitor sees its number. Screenshots at 1366 and 390 px: artifacts/chat-hours-*.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const WIDE = { width: 1366, height: 900 };
let server; let base; let browser; let dataDir; let supervisorToken; let site;
let openCalendar; let closedCalendar;
const logins = {};

// The vendor's site on its own port, embedding the desk's widget (as in chat.test.js).
function startSite(desk) {
  return new Promise((resolve) => {
    const s = http.createServer((rq, rs) => {
      const lang = new URL(rq.url, 'http://x').searchParams.get('lang') === 'en' ? 'en' : 'es';
      rs.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      rs.end(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Vendor</title></head>
<body><h1>ACME Software</h1><p>Lorem ipsum dolor sit amet.</p>
<script src="${desk()}/chat/widget.js" data-lang="${lang}" async></script></body></html>`);
    });
    s.listen(0, '127.0.0.1', () => resolve({ s, url: `http://127.0.0.1:${s.address().port}` }));
  });
}

function api(method, url, body) {
  return fetch(`${base}${url}`, { method, headers: { Authorization: `Bearer ${supervisorToken}`,
    'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
}

// A calendar open every day 00:00–24:00; `closedNow`: yesterday, today and tomorrow (UTC dates,
// so Bogotá's today is among them) are closure days.
async function calendar(name, closedNow) {
  const hours = {};
  for (const d of ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']) hours[d] = [{ from: '00:00', to: '24:00' }];
  const r = await api('POST', '/api/v1/calendars', { name, zone: 'America/Bogota', colombian_holidays: false, hours });
  const body = await r.text();
  assert.equal(r.status, 201, body);
  const cal = JSON.parse(body);
  if (closedNow) {
    for (const off of [-1, 0, 1]) {
      const date = new Date(Date.now() + off * 86400000).toISOString().slice(0, 10);
      const c = await api('POST', `/api/v1/calendars/${cal.id}/closures`, { date, reason: 'Inventario' });
      assert.equal(c.status, 201, await c.text());
    }
  }
  return cal.id;
}

async function chatCalendar(id) {
  const r = await api('PUT', '/api/v1/oncall/staffed?for=chat', { calendar: id });
  assert.equal(r.status, 200, await r.text());
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soporte-e2e-chat-hours-'));
  Object.assign(logins, h.demoLogins(dataDir));
  supervisorToken = execFileSync(h.BIN, ['token', 'create', '--data', dataDir, '--email', 'supervisor@example.com'],
    { encoding: 'utf8', timeout: 120000 }).trim();
  site = await startSite(() => base);
  const s = await h.startServer(dataDir, ['--chat-origins', site.url]);
  server = s.p; base = s.url;
  openCalendar = await calendar('Chat siempre', false);
  closedCalendar = await calendar('Chat cerrado hoy', true);
  browser = await h.launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await h.stopServer(server);
  if (site) site.s.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function visitorPage(locale, lang) {
  const context = await browser.newContext({ locale, viewport: WIDE });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  await page.goto(`${site.url}/?lang=${lang}`);
  return page;
}

async function widgetShots(page, name) {
  fs.mkdirSync(h.ARTIFACTS, { recursive: true });
  await page.setViewportSize(WIDE);
  await page.screenshot({ path: path.join(h.ARTIFACTS, `${name}-1366.png`) });
  await page.setViewportSize({ width: 390, height: 844 });
  const box = await page.locator('.panel').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `the panel fits 390 px: ${JSON.stringify(box)}`);
  await page.screenshot({ path: path.join(h.ARTIFACTS, `${name}-390.png`) });
  await page.setViewportSize(WIDE);
  const text = await page.evaluate(() => document.getElementById('soporte-chat').shadowRoot.querySelector('.panel').innerText);
  assert.doesNotMatch(text, /\b(null|undefined|NaN)\b|\[object Object\]/, `${name}: ${text}`);
}

test('chat hours (es): an admin sets the greeting and colour; the widget shows them', async () => {
  await chatCalendar(openCalendar);
  const admin = await h.newPage(browser, 'es-CO', WIDE);
  await h.login(admin, base, 'admin@example.com', logins['admin@example.com']);
  await admin.goto(`${base}/#/admin/settings`);
  await admin.getByLabel('Saludo del chat (español)').fill('Hola, somos ACME. ¿Qué necesitas?');
  await admin.getByLabel('Saludo del chat (inglés)').fill('Hi, this is ACME. What do you need?');
  // a colour that is not #rrggbb is refused with a message naming the field
  await admin.getByLabel('Color del chat').fill('azul');
  await admin.getByRole('button', { name: 'Guardar' }).click();
  await admin.getByText('El color debe tener la forma #rrggbb, por ejemplo #0b5cad.').waitFor();
  assert.equal(await admin.getByLabel('Color del chat').getAttribute('aria-invalid'), 'true');
  await admin.getByLabel('Color del chat').fill('#7a1f5c');
  await admin.getByRole('button', { name: 'Guardar' }).click();
  await admin.locator('#toast').getByText('Datos de contacto guardados.').waitFor();
  await h.shot(admin, 'chat-hours-es-admin-settings-1366');
  await admin.context().close();

  for (const [lang, locale, open, greeting, start] of [
    ['es', 'es-CO', 'Abrir chat', 'Hola, somos ACME. ¿Qué necesitas?', 'Empezar el chat'],
    ['en', 'en-US', 'Open chat', 'Hi, this is ACME. What do you need?', 'Start chat']]) {
    const visitor = await visitorPage(locale, lang);
    const bubble = visitor.getByRole('button', { name: open });
    await bubble.click();
    const panel = visitor.locator('.panel');
    await panel.getByText(greeting).waitFor();
    await panel.getByRole('button', { name: start }).waitFor();  // staffed: the live chat's form
    const colours = await visitor.evaluate(() => {
      const r = document.getElementById('soporte-chat').shadowRoot;
      return [getComputedStyle(r.querySelector('.bubble')).backgroundColor,
        getComputedStyle(r.querySelector('.head')).backgroundColor];
    });
    assert.deepEqual(colours, ['rgb(122, 31, 92)', 'rgb(122, 31, 92)']);
    await widgetShots(visitor, `chat-hours-${lang}-greeting`);
    await visitor.context().close();
  }
});

test('chat hours (es): out of hours the widget says so and a message left becomes a ticket the agent finds', async () => {
  await chatCalendar(closedCalendar);
  const visitor = await visitorPage('es-CO', 'es');
  await visitor.getByRole('button', { name: 'Abrir chat' }).click();
  const panel = visitor.locator('.panel');
  await panel.getByText('Estamos fuera del horario de atención').waitFor();
  assert.equal(await panel.getByRole('button', { name: 'Empezar el chat' }).isVisible(), false,
    'no live chat out of hours');
  // a visitor is not a known 24x7 customer: no phone line
  assert.equal(await panel.locator('a[href^="tel:"]').count(), 0);
  await widgetShots(visitor, 'chat-hours-es-closed');
  // the form says which field is missing
  await panel.getByRole('button', { name: 'Enviar mensaje' }).click();
  await panel.getByText('Escribe tu nombre.').waitFor();
  const form = panel.locator('form.leave');
  await form.getByLabel('Nombre').fill('Carlos Cliente');
  await form.getByLabel('Correo electrónico').fill('cliente@acme.example.com');
  const message = 'La facturación no genera el PDF desde anoche.\nError FAC-2201.';
  await form.getByLabel('Mensaje').fill(message);
  await panel.getByRole('button', { name: 'Enviar mensaje' }).click();
  // Anyone can type a customer's email: the message waits for an agent instead of becoming a
  // ticket in her name at once.
  await panel.getByText('Recibimos tu mensaje. Te responderemos por correo a cliente@acme.example.com.').waitFor();
  assert.equal(await form.isVisible(), false, 'the form is gone once sent');
  await widgetShots(visitor, 'chat-hours-es-left');

  // the agent finds the message among the chats, takes it and places it as a ticket on channel chat
  const agent = await h.newPage(browser, 'es-CO', WIDE);
  await h.login(agent, base, 'agente@example.com', logins['agente@example.com']);
  await agent.goto(`${base}/#/chats`);
  const row = agent.locator('tr', { hasText: 'Carlos Cliente' });
  await row.locator('button[data-take]').click();
  await agent.getByText('Error FAC-2201.').first().waitFor();
  await agent.locator('#chat-org').selectOption('acme');
  await agent.locator('#chat-requester option[value="cliente@acme.example.com"]').waitFor({ state: 'attached' });
  await agent.locator('#chat-requester').selectOption('cliente@acme.example.com');
  await agent.getByRole('button', { name: 'Convertir en ticket' }).click();
  await agent.waitForURL(/#\/t\/\d+/);
  const number = agent.url().match(/#\/t\/(\d+)/)[1];
  await agent.getByText('La facturación no genera el PDF desde anoche.').first().waitFor();
  await h.shot(agent, 'chat-hours-es-agent-ticket-1366');
  const tk = await (await api('GET', `/api/v1/tickets/${number}`)).json();
  assert.equal(tk.channel, 'chat');
  // the transcript: each line of the message, once
  for (const line of message.split('\n')) assert.equal(tk.description.split(line).length - 1, 1, tk.description);
  assert.equal(tk.requester.email, 'cliente@acme.example.com');
  await agent.context().close();
  await visitor.context().close();
});
