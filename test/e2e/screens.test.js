// Every page a person meets, in Spanish and English (issue 19): at phone width (390×844) each
// staff, customer and admin page is visited, kept as a screenshot and checked by harness.shot
// (no "null", no raw keys, no sideways scroll); the phone header folds its links behind one
// menu button.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const { PHONE, shot } = h;
const LANGS = [['es-CO', 'es'], ['en-US', 'en']];

// The pages of each kind of user: [name, hash, a selector that shows the page is drawn].
const STAFF_PAGES = [
  ['queue', '#/queue', 'table.tickets, .empty'],
  ['ticket', '#/t/1001', '#reply'],
  ['call', '#/call', 'main form'],
  ['chats', '#/chats', 'main h1'],
  ['inbox', '#/inbox', 'main h1'],
  ['oncall', '#/oncall', 'main h1'],
  ['alerts', '#/alerts', 'main h1'],
  ['reports', '#/reports', 'main h1'],
  ['profile', '#/profile/globex', '.profile-page'],
  ['orgs', '#/orgs', 'table.orgs'],
];
const ADMIN_PAGES = [
  ['admin-orgs', '#/admin', 'nav.tabs'],
  ['admin-org', '#/admin/org/acme', 'nav.tabs'],
  ['admin-users', '#/admin/users', 'nav.tabs'],
  ['admin-calendars', '#/admin/calendars', 'nav.tabs'],
  ['admin-settings', '#/admin/settings', 'nav.tabs'],
  ['admin-audit', '#/admin/audit', 'nav.tabs'],
  ['admin-webhooks', '#/admin/webhooks', 'nav.tabs'],
];
const CUSTOMER_PAGES = [
  ['tickets', '#/tickets', 'main h1'],
  ['new', '#/new', '#subject'],
  ['ticket', '#/t/1001', '#reply'],
  ['profile', '#/profile', '.profile-page'],
  ['reports', '#/reports', 'main h1'],
];

let server;
let base;
let browser;
let dataDir;
const logins = {};

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soporte-e2e-screens-'));
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

async function visit(page, pages, who, lang) {
  for (const [name, hash, ready] of pages) {
    await page.goto(`${base}/${hash}`);
    await page.locator(ready).first().waitFor();
    await page.locator('main .loading').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
    await shot(page, `screens-${lang}-phone-${who}-${name}`);
  }
}

test('phone: the header is one line with a menu button that opens the links (es, en)', async () => {
  for (const [locale, lang] of LANGS) {
    const page = await h.newPage(browser, locale, PHONE);
    await h.login(page, base, 'agente@example.com', logins['agente@example.com']);
    const toggle = page.locator('#menu-toggle');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('nav[aria-label] a').first().isVisible(), false);
    const header = await page.locator('#top').boundingBox();
    assert.ok(header.height <= 0.1 * PHONE.height, `header is ${header.height} px high`);
    assert.equal((await toggle.textContent()).trim(), lang === 'es' ? 'Menú' : 'Menu');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await shot(page, `screens-${lang}-phone-menu-open`);
    await page.locator('nav[aria-label] a[href="#/reports"]').click();
    await page.locator('main h1').waitFor();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false', 'moving to a page closes the menu');
    await page.context().close();
  }
});

test('phone: every staff, admin and customer page fits 390 px (es, en)', async () => {
  for (const [locale, lang] of LANGS) {
    const page = await h.newPage(browser, locale, PHONE);
    await page.goto(`${base}/#/login`);
    await page.locator('input[name=email]').waitFor();
    await shot(page, `screens-${lang}-phone-login`);
    await page.goto(`${base}/#/forgot`);
    await page.locator('main h1').waitFor();
    await shot(page, `screens-${lang}-phone-forgot`);
    await h.login(page, base, 'admin@example.com', logins['admin@example.com']);
    await visit(page, STAFF_PAGES, 'staff', lang);
    await visit(page, ADMIN_PAGES, 'admin', lang);
    await page.context().close();

    const customer = await h.newPage(browser, locale, PHONE);
    await h.login(customer, base, 'cliente@acme.example.com', logins['cliente@acme.example.com']);
    await visit(customer, CUSTOMER_PAGES, 'customer', lang);
    await customer.context().close();
    const globex = await h.newPage(browser, locale, PHONE);
    await h.login(globex, base, 'cliente@globex.example.com', logins['cliente@globex.example.com']);
    await visit(globex, [['profile', '#/profile', '.profile-page'], ['new', '#/new', '#subject']], 'customer-globex', lang);
    await globex.context().close();
  }
});

const LAPTOP = { width: 1366, height: 768 };

// The box of `locator` lies wholly inside the first screen (no scrolling needed to read it).
async function inFirstScreen(page, locator, what) {
  const box = await locator.boundingBox();
  assert.ok(box, `${what} is shown`);
  const vp = page.viewportSize();
  assert.ok(box.y >= 0 && box.x >= 0 && box.y + box.height <= vp.height && box.x + box.width <= vp.width,
    `${what} inside the ${vp.width}×${vp.height} screen: ${JSON.stringify(box)}`);
}

// How many lines the text of the first element matching `selector` takes.
function linesOf(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
  }, selector);
}

test('the agent\'s ticket page: SLA state and the customer\'s environment on the first laptop screen; the rest in tabs (es, en)', async () => {
  for (const [locale, lang] of LANGS) {
    const page = await h.newPage(browser, locale, LAPTOP);
    await h.login(page, base, 'agente@example.com', logins['agente@example.com']);
    for (const number of [1003, 1001]) {
      await page.goto(`${base}/#/t/${number}`);
      const panel = page.locator('.profile-panel');
      await panel.locator('a[href^="#/profile/"]').waitFor();
      await inFirstScreen(page, page.locator('.due-box'), 'the SLA state');
      await inFirstScreen(page, panel, 'the environment / versions / remote access panel');
      if (number === 1003) {  // globex has a profile: its development environment, versions and VPN
        assert.match(await panel.innerText(), /Pólizas 3\.1\.0/);
        assert.match(await panel.locator('.panel-remote').innerText(), /VPN/);
      }
      await shot(page, `screens-${lang}-laptop-agent-ticket-${number}`);
    }
    // The tabs, by keyboard: the arrow moves to the next tab and shows its panel.
    const manage = page.locator('#tk-tab-manage');
    assert.equal(await manage.getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('#tk-panel-sla').isVisible(), false);
    await manage.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('#tk-tab-sla').getAttribute('aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tk-tab-sla');
    await page.locator('#tk-panel-sla ol.timeline').waitFor();
    await shot(page, `screens-${lang}-laptop-agent-ticket-sla`);
    await page.keyboard.press('End');
    await page.locator('#tk-panel-history ol.history').waitFor();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('#tk-tab-org').getAttribute('aria-selected'), 'true');
    // Words break at their ends: the zone and the e-mail each stay whole on their line.
    const zone = page.locator('#tk-panel-org dl.contract dd', { hasText: 'America/Bogota' });
    await zone.waitFor();
    await zone.evaluate((el) => el.setAttribute('data-probe', 'zone'));
    assert.equal(await linesOf(page, '[data-probe=zone]'), 1, 'America/Bogota is not broken');
    assert.equal(await linesOf(page, '#tk-panel-org a[href^="mailto:"]'), 1, 'the e-mail is not broken');
    await shot(page, `screens-${lang}-laptop-agent-ticket-contract`);
    // "l" opens the call tab and puts the cursor in its notes.
    await page.locator('main h1').click();
    await page.keyboard.press('l');
    assert.equal(await page.locator('#tk-tab-call').getAttribute('aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tcall-notes');
    await page.context().close();
  }
});

test('finding a customer: the directory searches by name or slug and says what each profile lacks (es, en)', async () => {
  for (const [locale, lang] of LANGS) {
    const page = await h.newPage(browser, locale, h.DESKTOP);
    await h.login(page, base, 'agente@example.com', logins['agente@example.com']);
    await page.locator('nav a[href="#/orgs"]').click();
    const rows = page.locator('table.orgs tbody tr');
    await rows.first().waitFor();
    assert.deepEqual(await rows.evaluateAll((rs) => rs.map((r) => r.dataset.slug)), ['acme', 'globex']);
    const acme = page.locator('tr[data-slug=acme]');
    // The demo's acme has no profile yet: all four kinds of information are missing.
    assert.equal(await acme.locator('.missing-area').count(), 4);
    assert.match(await acme.innerText(), lang === 'es' ? /24x7 — 24 horas|24x7/ : /24x7/);
    assert.match(await acme.locator('a[href="#/queue?org=acme"]').innerText(), lang === 'es' ? /2 abiertos/ : /2 open/);
    await shot(page, `screens-${lang}-desktop-orgs`);

    await page.locator('#orgs-q').fill('GLOB');
    await page.locator('form[role=search] button[type=submit]').click();
    await page.locator('table.orgs tbody tr[data-slug=globex]').waitFor();
    await page.locator('tr[data-slug=acme]').waitFor({ state: 'detached' });
    assert.equal(await rows.count(), 1);

    await page.locator('#orgs-q').fill('');
    await page.locator('#orgs-missing').selectOption('versions');
    await page.locator('form[role=search] button[type=submit]').click();
    await page.locator('tr[data-slug=acme]').waitFor();
    assert.deepEqual(await rows.evaluateAll((rs) => rs.map((r) => r.dataset.slug)), ['acme']);

    await page.locator('#orgs-q').fill('nadie');
    await page.locator('form[role=search] button[type=submit]').click();
    await page.locator('main .empty').waitFor();
    await shot(page, `screens-${lang}-desktop-orgs-empty`);

    await page.locator('#orgs-q').fill('');
    await page.locator('#orgs-missing').selectOption('');
    await page.locator('form[role=search] button[type=submit]').click();
    await page.locator('tr[data-slug=globex] a[href="#/profile/globex"]').click();
    await page.locator('.profile-page').waitFor();
    await page.context().close();
  }
  // A customer has no directory: the link is absent and the address leads home.
  const customer = await h.newPage(browser, 'es-CO', h.DESKTOP);
  await h.login(customer, base, 'cliente@acme.example.com', logins['cliente@acme.example.com']);
  assert.equal(await customer.locator('nav a[href="#/orgs"]').count(), 0);
  await customer.goto(`${base}/#/orgs`);
  await customer.waitForURL(/#\/tickets/);
  await customer.context().close();
});
