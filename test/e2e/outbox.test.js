// Browser test of the outgoing mail warning (issue 16, part 6): a server started without an SMTP
// server keeps the customer's "ticket received" mail in the queue; the admin pages and the
// "Not delivered" tab say so, in Spanish and in English, on a laptop and a phone. Screenshots in
// test/e2e/artifacts/outbox-*.
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
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soporte-e2e-outbox-'));
  Object.assign(logins, h.demoLogins(dataDir));
  const customer = execFileSync(BIN, ['token', 'create', '--data', dataDir, '--email', 'cliente@acme.example.com'],
    { encoding: 'utf8', timeout: 120000 }).trim();
  const s = await h.startServer(dataDir);
  server = s.p; base = s.url;
  browser = await h.launchChromium();
  const r = await fetch(`${base}/api/v1/tickets`, {
    method: 'POST', headers: { Authorization: `Bearer ${customer}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'incident', criticality: 'normal', subject: 'La facturación no responde' }),
  });
  assert.equal(r.status, 201);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await h.stopServer(server);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const WORDS = {
  es: { locale: 'es-CO', waiting: /Correos en espera de envío: \d+\. Este servidor no tiene un servidor SMTP/ },
  en: { locale: 'en-US', waiting: /Mail waiting to be sent: \d+\. This server has no SMTP server configured/ },
};

for (const lang of ['es', 'en']) {
  test(`${lang}: staff are told that mail waits with no SMTP server to send it`, async () => {
    const w = WORDS[lang];
    for (const [width, viewport] of [['desktop', h.DESKTOP], ['phone', PHONE]]) {
      const page = await h.newPage(browser, w.locale, viewport);
      await h.login(page, base, 'admin@example.com', logins['admin@example.com']);
      await page.goto(`${base}/#/admin`);
      const notice = page.locator('.outbox-notice .notice');
      await notice.waitFor();
      assert.match(await notice.innerText(), w.waiting);
      await shot(page, `outbox-${lang}-${width}-admin`);
      await page.goto(`${base}/#/inbox/failed`);
      await page.locator('.inbox-page .outbox-notice .notice').waitFor();
      assert.match(await page.locator('.inbox-page .outbox-notice').innerText(), w.waiting);
      await shot(page, `outbox-${lang}-${width}-failed`);
      await page.context().close();
    }
  });
}

test('a customer has no such warning and cannot read the queue', async () => {
  const page = await h.newPage(browser, 'es-CO');
  await h.login(page, base, 'cliente@acme.example.com', logins['cliente@acme.example.com']);
  const st = await page.evaluate(async () => (await fetch('/api/v1/outbox/state')).status);
  assert.equal(st, 403);
  assert.equal(await page.locator('.outbox-notice').count(), 0);
  await page.context().close();
});
