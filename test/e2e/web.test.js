// Browser tests of the web UI (issue 5): the real `soporte` binary on port 0 with demo data,
// driven in Debian's Chromium by playwright-core (never a downloaded browser). Every page visited
// is kept as a screenshot in test/e2e/artifacts/ (desktop and phone widths).
// SOPORTE_BIN names the binary (default: ../../build/asan-ubsan/src/main/soporte).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness');

const { BIN, DESKTOP, PHONE, shot } = h;

let server;
let base;
let browser;
let dataDir;
const logins = {};
let acmeTicket = 1001;  // the first demo ticket (acme); the first test sets its own

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soporte-e2e-'));
  Object.assign(logins, h.demoLogins(dataDir));
  const s = await h.startServer(dataDir, [
    '--support-email', 'soporte@example.com', '--support-phone', '+57 320 000 0000',
    '--portal-url', 'https://soporte.example.com',
    '--support-hours-es', 'Correo: lunes a viernes de 8:00 a 18:00. Teléfono 24x7 para contratos 24x7.',
    '--support-hours-en', 'Email: Monday to Friday, 8:00 to 18:00. Phone 24x7 for 24x7 contracts.']);
  server = s.p;
  base = s.url;
  browser = await h.launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await h.stopServer(server);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const newPage = (locale, viewport = DESKTOP) => h.newPage(browser, locale, viewport);
const login = (page, email) => h.login(page, base, email, logins[email]);

test('static assets: served with types, ETag, security headers; unknown /ui path is a JSON 404', async () => {
  const res = await fetch(`${base}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.match(res.headers.get('content-security-policy'), /default-src 'self'/);
  assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const etag = res.headers.get('etag');
  assert.ok(etag);
  const again = await fetch(`${base}/`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  const js = await fetch(`${base}/ui/js/app.js`);
  assert.match(js.headers.get('content-type'), /text\/javascript/);
  const missing = await fetch(`${base}/ui/nope.js`);
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error.code, 'not_found');
  const events = await fetch(`${base}/api/v1/events`);
  assert.equal(events.status, 401);
});

test('customer opens a ticket with an attachment and sees the due; the agent sees it live and replies; the customer sees the reply', async () => {
  // The agent works in English (browser language), the customer in Spanish (default).
  const agent = await newPage('en-US');
  await login(agent, 'agente@example.com');
  await agent.locator('h1', { hasText: 'Ticket queue' }).waitFor();
  await agent.locator('.live.on').waitFor();
  await shot(agent, 'en-desktop-agent-queue');

  const customer = await newPage('es-CO');
  await customer.goto(`${base}/`);
  await customer.locator('h1', { hasText: 'Iniciar sesión' }).waitFor();
  await shot(customer, 'es-desktop-login');
  await login(customer, 'cliente@acme.example.com');
  await customer.locator('h1', { hasText: 'Tickets de mi organización' }).waitFor();
  await customer.locator('.contact', { hasText: '+57 320 000 0000' }).waitFor();
  await shot(customer, 'es-desktop-customer-tickets');

  await customer.locator('a.button', { hasText: 'Nuevo ticket' }).click();
  await customer.locator('h1', { hasText: 'Nuevo ticket' }).waitFor();
  await customer.locator('label[for=type-incident]').click();
  await customer.locator('label[for=environment-prod]').click();
  await customer.locator('label[for=criticality-critical]').click();
  await customer.locator('#due-preview strong').waitFor();
  assert.match(await customer.locator('#due-preview').textContent(), /Le responderemos a más tardar/);
  await customer.locator('#subject').fill('El cierre contable falla en Producción');
  await customer.locator('#scenario').fill('1. Entrar a Contabilidad\n2. Ejecutar el cierre\n3. Aparece el error 500');
  await customer.locator('#logs').fill('ERROR 2026-12-01 cierre: NullPointerException');
  await customer.locator('#mods').fill('Parche 4.2.1 aplicado ayer');
  const png = path.join(os.tmpdir(), 'captura.png');
  fs.writeFileSync(png, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'));
  await customer.locator('#attach-input').setInputFiles(png);
  await customer.locator('.files li', { hasText: 'captura.png' }).waitFor();
  await shot(customer, 'es-desktop-new-ticket');
  await customer.locator('form button[type=submit]').click();
  await customer.locator('.ticket-page h1', { hasText: 'El cierre contable' }).waitFor();
  const number = Number((await customer.locator('.ticket-page h1').textContent()).match(/#(\d+)/)[1]);
  acmeTicket = number;
  assert.match(await customer.locator('.due-box').textContent(), /Respuesta a más tardar/);
  const thumb = customer.locator('.attachment button.thumb[aria-label*="captura.png"]');
  await thumb.waitFor();
  await shot(customer, 'es-desktop-customer-ticket');
  // The image opens in a viewer inside the page; Esc closes it and the focus returns (issue 19).
  await thumb.click();
  const viewer = customer.locator('dialog.viewer[open]');
  await viewer.locator('img[alt="captura.png"]').waitFor();
  assert.match(await viewer.locator('.fsize').textContent(), /B/);
  await shot(customer, 'es-desktop-customer-image-viewer');
  await customer.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });
  // The dialog's close event (which gives the focus back) is a task after `open` goes away.
  await customer.waitForFunction(() => document.activeElement && document.activeElement.classList.contains('thumb'),
    null, { timeout: 5000 });

  // Live: the new ticket appears in the agent's queue without a reload.
  const row = agent.locator(`tr[data-number="${number}"]`);
  await row.waitFor({ timeout: 20000 });
  await shot(agent, 'en-desktop-agent-queue-live');
  await row.locator('a').first().click();
  await agent.locator('.ticket-page h1', { hasText: `#${number}` }).waitFor();
  await agent.locator('#tk-tab-sla').click();  // the explanation sits one tab away (issue 19)
  await agent.locator('ol.timeline').waitFor();
  assert.match(await agent.locator('#sla-h').textContent(), /Why is it due then/);
  await agent.locator('#reply').fill('Estamos revisando el cierre. ¿Puede confirmar la versión?');
  await agent.locator('form.reply button[type=submit]').click();
  await agent.locator('.message', { hasText: 'Estamos revisando' }).waitFor();
  await agent.locator('#internal').check();
  await agent.locator('#reply').fill('Nota interna: revisar parche 4.2.1');
  await agent.locator('form.reply button[type=submit]').click();
  await agent.locator('.message.internal').waitFor();
  await shot(agent, 'en-desktop-agent-ticket');

  // The customer sees the public reply (live), never the internal note.
  await customer.locator('.message', { hasText: 'Estamos revisando' }).waitFor({ timeout: 20000 });
  assert.equal(await customer.locator('.message', { hasText: 'Nota interna' }).count(), 0);
  await shot(customer, 'es-desktop-customer-ticket-reply');

  // Phone width.
  await customer.setViewportSize(PHONE);
  await shot(customer, 'es-phone-customer-ticket');
  await customer.goto(`${base}/#/tickets`);
  await customer.locator(`a[href="#/t/${number}"]`).first().waitFor();
  await shot(customer, 'es-phone-customer-tickets');
  await customer.goto(`${base}/#/new`);
  await customer.locator('#subject').waitFor();
  await shot(customer, 'es-phone-new-ticket');
  await agent.setViewportSize(PHONE);
  await agent.goto(`${base}/#/queue`);
  await agent.locator(`tr[data-number="${number}"]`).waitFor();
  await shot(agent, 'en-phone-agent-queue');
  await agent.context().close();
  await customer.context().close();
});

test('a customer cannot reach another organisation\'s ticket by URL', async () => {
  const page = await newPage('es-CO');
  await login(page, 'cliente@globex.example.com');
  await page.goto(`${base}/#/t/${acmeTicket}`);  // an acme ticket
  await page.locator('.error', { hasText: 'No existe' }).waitFor();
  assert.equal(await page.locator('.ticket-page').count(), 0);
  await shot(page, 'es-desktop-other-org-denied');
  await page.context().close();
});

test('language: English by choice, kept after a reload; keyboard shortcuts in the queue', async () => {
  const page = await newPage('es-CO');
  await login(page, 'supervisor@example.com');
  await page.locator('h1', { hasText: 'Cola de tickets' }).waitFor();
  await shot(page, 'es-desktop-supervisor-queue');
  await page.locator('#lang').selectOption('en');
  await page.locator('h1', { hasText: 'Ticket queue' }).waitFor();
  await page.reload();
  await page.locator('h1', { hasText: 'Ticket queue' }).waitFor();
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await page.locator('.ticket-page').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('h1', { hasText: 'Ticket queue' }).waitFor();
  await page.context().close();
});

test('staff pages: phone call, administration; forgot password (desktop and phone, es and en)', async () => {
  for (const [locale, lang] of [['es-CO', 'es'], ['en-US', 'en']]) {
    for (const [vp, label] of [[DESKTOP, 'desktop'], [PHONE, 'phone']]) {
      const page = await newPage(locale, vp);
      await page.goto(`${base}/#/forgot`);
      await page.locator('form input[type=email]').waitFor();
      await shot(page, `${lang}-${label}-forgot`);
      await login(page, 'admin@example.com');
      await page.goto(`${base}/#/call`);
      await page.locator('#call-org').selectOption('acme');
      await page.locator('#call-requester option[value="cliente@acme.example.com"]').waitFor({ state: 'attached' });
      await shot(page, `${lang}-${label}-phone-call`);
      for (const [hash, name] of [['#/admin', 'admin-orgs'], ['#/admin/org/acme', 'admin-org'], ['#/admin/users', 'admin-users'], ['#/admin/settings', 'admin-settings']]) {
        await page.goto(`${base}/${hash}`);
        await page.locator('.tabs').waitFor();
        await page.locator('main .card').first().waitFor();
        await shot(page, `${lang}-${label}-${name}`);
      }
      await page.context().close();
    }
  }
});

test('log a phone call: the ticket is on the phone channel, received when the call came in', async () => {
  const page = await newPage('en-US');
  await login(page, 'agente@example.com');
  await page.goto(`${base}/#/call`);
  await page.locator('#call-org').selectOption('acme');
  await page.locator('#call-requester option[value="cliente@acme.example.com"]').waitFor({ state: 'attached' });
  await page.locator('#call-requester').selectOption('cliente@acme.example.com');
  await page.locator('#call-crit').selectOption('important');
  await page.locator('#call-subject').fill('Call: reports are slow');
  await page.locator('#call-notes').fill('Customer called at 9:10 about slow reports.');
  await page.locator('form button[type=submit]').click();
  await page.locator('.ticket-page h1', { hasText: 'Call: reports are slow' }).waitFor();
  assert.match(await page.locator('.badges').textContent(), /Phone/);
  await shot(page, 'en-desktop-phone-call-ticket');
  await page.context().close();
});

test('log a phone call on an existing ticket (24x7), refused clearly on an 8x5 contract; dates have no doubled period', async () => {
  for (const [locale, lang] of [['es-CO', 'es'], ['en-US', 'en']]) {
    const page = await newPage(locale);
    await login(page, 'agente@example.com');
    await page.goto(`${base}/#/t/${acmeTicket}`);
    await page.locator('#tk-tab-call').click();
    await page.locator('#tcall-notes').waitFor();
    const due = await page.locator('.due-box').textContent();
    assert.doesNotMatch(due, /\.\./, `doubled period in "${due}"`);
    if (lang === 'es') assert.doesNotMatch(due, /p\. m\.|a\. m\./, `12-hour clock in Spanish: "${due}"`);
    await page.locator('#tcall-caller').fill('Cliente ACME');
    await page.locator('#tcall-minutes').fill('9');
    await page.locator('#tcall-notes').fill(`Llamada (${lang}): reiniciamos el servicio de cierre.`);
    await page.locator('#tcall-h').locator('xpath=..').locator('button[type=submit]').click();
    const msg = page.locator('.message', { hasText: `Llamada (${lang})` });
    await msg.waitFor();
    assert.match(await msg.locator('.call-line').textContent(), /Cliente ACME · 9 min/);
    await shot(page, `${lang}-desktop-ticket-phone-call-logged`);
    await page.context().close();
  }
  // A ticket of an 8x5 organisation: the call is refused with the reason, nothing is added.
  const page = await newPage('es-CO');
  await login(page, 'agente@example.com');
  const number = await page.evaluate(async () => {
    const me = await (await fetch('/api/v1/me')).json();
    const orgs = (await (await fetch('/api/v1/orgs')).json()).orgs;
    for (const o of orgs) {
      const cs = (await (await fetch(`/api/v1/orgs/${o.slug}/contracts`)).json()).contracts;
      if (cs.length && cs.every((c) => !c.channels.includes('phone'))) {
        const r = await fetch('/api/v1/tickets', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
          body: JSON.stringify({ org: o.slug, type: 'request', criticality: 'normal', subject: 'Consulta 8x5' }) });
        return (await r.json()).number;
      }
    }
    return 0;
  });
  assert.ok(number > 0, 'the demo data has an organisation with only 8x5 contracts');
  await page.goto(`${base}/#/t/${number}`);
  await page.locator('#tk-tab-call').click();
  // The card says so as soon as the contract is known, and its button is off.
  await page.locator('.notice', { hasText: 'no incluye la línea telefónica' }).waitFor();
  assert.ok(await page.locator('#tcall-h').locator('xpath=..').locator('button[type=submit]').isDisabled());
  // The API refuses it anyway (a stale page, an integration): 422 with the reason.
  const refused = await page.evaluate(async (n) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch(`/api/v1/tickets/${n}/calls`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({ caller: 'Alguien', notes: 'Intento de llamada' }) });
    return { status: r.status, body: await r.json() };
  }, number);
  assert.equal(refused.status, 422);
  assert.match(refused.body.error.message, /no phone line/);
  assert.equal(await page.locator('.message', { hasText: 'Intento de llamada' }).count(), 0);
  await shot(page, 'es-desktop-ticket-phone-call-refused');
  await page.context().close();
});

test('admin edits the contact settings; a bad address is named; customers see the new phone', async () => {
  const page = await newPage('es-CO');
  await login(page, 'admin@example.com');
  await page.goto(`${base}/#/admin/settings`);
  const url = page.locator('input[name=portal_url]');
  await url.waitFor();
  await url.fill('soporte.example.com');
  await page.locator('main form button[type=submit]').click();
  await page.locator('.error', { hasText: 'La dirección del portal debe empezar' }).waitFor();
  assert.equal(await url.getAttribute('aria-invalid'), 'true');
  await shot(page, 'es-desktop-admin-settings-error');
  await url.fill('https://soporte.example.com/');
  await page.locator('input[name=phone]').fill('+57 601 555 0000');
  await page.locator('main form button[type=submit]').click();
  await page.locator('#toast', { hasText: 'Datos de contacto guardados' }).waitFor();
  await page.context().close();

  const customer = await newPage('en-US');
  await login(customer, 'cliente@acme.example.com');
  await customer.locator('.contact', { hasText: '+57 601 555 0000' }).waitFor();
  await customer.context().close();
});

test('admin defines a calendar, closes a day with a reason and assigns the calendar to an 8x5 contract', async () => {
  const page = await newPage('es-CO');
  await login(page, 'admin@example.com');
  await page.goto(`${base}/#/admin/calendars`);
  await page.getByRole('link', { name: 'Calendarios' }).first().waitFor();
  await page.getByLabel('Nombre').fill('Planta Globex');
  // A lunch break on Monday: 08:00–12:00 and 14:00–18:00, added with the keyboard-usable buttons.
  const monday = page.locator('fieldset.day', { hasText: 'Lunes' });
  await monday.getByLabel('Lunes: hasta').first().fill('12:00');
  await monday.getByRole('button', { name: 'Agregar franja' }).click();
  await monday.getByLabel('Lunes: desde').nth(1).fill('14:00');
  await monday.getByLabel('Lunes: hasta').nth(1).fill('18:00');
  await page.getByRole('button', { name: 'Crear calendario' }).click();
  await page.locator('h1', { hasText: 'Planta Globex' }).waitFor();

  // Close a day with its reason.
  await page.getByLabel('Fecha').fill('2026-12-24');
  await page.getByLabel('Motivo').fill('Inventario anual');
  await page.getByRole('button', { name: 'Cerrar este día' }).click();
  await page.locator('.closures li', { hasText: 'Inventario anual' }).waitFor();
  assert.match(await page.locator('.closures li').first().innerText(), /2026-12-24/);
  await shot(page, 'es-desktop-admin-calendar');

  // Assign it to globex's 8x5 contract from the organisation page.
  await page.goto(`${base}/#/admin/org/globex`);
  const select = page.getByRole('combobox', { name: /Calendario del contrato/ }).first();
  await select.waitFor();
  await select.selectOption({ label: 'Planta Globex' });
  await page.getByRole('button', { name: 'Asignar' }).first().click();
  await page.locator('#toast', { hasText: 'Calendario asignado' }).waitFor();
  await page.reload();
  await select.waitFor();
  assert.equal(await select.locator('option:checked').innerText(), 'Planta Globex');
  await shot(page, 'es-desktop-admin-org-calendar');

  // The API agrees: the contract points at the calendar, which has the closure day.
  const contracts = await page.evaluate(async () => (await fetch('/api/v1/orgs/globex/contracts')).json());
  const calendars = await page.evaluate(async () => (await fetch('/api/v1/calendars')).json());
  const cal = calendars.calendars.find((c) => c.name === 'Planta Globex');
  assert.ok(cal);
  assert.equal(contracts.contracts[0].calendar_id, cal.id);
  assert.deepEqual(cal.hours.monday, [{ from: '08:00', to: '12:00' }, { from: '14:00', to: '18:00' }]);
  assert.equal(cal.closures[0].reason, 'Inventario anual');
  await page.context().close();

  const phone = await newPage('en-US', PHONE);
  await login(phone, 'admin@example.com');
  await phone.goto(`${base}/#/admin/calendars/${cal.id}`);
  await phone.locator('.closures li', { hasText: 'Inventario anual' }).waitFor();
  await shot(phone, 'en-phone-admin-calendar');
  await phone.context().close();
});

test('forgot password: the mailed link sets a new password that logs in (Spanish), old sessions end', async () => {
  const email = 'cliente@globex.example.com';
  const page = await newPage('es-CO');
  await page.goto(`${base}/#/login`);
  await page.locator('a[href="#/forgot"]').click();
  await page.locator('h1', { hasText: 'Recuperar la contraseña' }).waitFor();
  await page.locator('form input[type=email]').fill(email);
  await page.locator('form button[type=submit]').click();
  await page.locator('.notice', { hasText: 'el enlace ya va en camino' }).waitFor();
  await shot(page, 'es-desktop-forgot-sent');
  // The mail is in the outbox (no SMTP in this test): read the link as the customer would.
  const body = execFileSync('sqlite3', [path.join(dataDir, 'soporte.db'),
    "SELECT body_text FROM outbox WHERE kind = 'password_reset' ORDER BY id DESC LIMIT 1"], { encoding: 'utf8' });
  const link = body.match(/https:\/\/soporte\.example\.com\/#\/reset\?token=([A-Za-z0-9_-]+)/);
  assert.ok(link, `no reset link in: ${body}`);
  assert.match(body, /contraseña nueva/);
  await page.goto(`${base}/#/reset?token=${link[1]}`);
  await page.locator('h1', { hasText: 'Crear una contraseña nueva' }).waitFor();
  const inputs = page.locator('form input[type=password]');
  await inputs.nth(0).fill('una clave nueva 7');
  await inputs.nth(1).fill('una clave distinta');
  await page.locator('form button[type=submit]').click();
  await page.locator('.error', { hasText: 'no coinciden' }).waitFor();
  await inputs.nth(1).fill('una clave nueva 7');
  await page.locator('form button[type=submit]').click();
  await page.locator('.notice', { hasText: 'Su contraseña nueva quedó guardada' }).waitFor();
  await shot(page, 'es-desktop-reset-done');
  logins[email] = 'una clave nueva 7';
  await login(page, email);
  await page.locator('h1', { hasText: 'Tickets de mi organización' }).waitFor();
  await page.context().close();
  // The same link does not work twice.
  const again = await newPage('es-CO');
  await again.goto(`${base}/#/reset?token=${link[1]}`);
  const inputs2 = again.locator('form input[type=password]');
  await inputs2.nth(0).fill('otra clave nueva 8');
  await inputs2.nth(1).fill('otra clave nueva 8');
  await again.locator('form button[type=submit]').click();
  await again.locator('.error', { hasText: 'Este enlace ya no sirve' }).waitFor();
  await shot(again, 'es-desktop-reset-link-used');
  await again.context().close();
});

test('session expiry: the user is told, logs in again and lands back on the page they were on', async () => {
  const page = await newPage('en-US');
  await login(page, 'agente@example.com');
  await page.goto(`${base}/#/t/${acmeTicket}`);
  await page.locator('.ticket-page h1').waitFor();
  await page.context().clearCookies();  // the session ends (expiry or logout elsewhere)
  await page.locator('#lang').selectOption('es');  // any action that calls the API
  await page.locator('.notice', { hasText: 'Su sesión terminó' }).waitFor();
  await shot(page, 'es-desktop-session-expired');
  await page.locator('input[name=email]').fill('agente@example.com');
  await page.locator('input[name=password]').fill(logins['agente@example.com']);
  await page.locator('form button[type=submit]').click();
  await page.locator('.ticket-page h1', { hasText: `#${acmeTicket}` }).waitFor();
  await page.context().close();
});
test('unassigned mail: the agent reads mail from an unknown sender and turns it into a ticket for a new customer', async () => {
  // Mail from someone without an account, stored by the real intake path while the server runs.
  const eml = ['From: Paula Nueva <paula@acme.example.com>', 'To: soporte@example.com',
    'Subject: =?UTF-8?Q?No_puedo_iniciar_sesi=C3=B3n?=', 'Message-ID: <e2e-inbox-1@acme.example.com>',
    'Content-Language: es', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '',
    'Hola, no tengo usuario todavía y el portal no me deja entrar.', ''].join('\r\n');
  const printed = execFileSync(BIN, ['mail', 'ingest', '--data', dataDir], { input: eml, encoding: 'utf8', timeout: 60000 });
  assert.match(printed, /^unassigned \d+/);
  for (const [locale, lang] of [['es-CO', 'es'], ['en-US', 'en']]) {
    for (const [vp, label] of [[DESKTOP, 'desktop'], [PHONE, 'phone']]) {
      const page = await newPage(locale, vp);
      await login(page, 'agente@example.com');
      await page.goto(`${base}/#/inbox`);
      await page.locator('table.inbox a', { hasText: 'No puedo iniciar sesión' }).waitFor();
      await shot(page, `${lang}-${label}-inbox`);
      await page.locator('table.inbox a', { hasText: 'No puedo iniciar sesión' }).click();
      await page.locator('#assign-form').waitFor();
      assert.match(await page.locator('.mail-text').textContent(), /no tengo usuario/);
      await shot(page, `${lang}-${label}-inbox-message`);
      await page.goto(`${base}/#/inbox/failed`);
      await page.locator('.inbox-page .hint').waitFor();
      await shot(page, `${lang}-${label}-inbox-failed`);
      await page.context().close();
    }
  }
  // Assign it: a new customer in acme, a ticket on the email channel.
  const page = await newPage('es-CO');
  await login(page, 'agente@example.com');
  await page.goto(`${base}/#/inbox`);
  await page.locator('table.inbox a', { hasText: 'No puedo iniciar sesión' }).click();
  await page.locator('#assign-form select').first().selectOption('acme');
  await page.locator('#assign-form input[type=text]').first().fill('Paula Nueva');
  await page.locator('#assign-form button[type=submit]').click();
  await page.locator('.ticket-page h1', { hasText: 'No puedo iniciar sesión' }).waitFor();
  assert.match(await page.locator('.badges').textContent(), /Correo/);
  await shot(page, 'es-desktop-inbox-assigned-ticket');
  // The message is no longer pending; it is listed as handled, with its ticket.
  await page.goto(`${base}/#/inbox?status=assigned`);
  await page.locator('table.inbox a', { hasText: 'No puedo iniciar sesión' }).waitFor();
  await page.goto(`${base}/#/inbox`);
  await page.locator('.inbox-page p.empty').waitFor();
  await page.context().close();
  // Customers have no such page: the route sends them home.
  const customer = await newPage('es-CO');
  await login(customer, 'cliente@acme.example.com');
  await customer.goto(`${base}/#/inbox`);
  await customer.waitForURL(/#\/tickets/);
  await customer.context().close();
});
