// Browser tests of the customer profile (issue 6): the organisation's administrator maintains
// the profile in the portal (adds a host, a secret), reveals a secret only with a reason, and a
// plain customer sees no edit or reveal controls; the agent sees the ticket's environment and
// component versions in the ticket's side panel. Screenshots in test/e2e/artifacts/profile-*.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const { BIN, DESKTOP, PHONE, shot } = h;
const ADMIN_PW = 'perfil-admin-pw-1';
const SECRET = 'Vpn-Clave-e2e-4411';

let server; let base; let browser; let dataDir; let agentToken; let ticket;
const logins = {};

function cli(args, input) {
  return execFileSync(BIN, args, { encoding: 'utf8', timeout: 120000, input }).trim();
}

async function call(method, p, body) {
  const res = await fetch(`${base}${p}`, { method, headers: { Authorization: `Bearer ${agentToken}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined });
  const json = await res.json();
  assert.ok(res.status < 300, `${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soporte-e2e-profile-'));
  Object.assign(logins, h.demoLogins(dataDir));
  cli(['user', 'add', '--data', dataDir, '--email', 'admin.ti@acme.example.com', '--name', 'Olga Admin TI',
    '--role', 'customer', '--org', 'acme', '--org-admin', '--password-stdin'], `${ADMIN_PW}\n`);
  logins['admin.ti@acme.example.com'] = ADMIN_PW;
  agentToken = cli(['token', 'create', '--data', dataDir, '--email', 'agente@example.com']);
  const s = await h.startServer(dataDir);
  server = s.p; base = s.url;
  // A profile for acme, written through the API as an agent would.
  const env = await call('POST', '/api/v1/orgs/acme/profile/environments', { kind: 'prod', name: 'Producción Bogotá' });
  await call('POST', '/api/v1/orgs/acme/profile/hosts', { environment: env.id, name: 'app01', address: 'app01.acme.example.com', port: 8443 });
  const comp = await call('POST', '/api/v1/orgs/acme/profile/components', { environment: env.id, name: 'FOX', version: '1.4.2.3' });
  await call('POST', '/api/v1/orgs/acme/profile/patches', { component: comp.id, name: 'hotfix-12', applied_on: '2026-10-01' });
  await call('POST', '/api/v1/orgs/acme/profile/os_users', { environment: env.id, user: 'foxsvc', password: 'otra-clave-1' });
  await call('POST', '/api/v1/orgs/acme/profile/remote_access', { environment: env.id, method: 'vpn', address: 'vpn.acme.example.com', user: 'soporte', password: SECRET, instructions: 'Token con Beatriz' });
  const boss = await call('POST', '/api/v1/orgs/acme/profile/contacts', { name: 'Beatriz Jefe', role: 'Gerente TI', phone: '+57 1 555 0100', extension: '204', email: 'beatriz@acme.example.com' });
  await call('POST', '/api/v1/orgs/acme/profile/contacts', { name: 'Walter Operador', role: 'Operador', reports_to: boss.id });
  await call('POST', '/api/v1/orgs/acme/profile/environments', { kind: 'qa', name: 'Calidad' });
  ticket = (await call('POST', '/api/v1/tickets', { org: 'acme', type: 'incident', criticality: 'important', environment: 'prod',
    subject: 'FOX no inicia en producción', requester: 'cliente@acme.example.com' })).number;
  browser = await h.launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await h.stopServer(server);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const newPage = (locale, viewport = DESKTOP) => h.newPage(browser, locale, viewport);
const login = (page, email) => h.login(page, base, email, logins[email]);

test('the organisation administrator maintains the profile and reveals a secret only with a reason', async () => {
  const page = await newPage('es-CO');
  await login(page, 'admin.ti@acme.example.com');
  await page.locator('nav a', { hasText: 'Perfil' }).click();
  await page.locator('h1', { hasText: 'Perfil de' }).waitFor();
  await page.locator('.environment h2', { hasText: 'Producción Bogotá' }).waitFor();
  assert.equal(await page.locator('text=' + SECRET).count(), 0, 'a secret is never on the page before a reveal');
  assert.match(await page.locator('.contacts').textContent(), /Walter Operador/);
  await shot(page, 'profile-es-desktop-admin');

  // Add a host to production through the form.
  const prod = page.locator('.environment[data-env=prod]');
  await prod.locator('button[data-add=hosts]').click();
  const form = prod.locator('form.profile-form[data-kind=hosts]');
  await form.locator('input[name=address]').fill('db01.acme.example.com');
  await form.locator('input[name=port]').fill('5432');
  await form.locator('button[type=submit]').click();
  await page.locator('.environment[data-env=prod] .profile-entry', { hasText: 'db01.acme.example.com' }).waitFor();

  // An environment with nothing yet (issue 19): one line naming its empty sections and one action
  // to add to any of them, never "Nada registrado." section after section.
  const qa = page.locator('.environment[data-env=qa]');
  assert.equal(await qa.locator('.empty', { hasText: 'Nada registrado' }).count(), 0);
  assert.match(await qa.locator('.empty-sections').textContent(), /Sin registrar aún: Servidores y puertos, .*Componentes y versiones\./);
  assert.equal(await qa.locator('button.add').count(), 1, 'one action to add');
  await qa.locator('select[data-add-which]').selectOption('components');
  await qa.locator('button[data-add-empty]').click();
  const cf = qa.locator('form.profile-form[data-kind=components]');
  await cf.locator('input[name=name]').fill('FOX');
  await cf.locator('input[name=version]').fill('1.5.0');
  await cf.locator('button[type=submit]').click();
  await page.locator('.environment[data-env=qa] .profile-entry', { hasText: 'FOX' }).waitFor();
  assert.doesNotMatch(await page.locator('.environment[data-env=qa] .empty-sections').textContent(), /Componentes/);
  await shot(page, 'profile-es-desktop-empty-sections');

  // Reveal: the reason is required (the browser's own check), then the value shows.
  const remote = page.locator('.remote');
  await remote.locator('button.reveal-open').first().click();
  await remote.locator('.reveal-form button[type=submit]').click();
  assert.equal(await remote.locator('code.revealed').count(), 0, 'no reason, no reveal');
  await remote.locator('.reveal-reason').fill('Ticket #' + ticket + ': probar la VPN');
  await shot(page, 'profile-es-desktop-reveal-reason');
  await remote.locator('.reveal-form button[type=submit]').click();
  await remote.locator('code.revealed', { hasText: SECRET }).waitFor();
  await shot(page, 'profile-es-desktop-revealed');

  // The history reads as sentences with the catalog's labels, never field names (issue 19).
  await page.reload();
  const hist = page.locator('.history-card');
  await hist.locator('li', { hasText: 'revelada por' }).waitFor();
  const histText = await hist.textContent();
  assert.match(histText, /Contraseña revelada por [^,]+, motivo: Ticket #\d+: probar la VPN/);
  assert.match(histText, /Dirección: db01\.acme\.example\.com/);
  assert.doesNotMatch(histText, /revealed:|address:|reports_to|port:/);
  await shot(page, 'profile-es-desktop-history');
  await page.context().close();

  // The reveal is in the log, with the reason.
  const log = await fetch(`${base}/api/v1/orgs/acme/profile/reveals`, { headers: { Authorization: `Bearer ${cli(['token', 'create', '--data', dataDir, '--email', 'supervisor@example.com'])}` } });
  const reveals = (await log.json()).reveals;
  assert.equal(reveals.length, 1);
  assert.match(reveals[0].reason, /probar la VPN/);
  assert.equal(reveals[0].by.email, 'admin.ti@acme.example.com');
});

test('a plain customer reads the profile without edit or reveal controls (phone width, English)', async () => {
  const page = await newPage('en-US', PHONE);
  await login(page, 'cliente@acme.example.com');
  await page.goto(`${base}/#/profile`);
  await page.locator('h1', { hasText: 'Profile of' }).waitFor();
  assert.equal(await page.locator('button.add').count(), 0);
  assert.equal(await page.locator('button.reveal-open').count(), 0);
  assert.match(await page.locator('.remote').textContent(), /Set/);
  // Without edit controls an environment's title stands alone (no stray "null" where they would be).
  assert.doesNotMatch(await page.locator('.environment').first().textContent(), /null/);
  // Any reader may export (without secrets); only editors import, only who may reveal exports secrets.
  assert.equal(await page.locator('.transfer-card [data-action=export]').count(), 1);
  assert.equal(await page.locator('.transfer-card [data-action=import]').count(), 0);
  assert.equal(await page.locator('.transfer-card [data-action=export-secrets]').count(), 0);
  await shot(page, 'profile-en-phone-customer');
  await page.context().close();
});

test('the agent sees the ticket\'s environment and component versions beside the ticket', async () => {
  const page = await newPage('es-CO');
  await login(page, 'agente@example.com');
  await page.goto(`${base}/#/t/${ticket}`);
  const panel = page.locator('.profile-panel');
  try {
    await panel.locator('h3', { hasText: 'Producción Bogotá' }).waitFor();
  } finally {
    await shot(page, 'profile-es-desktop-agent-ticket');
  }
  const text = await panel.textContent();
  assert.match(text, /FOX 1\.4\.2\.3/);
  assert.match(text, /hotfix-12/);
  assert.match(text, /app01\.acme\.example\.com:8443/);
  assert.doesNotMatch(text, /Calidad/, 'only the ticket\'s environment');
  await shot(page, 'profile-es-desktop-agent-ticket');
  await panel.locator('a', { hasText: 'Ver el perfil completo' }).click();
  await page.locator('h1', { hasText: 'Perfil de' }).waitFor();
  await page.locator('.history-card li').first().waitFor();
  await shot(page, 'profile-es-desktop-agent-profile');
  await page.context().close();
});

test('the new-ticket form asks once for missing recommended items; the ticket shows its checklist', async () => {
  const page = await newPage('es-CO');
  await login(page, 'cliente@acme.example.com');
  await page.goto(`${base}/#/new`);
  await page.locator('#subject').waitFor();
  await page.locator('label[for=type-incident]').click();
  await page.locator('label[for=environment-qa]').click();
  await page.locator('label[for=criticality-normal]').click();
  await page.locator('#subject').fill('Reporte mensual lento en QA');
  await page.locator('#scenario').fill('1. Abrir Reportes\n2. Generar el mensual');
  await page.locator('form button[type=submit]').click();
  const warning = page.locator('#intake-warning');
  await warning.waitFor();
  assert.match(await warning.textContent(), /Logs.*Modificaciones realizadas.*Versiones/);
  await shot(page, 'profile-es-desktop-new-ticket-missing');
  await page.locator('#versions').fill('FOX 1.4.2.3, Oracle 19c');
  await page.locator('form button[type=submit]').click();
  await page.locator('.ticket-page h1', { hasText: 'Reporte mensual lento' }).waitFor();
  const list = page.locator('.checklist');
  await list.waitFor();
  assert.equal(await list.locator('li.present[data-item=versions]').count(), 1);
  assert.equal(await list.locator('li.present[data-item=steps]').count(), 1);
  assert.equal(await list.locator('li.missing[data-item=logs]').count(), 1);
  await shot(page, 'profile-es-desktop-ticket-checklist');
  await page.context().close();
});

test('the administrator exports the profile (without and with secrets) and imports it back', async () => {
  const page = await newPage('es-CO');
  await login(page, 'admin.ti@acme.example.com');
  await page.locator('nav a', { hasText: 'Perfil' }).click();
  const card = page.locator('.transfer-card');
  await card.waitFor();

  // Without secrets: a download named after the organisation, with no secret in it.
  const [plain] = await Promise.all([page.waitForEvent('download'), card.locator('[data-action=export]').click()]);
  assert.match(plain.suggestedFilename(), /^soporte-profile-acme-\d{4}-\d{2}-\d{2}\.json$/);
  const plainText = fs.readFileSync(await plain.path(), 'utf8');
  assert.equal(JSON.parse(plainText).format, 'soporte-profile');
  assert.match(plainText, /vpn\.acme\.example\.com/);
  assert.ok(!plainText.includes(SECRET), 'a default export holds no secret');

  // With secrets: reason and passphrase (twice); the file carries them encrypted only.
  await card.locator('[data-action=export-secrets]').click();
  const form = card.locator('form.export-secrets-form');
  await form.locator('input[name=reason]').fill('Copia antes de migrar el servidor');
  await form.locator('input[name=passphrase]').fill('frase de paso de prueba');
  await form.locator('input[name=passphrase2]').fill('frase de paso de prueba');
  await shot(page, 'profile-es-desktop-export-secrets');
  const [withSecrets] = await Promise.all([page.waitForEvent('download'), form.locator('button[type=submit]').click()]);
  assert.match(withSecrets.suggestedFilename(), /-secrets\.json$/);
  const secretText = fs.readFileSync(await withSecrets.path(), 'utf8');
  assert.equal(JSON.parse(secretText).secrets, 'encrypted');
  assert.ok(!secretText.includes(SECRET), 'exported secrets are encrypted');

  // Import the file back (merge): everything already matches; the toast says so.
  const file = path.join(dataDir, 'export-secrets.json');
  fs.writeFileSync(file, secretText);
  await card.locator('[data-action=import]').click();
  const imp = page.locator('form.import-form');
  await imp.locator('input[name=file]').setInputFiles(file);
  await imp.locator('input[name=passphrase]').fill('una frase equivocada');
  await imp.locator('button[type=submit]').click();
  await imp.locator('.error', { hasText: 'La frase de paso no es correcta' }).waitFor();
  assert.doesNotMatch(await imp.locator('.error').textContent(), /passphrase/);
  await shot(page, 'profile-es-desktop-import-wrong-passphrase');
  await imp.locator('input[name=passphrase]').fill('frase de paso de prueba');
  await imp.locator('button[type=submit]').click();
  await page.locator('text=/Importado: 0 nuevas/').waitFor();
  await shot(page, 'profile-es-desktop-imported');
  await page.context().close();
});
