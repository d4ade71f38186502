// Browser tests of Administración › Webhooks (issue 12, part 5): an admin subscribes a receiver
// on loopback (the server runs with --webhook-allow-private and a 1 s delivery interval), a bad
// URL is refused in the UI's own words, the receiver answers 500 first and the page then shows the
// delivery delivered on its second attempt; a receiver that is down ends failed after its last
// attempt and the admin puts it back in the queue; the subscription is deleted. Spanish and
// English, desktop and phone width, no raw value or English on the Spanish page; a supervisor
// sees no Webhooks tab and a customer has no such page. Screenshots in artifacts/webhooks-*.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const { BIN, PHONE, shot } = h;
const SECRET = 'un-secreto-compartido-largo';

let server; let base; let browser; let dataDir; let agentToken; let receiver; let receiverUrl; let deadUrl;
const logins = {};
const received = [];

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soporte-e2e-webhooks-'));
  Object.assign(logins, h.demoLogins(dataDir));
  agentToken = execFileSync(BIN, ['token', 'create', '--data', dataDir, '--email', 'agente@example.com'],
    { encoding: 'utf8', timeout: 120000 }).trim();
  // The receiver: checks the signature, answers 500 to its first request and 204 after.
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const mac = `sha256=${crypto.createHmac('sha256', SECRET).update(body).digest('hex')}`;
      received.push({ event: req.headers['x-soporte-event'], id: req.headers['x-soporte-delivery'],
        signed: req.headers['x-soporte-signature'] === mac, body });
      res.writeHead(received.length === 1 ? 500 : 204);
      res.end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${receiver.address().port}/hook`;
  deadUrl = `http://127.0.0.1:${await freePort()}/nadie`;
  const s = await h.startServer(dataDir, ['--webhook-interval', '1', '--webhook-allow-private',
    '--webhook-first-retry-seconds', '1', '--webhook-max-attempts', '2']);
  server = s.p; base = s.url;
  browser = await h.launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await h.stopServer(server);
  if (receiver) receiver.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function newTicket(subject) {
  const r = await fetch(`${base}/api/v1/tickets`, {
    method: 'POST', headers: { Authorization: `Bearer ${agentToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ org: 'acme', type: 'incident', criticality: 'critical', channel: 'portal', subject }),
  });
  assert.equal(r.status, 201, await r.text());
}

async function assertReadable(page, english) {
  const text = await page.locator('main').innerText();
  const raw = ['null', 'undefined', 'webhooks.', '[object', 'NaN'];
  if (!english) raw.push('Delivered', 'Failed', 'Pending', 'Subscribe', 'must', 'required');
  for (const r of raw) assert.ok(!text.includes(r), `no "${r}" on the page`);
}

// Opens the deliveries of the subscription to `url` and waits until a row in `state` shows.
async function waitForDelivery(page, url, state) {
  const card = page.locator('section.webhook', { hasText: url });
  for (let i = 0; i < 60; i += 1) {
    const toggle = card.locator('button[aria-expanded]');
    if ((await toggle.getAttribute('aria-expanded')) === 'true') await card.locator('.deliveries-box .actions button').click();
    else await toggle.click();
    if (await card.locator(`tr[data-state="${state}"]`).count() > 0) return card;
    await page.waitForTimeout(500);
  }
  throw new Error(`no ${state} delivery for ${url}`);
}

test('an admin subscribes in Spanish, sees a retried delivery delivered and retries a failed one', async () => {
  const page = await h.newPage(browser, 'es-CO');
  await h.login(page, base, 'admin@example.com', logins['admin@example.com']);
  await page.goto(`${base}/#/admin`);
  await page.locator('nav.tabs a', { hasText: 'Webhooks' }).click();
  await page.locator('h1', { hasText: 'Webhooks' }).waitFor();
  await page.locator('p.empty', { hasText: 'Aún no hay suscripciones' }).waitFor();

  // A URL that is not http(s): refused in the catalog's words, nothing stored.
  await page.locator('#webhook-url').fill('ftp://ejemplo.com/in');
  await page.locator('#wh-ticket-created').check();
  await page.locator('#webhook-secret').fill(SECRET);
  await page.locator('button[type=submit]', { hasText: 'Suscribir' }).click();
  const fault = page.locator('[data-field="url"]');
  await fault.waitFor();
  assert.match(await fault.innerText(), /La dirección debe ser una URL http/);
  // No event chosen.
  await page.locator('#webhook-url').fill(receiverUrl);
  await page.locator('#wh-ticket-created').uncheck();
  await page.locator('button[type=submit]', { hasText: 'Suscribir' }).click();
  await page.locator('[data-field="events"]', { hasText: 'Elija al menos un evento' }).waitFor();
  await assertReadable(page, false);

  await page.locator('#wh-ticket-created').check();
  await page.locator('#wh-ticket-message').check();
  await page.locator('button[type=submit]', { hasText: 'Suscribir' }).click();
  await page.locator('section.webhook', { hasText: receiverUrl }).waitFor();
  assert.match(await page.locator('section.webhook').innerText(), /Ticket creado · Mensaje o nota en un ticket/);
  // The dead receiver.
  await page.locator('#webhook-url').fill(deadUrl);
  await page.locator('#wh-ticket-created').check();
  await page.locator('#webhook-secret').fill(SECRET);
  await page.locator('button[type=submit]', { hasText: 'Suscribir' }).click();
  await page.locator('section.webhook', { hasText: deadUrl }).waitFor();
  assert.ok(!(await page.locator('main').innerText()).includes(SECRET), 'the secret is never shown');

  await newTicket('Caída del servicio de facturación');
  const card = await waitForDelivery(page, receiverUrl, 'delivered');
  const row = card.locator('tr[data-state="delivered"]');
  assert.match(await row.innerText(), /Ticket creado/);
  assert.match(await row.innerText(), /Entregada/);
  assert.match(await row.innerText(), /HTTP 204/);
  assert.equal((await row.locator('td').nth(2).innerText()).replace(/^\D+/, '').trim(), '2');  // 500, then 204
  assert.equal(received.length, 2);
  assert.ok(received.every((r) => r.signed), 'every request is signed with the secret');
  assert.equal(received[0].id, received[1].id, 'the retry carries the same delivery id');

  const dead = await waitForDelivery(page, deadUrl, 'failed');
  const failed = dead.locator('tr[data-state="failed"]');
  assert.match(await failed.innerText(), /Fallida/);
  assert.match(await failed.innerText(), /Sin respuesta del receptor/);
  await assertReadable(page, false);
  await shot(page, 'webhooks-es-desktop');
  await failed.locator('button.retry', { hasText: 'Reintentar' }).click();
  await page.locator('#toast', { hasText: 'La entrega volvió a la cola' }).waitFor();

  // Phone width: nothing wider than the screen.
  const small = await h.newPage(browser, 'es-CO', PHONE);
  await h.login(small, base, 'admin@example.com', logins['admin@example.com']);
  await small.goto(`${base}/#/admin/webhooks`);
  await waitForDelivery(small, receiverUrl, 'delivered');
  await assertReadable(small, false);
  assert.ok(await small.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    'no sideways scrolling at phone width');
  await shot(small, 'webhooks-es-phone');
  await small.context().close();

  // Delete the dead subscription.
  page.once('dialog', (d) => d.accept());
  await page.locator('section.webhook', { hasText: deadUrl }).locator('button.danger', { hasText: 'Eliminar' }).click();
  await page.locator('#toast', { hasText: 'Suscripción eliminada' }).waitFor();
  await page.locator('section.webhook', { hasText: deadUrl }).waitFor({ state: 'detached' });
  await page.context().close();
});

test('the webhooks page in English; a supervisor has no tab and a customer no page', async () => {
  for (const [viewport, name] of [[h.DESKTOP, 'webhooks-en-desktop'], [PHONE, 'webhooks-en-phone']]) {
    const page = await h.newPage(browser, 'en-US', viewport);
    await h.login(page, base, 'admin@example.com', logins['admin@example.com']);
    await page.goto(`${base}/#/admin/webhooks`);
    await page.locator('h1', { hasText: 'Webhooks' }).waitFor();
    const card = await waitForDelivery(page, receiverUrl, 'delivered');
    assert.match(await card.locator('tr[data-state="delivered"]').first().innerText(), /Ticket created[\s\S]*Delivered/);
    assert.match(await card.innerText(), /Show deliveries|Hide deliveries/);
    await assertReadable(page, true);
    await shot(page, name);
    await page.context().close();
  }
  const sup = await h.newPage(browser, 'es-CO');
  await h.login(sup, base, 'supervisor@example.com', logins['supervisor@example.com']);
  await sup.goto(`${base}/#/admin`);
  await sup.locator('nav.tabs').waitFor();
  assert.equal(await sup.locator('nav.tabs a', { hasText: 'Webhooks' }).count(), 0);
  assert.equal(await sup.evaluate(async () => (await fetch('/api/v1/webhooks')).status), 403);
  await sup.context().close();

  const customer = await h.newPage(browser, 'es-CO');
  await h.login(customer, base, 'cliente@acme.example.com', logins['cliente@acme.example.com']);
  await customer.goto(`${base}/#/admin/webhooks`);
  await customer.waitForURL(/#\/tickets/);
  assert.equal(await customer.locator('h1', { hasText: 'Webhooks' }).count(), 0);
  assert.equal(await customer.evaluate(async () => (await fetch('/api/v1/webhooks')).status), 403);
  await customer.context().close();
});
