// Browser test of the console's live queue (issue 18, part 4): a change made by another user
// patches the open console's row in place (one read of that ticket, no new read of the list, no
// page reload); a change that moves the row (its due) reads the list again. The real binary with
// demo data, Debian's Chromium driven by playwright-core; screenshots in test/e2e/artifacts/.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

let server;
let base;
let browser;
let dataDir;
const logins = {};

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soporte-e2e-queue-'));
  Object.assign(logins, h.demoLogins(dataDir));
  const s = await h.startServer(dataDir);
  server = s.p;
  base = s.url;
  browser = await h.launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await h.stopServer(server);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a change by another user patches the open console row in place; a moved due reads the list again', async () => {
  const token = execFileSync(h.BIN, ['token', 'create', '--data', dataDir, '--email', 'supervisor@example.com'],
    { encoding: 'utf8' }).trim();
  const asSupervisor = async (method, url, body) => {
    const res = await fetch(`${base}${url}`, {
      method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${url}: ${res.status} ${text}`);
    return JSON.parse(text);
  };
  const agentId = (await asSupervisor('GET', '/api/v1/users')).users.find((u) => u.email === 'agente@example.com').id;

  const page = await h.newPage(browser, 'es-CO');
  const lists = [];
  const singles = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname === '/api/v1/tickets' && r.method() === 'GET') lists.push(u.search);
    if (/^\/api\/v1\/tickets\/\d+$/.test(u.pathname) && r.method() === 'GET') singles.push(u.pathname);
  });
  await h.login(page, base, 'agente@example.com', logins['agente@example.com']);
  await page.goto(`${base}/#/queue`);
  await page.locator('.live.on').waitFor();
  const first = page.locator('tr[data-number]').first();
  await first.waitFor();
  // The default view asks the server for the active tickets (not a page to filter in the browser).
  assert.match(lists[lists.length - 1], /status=active/);
  const number = Number(await first.getAttribute('data-number'));
  const listsBefore = lists.length;
  await page.evaluate(() => { window.__sameDocument = true; });

  // Another user assigns the ticket: same due, same filters → the row is patched in place.
  await asSupervisor('PATCH', `/api/v1/tickets/${number}`, { assignee: agentId });
  const row = page.locator(`tr[data-number="${number}"]`);
  await row.locator('td', { hasText: 'Andrea Agente' }).waitFor({ timeout: 20000 });
  await h.shot(page, 'es-desktop-queue-patched');
  assert.equal(lists.length, listsBefore, `the list was read again: ${lists.slice(listsBefore)}`);
  assert.ok(singles.includes(`/api/v1/tickets/${number}`), 'the changed ticket was read alone');
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was reloaded');

  // A change of the criticality moves its due (the sort key): the list is read once more.
  const before = await asSupervisor('GET', `/api/v1/tickets/${number}`);
  const crit = before.criticality === 'critical' ? 'normal' : 'critical';
  const after = await asSupervisor('PATCH', `/api/v1/tickets/${number}`, { criticality: crit });
  assert.notEqual(after.response_due, before.response_due);
  for (let i = 0; i < 100 && lists.length === listsBefore; ++i) await page.waitForTimeout(100);
  assert.equal(lists.length, listsBefore + 1, 'a moved due reads the list again, once');
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was reloaded');
  await page.context().close();
});
