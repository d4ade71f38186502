// What a person meets first (issue 19, items 1 and 2), in Spanish and English, desktop and phone:
// the login page says how to get an account and gives the out-of-hours line; a wrong password,
// a lock (with the server's real remaining time), an ended session and a server that does not
// answer are four different sentences from the UI's catalogs, never the server's English; the
// customer whose organisation has a single contract opens the new-ticket form without a "null";
// an organisation's slug is checked in the reader's language. Every page visited is scanned for
// "null", "undefined" and raw i18n keys by harness.shot.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const { DESKTOP, PHONE, shot } = h;
const LANGS = [['es-CO', 'es'], ['en-US', 'en']];
const WIDTHS = [[DESKTOP, 'desktop'], [PHONE, 'phone']];

let server;
let base;
let browser;
let dataDir;
const logins = {};

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soporte-e2e-first-'));
  Object.assign(logins, h.demoLogins(dataDir));
  const s = await h.startServer(dataDir, ['--support-email', 'soporte@example.com',
    '--support-phone', '+57 320 000 0000', '--portal-url', 'https://soporte.example.com']);
  server = s.p;
  base = s.url;
  browser = await h.launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await h.stopServer(server);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const login = (page, email) => h.login(page, base, email, logins[email]);

async function submitLogin(page, email, password) {
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form button[type=submit]').click();
}

async function errorShown(page) {
  const box = page.locator('main [role=alert]').first();
  await box.waitFor();
  return (await box.textContent()).trim();
}

test('login page: how to get an account and the out-of-hours line, without a session', async () => {
  for (const [locale, lang] of LANGS) {
    for (const [vp, width] of WIDTHS) {
      const page = await h.newPage(browser, locale, vp);
      await page.goto(`${base}/#/login`);
      const reach = page.locator('#reach-support');
      await reach.waitFor();
      assert.equal(await reach.locator('a[href="mailto:soporte@example.com"]').count(), 1);
      assert.equal(await reach.locator('a[href="tel:+573200000000"]').count(), 1);
      assert.match(await reach.textContent(), lang === 'es' ? /No tiene una cuenta/ : /Don't have an account/);
      await shot(page, `first-${lang}-${width}-login`);
      await page.context().close();
    }
  }
});

test('wrong password, lock with the real wait, ended session, server down: four sentences', async () => {
  for (const [locale, lang] of LANGS) {
    const page = await h.newPage(browser, locale);
    await page.goto(`${base}/#/login`);
    await page.locator('#reach-support').waitFor();
    // A different account per language: each gets its own lock.
    const victim = lang === 'es' ? 'supervisor@example.com' : 'agente@example.com';

    await submitLogin(page, victim, 'not the password');
    const wrong = await errorShown(page);
    assert.equal(wrong, lang === 'es' ? 'El correo o la contraseña no son correctos.'
      : 'The email or the password is not correct.');
    await shot(page, `first-${lang}-login-wrong-password`);

    for (let i = 0; i < 4; ++i) {
      await submitLogin(page, victim, `wrong ${i}`);
      await page.locator('form button[type=submit]:not([disabled])').waitFor();
    }
    await submitLogin(page, victim, logins[victim]);  // the right one, but locked now
    await page.locator('main [role=alert]', { hasText: lang === 'es' ? 'Espere' : 'Wait' }).waitFor();
    const locked = await errorShown(page);
    // The whole 15-minute window remains (Retry-After ≈ 900 s), not "a minute".
    assert.match(locked, lang === 'es' ? /Espere 15 minutos/ : /Wait 15 minutes/);
    await shot(page, `first-${lang}-login-locked`);

    // The server does not answer (a proxy's 503 without a JSON body), then no connection at all.
    await page.route('**/api/v1/session', (r) => r.fulfill({ status: 503, body: 'Service Unavailable' }));
    await submitLogin(page, 'cliente@acme.example.com', logins['cliente@acme.example.com']);
    await page.locator('main [role=alert]', { hasText: lang === 'es' ? 'no está disponible' : 'not available' }).waitFor();
    await shot(page, `first-${lang}-login-unavailable`);
    await page.unroute('**/api/v1/session');

    // An ended session: the next page the user opens says so and asks to log in again.
    await login(page, 'cliente@acme.example.com');
    await page.context().clearCookies();
    await page.goto(`${base}/#/new`);
    await page.locator('h1', { hasText: lang === 'es' ? 'Iniciar sesión' : 'Log in' }).waitFor();
    const notice = await page.locator('main .notice').first().textContent();
    assert.match(notice, lang === 'es' ? /Su sesión terminó/ : /session/i);
    await shot(page, `first-${lang}-login-session-ended`);

    const texts = [wrong, locked, notice];
    assert.equal(new Set(texts).size, texts.length, `four different sentences: ${texts.join(' | ')}`);
    for (const text of texts) assert.doesNotMatch(text, /email or password is wrong|too many failed logins|log in first/);
    await page.context().close();
  }
});

test('the customer with one contract: the new-ticket form shows no "null" (es, en; desktop, phone)', async () => {
  for (const [locale, lang] of LANGS) {
    for (const [vp, width] of WIDTHS) {
      const page = await h.newPage(browser, locale, vp);
      await login(page, 'cliente@globex.example.com');
      await page.goto(`${base}/#/new`);
      await page.locator('#subject').waitFor();
      assert.equal(await page.locator('#contract').count(), 0, 'one contract: no contract choice');
      assert.doesNotMatch(await page.locator('main').innerText(), /\bnull\b/);
      await shot(page, `first-${lang}-${width}-new-ticket-one-contract`);
      await page.context().close();
    }
  }
});

test('an organisation\'s slug is checked in the reader\'s language; a taken one is said so', async () => {
  for (const [locale, lang] of LANGS) {
    const page = await h.newPage(browser, locale);
    await login(page, 'admin@example.com');
    await page.goto(`${base}/#/admin`);
    const form = page.locator('form', { has: page.locator('h2', { hasText: lang === 'es' ? 'Nueva organización' : 'New organisation' }) });
    await form.waitFor();
    const [slug, name] = [form.locator('input').nth(0), form.locator('input').nth(1)];
    await slug.fill('Mala Org');
    await name.fill('Mala');
    await form.locator('button[type=submit]').click();
    const bad = (await form.locator('[role=alert]').textContent()).trim();
    assert.match(bad, lang === 'es' ? /letras minúsculas/ : /lower-case letters/);
    assert.doesNotMatch(bad, /may contain only/);
    assert.equal(await slug.getAttribute('aria-invalid'), 'true');
    await shot(page, `first-${lang}-admin-slug-invalid`);
    await slug.fill('acme');
    await form.locator('button[type=submit]').click();
    await form.locator('.error', { hasText: lang === 'es' ? 'Ya existe' : 'already exists' }).waitFor();
    await shot(page, `first-${lang}-admin-slug-taken`);
    await page.context().close();
  }
});
