// Browser tests of staff alerts (issue 12, part 2): an agent's console shows a browser
// notification (the permission granted in the Chromium context) when a Crítico ticket arrives,
// and lists it; the agent's own alert settings page in Spanish and English refuses an unknown
// quiet-hours zone naming the field and saves a good choice. Screenshots: artifacts/alerts-*.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const { shot } = h;
let server; let base; let browser; let dataDir; let agentToken;
const logins = {};

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soporte-e2e-alerts-'));
  Object.assign(logins, h.demoLogins(dataDir));
  agentToken = execFileSync(h.BIN, ['token', 'create', '--data', dataDir, '--email', 'agente@example.com'],
    { encoding: 'utf8', timeout: 120000 }).trim();
  const s = await h.startServer(dataDir, ['--sla-watch-interval', '1']);
  server = s.p; base = s.url;
  browser = await h.launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await h.stopServer(server);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

// A page whose context allows notifications for the server and records each one shown.
async function notifyingPage(locale) {
  const context = await browser.newContext({ locale, viewport: h.DESKTOP });
  await context.grantPermissions(['notifications'], { origin: base });
  await context.addInitScript(() => {
    const Native = window.Notification;
    window.__notes = [];
    window.Notification = class extends Native {
      constructor(title, options) {
        window.__notes.push({ title, body: options && options.body });  // before: headless may refuse to show it
        super(title, options);
      }
    };
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  return page;
}

test('the console shows a browser notification when a Crítico ticket arrives', async () => {
  const page = await notifyingPage('es-CO');
  await h.login(page, base, 'agente@example.com', logins['agente@example.com']);
  await page.goto(`${base}/#/queue`);
  await page.locator('.alerts-panel').waitFor();
  assert.equal(await page.evaluate(() => Notification.permission), 'granted');
  const res = await fetch(`${base}/api/v1/tickets`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${agentToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ org: 'acme', type: 'incident', criticality: 'critical', channel: 'phone',
      subject: 'Caída del portal de pagos' }),
  });
  assert.equal(res.status, 201);
  const { number } = await res.json();
  const title = `Ticket Crítico nuevo · #${number}`;
  await page.waitForFunction((t) => window.__notes.some((n) => n.title === t), title, { timeout: 20000 });
  const note = (await page.evaluate(() => window.__notes)).find((n) => n.title === title);
  assert.match(note.body, /Caída del portal de pagos/);
  await page.locator('.alerts-list a', { hasText: `#${number}` }).first().waitFor();
  await shot(page, 'alerts-console-es');
  // Reloaded, the console does not show the same alert again (the last id shown is kept).
  await page.reload();
  await page.locator('.alerts-panel').waitFor();
  await page.waitForTimeout(1500);
  assert.equal((await page.evaluate(() => window.__notes)).filter((n) => n.title === title).length, 0);
});

for (const [locale, lang, heading, saved] of [
  ['es-CO', 'es', 'Mis alertas', 'Preferencias de alertas guardadas.'],
  ['en-US', 'en', 'My alerts', 'Alert preferences saved.'],
]) {
  test(`the alert settings page in ${lang}`, async () => {
    const page = await h.newPage(browser, locale);
    await h.login(page, base, 'supervisor@example.com', logins['supervisor@example.com']);
    await page.goto(`${base}/#/alerts`);
    await page.locator('h1', { hasText: heading }).waitFor();
    const warningMail = page.locator('input[name="sla_warning.mail"]');
    assert.equal(await warningMail.isChecked(), true);
    await warningMail.uncheck();
    await page.locator('#quiet-on').check();
    await page.locator('#quiet-zone').fill('Marte/Base');
    await page.locator('#alert-preferences button[type=submit]').click();
    // The field at fault in the reader's words, never the server's "quiet_hours.zone: …".
    await page.locator('#alert-preferences .error', { hasText: lang === 'es' ? 'Campo: Zona horaria de las horas de silencio' : 'Field: Quiet hours time zone' }).waitFor();
    await shot(page, `alerts-settings-error-${lang}`);
    await page.locator('#quiet-zone').fill('America/Bogota');
    await page.locator('#alert-preferences button[type=submit]').click();
    await page.locator('#toast', { hasText: saved }).waitFor();
    await page.reload();
    await page.locator('h1', { hasText: heading }).waitFor();
    assert.equal(await page.locator('input[name="sla_warning.mail"]').isChecked(), false);
    assert.equal(await page.locator('#quiet-zone').inputValue(), 'America/Bogota');
    await shot(page, `alerts-settings-${lang}`);
    // Back to the defaults for the next language's run.
    await page.locator('input[name="sla_warning.mail"]').check();
    await page.locator('#quiet-on').uncheck();
    await page.locator('#alert-preferences button[type=submit]').click();
    await page.locator('#toast', { hasText: saved }).waitFor();
  });
}
