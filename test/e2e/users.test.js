// Browser tests of managing users after creation (issue 6): an admin makes a customer its
// organisation's administrator and sets its mail language from the organisation's page; the
// organisation's administrator sees its colleagues in the portal's Users page and revokes the
// role; a plain customer has no Users page. Screenshots in test/e2e/artifacts/users-*.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const { BIN, PHONE, shot } = h;
const OLGA_PW = 'usuarios-admin-pw-1';

let server; let base; let browser; let dataDir; let adminToken;
const logins = {};

function cli(args, input) {
  return execFileSync(BIN, args, { encoding: 'utf8', timeout: 120000, input }).trim();
}

async function acmeUser(email) {
  const res = await fetch(`${base}/api/v1/users?org=acme`, { headers: { Authorization: `Bearer ${adminToken}` } });
  assert.equal(res.status, 200);
  const u = (await res.json()).users.find((x) => x.email === email);
  assert.ok(u, `${email} is an acme user`);
  return u;
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soporte-e2e-users-'));
  Object.assign(logins, h.demoLogins(dataDir));
  cli(['user', 'add', '--data', dataDir, '--email', 'olga.ti@acme.example.com', '--name', 'Olga Admin TI',
    '--role', 'customer', '--org', 'acme', '--org-admin', '--password-stdin'], `${OLGA_PW}\n`);
  logins['olga.ti@acme.example.com'] = OLGA_PW;
  adminToken = cli(['token', 'create', '--data', dataDir, '--email', 'admin@example.com']);
  const s = await h.startServer(dataDir);
  server = s.p; base = s.url;
  browser = await h.launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await h.stopServer(server);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const login = (page, email) => h.login(page, base, email, logins[email]);

test('an admin makes a customer its organisation\'s administrator and sets its mail language', async () => {
  const page = await h.newPage(browser, 'es-CO');
  await login(page, 'admin@example.com');
  await page.goto(`${base}/#/admin/org/acme`);
  const row = page.locator('table.users tr[data-email="cliente@acme.example.com"]');
  await row.waitFor();
  assert.equal(await row.locator('.badge.org-admin').count(), 0);
  await row.locator('button', { hasText: 'Hacer administrador' }).click();
  await page.locator('#toast', { hasText: 'Carlos Cliente ahora administra la organización.' }).waitFor();
  await row.locator('button', { hasText: 'Quitar administrador' }).waitFor();
  assert.equal(await row.locator('.badge.org-admin').textContent(), 'Administrador');
  await row.locator('select[aria-label^="Idioma del correo"]').selectOption('en');
  await page.locator('#toast', { hasText: 'Idioma del correo de Carlos Cliente guardado.' }).waitFor();
  await shot(page, 'users-es-desktop-admin-org');
  const carlos = await acmeUser('cliente@acme.example.com');
  assert.equal(carlos.org_admin, true);
  assert.equal(carlos.lang, 'en');
  // The staff list has no organisation-administrator column, and an admin's role select.
  await page.goto(`${base}/#/admin/users`);
  await page.locator('table.users tr[data-email="agente@example.com"] select[aria-label^="Rol"]').waitFor();
  assert.equal(await page.locator('table.users th', { hasText: 'Administrador de la organización' }).count(), 0);
  await shot(page, 'users-es-desktop-admin-staff');
  await page.context().close();
});

test('the organisation\'s administrator revokes a colleague in the portal; a plain customer has no Users page', async () => {
  const page = await h.newPage(browser, 'es-CO');
  await login(page, 'olga.ti@acme.example.com');
  await page.locator('nav a', { hasText: 'Usuarios' }).click();
  await page.locator('h1', { hasText: 'Usuarios de la organización' }).waitFor();
  const own = page.locator('table.users tr[data-email="olga.ti@acme.example.com"]');
  assert.match(await own.textContent(), /\(usted\)/);
  assert.equal(await own.locator('button').count(), 0, 'no button to revoke oneself');
  const carlos = page.locator('table.users tr[data-email="cliente@acme.example.com"]');
  await carlos.locator('button', { hasText: 'Quitar administrador' }).click();
  await page.locator('#toast', { hasText: 'Carlos Cliente ya no administra la organización.' }).waitFor();
  await carlos.locator('button', { hasText: 'Hacer administrador' }).waitFor();
  await shot(page, 'users-es-desktop-portal');
  assert.equal((await acmeUser('cliente@acme.example.com')).org_admin, false);
  assert.equal(await page.locator('table.users tr[data-email^="cliente@globex"]').count(), 0, 'only acme');
  await page.context().close();

  const phone = await h.newPage(browser, 'en-US', PHONE);
  await login(phone, 'olga.ti@acme.example.com');
  await phone.goto(`${base}/#/users`);
  await phone.locator('h1', { hasText: 'Your organisation\'s users' }).waitFor();
  await phone.locator('table.users tr[data-email="cliente@acme.example.com"] button', { hasText: 'Make administrator' }).waitFor();
  await shot(phone, 'users-en-phone-portal');
  await phone.context().close();

  const plain = await h.newPage(browser, 'es-CO');
  await login(plain, 'cliente@globex.example.com');
  assert.equal(await plain.locator('nav a', { hasText: 'Usuarios' }).count(), 0);
  await plain.goto(`${base}/#/users`);
  await plain.waitForURL(/#\/tickets/);
  await plain.locator('h1', { hasText: 'Tickets de mi organización' }).waitFor();
  assert.equal(await plain.locator('h1', { hasText: 'Usuarios de la organización' }).count(), 0);
  await plain.context().close();
});
