// Browser tests of the live chat (issue 13, part 6), in Spanish and in English: the widget on a
// page served from ANOTHER origin (a tiny static server on a second port, allowed with
// `serve --chat-origins`), whose own CSS tries to restyle every button; a second browser context
// is the agent on #/chats. The conversation goes both ways; another agent taking a chat first
// shows "otro agente la tomó"; the server is restarted in the middle (a message written while it
// is down is delivered once, nothing is lost or doubled, and a reload of the vendor's page keeps
// the transcript); the chat becomes a ticket whose description holds the transcript; a page
// from an origin not allowed gets a clear refusal in the widget. Screenshots at 1366 and 390 px:
// artifacts/chat-*.
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
let server; let base; let listen; let browser; let dataDir; let supervisorToken;
let allowedSite; let refusedSite;
const logins = {};

// A static "vendor's site" on its own port: one page embedding the widget of the desk at
// `desk()`, with CSS that would break a widget whose styles were not scoped.
function startSite(desk) {
  return new Promise((resolve) => {
    const s = http.createServer((rq, rs) => {
      const lang = new URL(rq.url, 'http://x').searchParams.get('lang') === 'en' ? 'en' : 'es';
      rs.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      rs.end(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Vendor</title>
<style>body{font-family:serif;margin:2rem} button{background:red!important;color:yellow!important;font-size:40px!important}
li{list-style:square;color:green} .bubble,.panel{display:none!important}</style></head>
<body><h1>ACME Software</h1><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>
<script src="${desk()}/chat/widget.js" data-lang="${lang}" async></script></body></html>`);
    });
    s.listen(0, '127.0.0.1', () => resolve({ s, url: `http://127.0.0.1:${s.address().port}` }));
  });
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soporte-e2e-chat-'));
  Object.assign(logins, h.demoLogins(dataDir));
  supervisorToken = execFileSync(h.BIN, ['token', 'create', '--data', dataDir, '--email', 'supervisor@example.com'],
    { encoding: 'utf8', timeout: 120000 }).trim();
  allowedSite = await startSite(() => base);
  refusedSite = await startSite(() => base);
  await startDesk('127.0.0.1:0');
  listen = base.replace(/^http:\/\//, '');
  await staffAroundTheClock();
  browser = await h.launchChromium();
});

// These tests talk with agents at any hour of the run: the chat's staffed calendar is one open
// every day 00:00–24:00 (out of hours is chat_hours.test.js).
async function staffAroundTheClock() {
  const auth = { Authorization: `Bearer ${supervisorToken}`, 'Content-Type': 'application/json' };
  const hours = {};
  for (const d of ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']) hours[d] = [{ from: '00:00', to: '24:00' }];
  const made = await fetch(`${base}/api/v1/calendars`, { method: 'POST', headers: auth,
    body: JSON.stringify({ name: 'Chat 24x7', zone: 'America/Bogota', colombian_holidays: false, hours }) });
  const body = await made.text();
  assert.equal(made.status, 201, body);
  const cal = JSON.parse(body);
  const set = await fetch(`${base}/api/v1/oncall/staffed?for=chat`, { method: 'PUT', headers: auth,
    body: JSON.stringify({ calendar: cal.id }) });
  assert.equal(set.status, 200, await set.text());
}

async function startDesk(at) {
  const s = await h.startServer(dataDir, ['--chat-origins', allowedSite.url], at);
  server = s.p; base = s.url;
}

after(async () => {
  if (browser) await browser.close();
  if (server) await h.stopServer(server);
  for (const site of [allowedSite, refusedSite]) if (site) site.s.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function visitorPage(locale, lang, site = allowedSite) {
  const context = await browser.newContext({ locale, viewport: WIDE });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  await page.goto(`${site.url}/?lang=${lang}`);
  return page;
}

// The widget's visible words (inside its shadow root) never hold "null", "undefined"…
async function widgetText(page) {
  return page.evaluate(() => document.getElementById('soporte-chat').shadowRoot.querySelector('.panel').innerText);
}
async function checkWidget(page, name) {
  const text = await widgetText(page);
  assert.doesNotMatch(text, /\b(null|undefined|NaN)\b|\[object Object\]/, `${name}: ${text}`);
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
  await checkWidget(page, name);
}
async function pageShots(page, name) {
  await page.setViewportSize(WIDE);
  await h.shot(page, `${name}-1366`);
  await page.setViewportSize({ width: 390, height: 844 });
  await h.shot(page, `${name}-390`);
  await page.setViewportSize(WIDE);
}

// How many times each text is shown in a log (the widget's or the console's).
async function counts(log, texts) {
  const all = await log.locator('.text').allInnerTexts();
  return texts.map((x) => all.filter((y) => y === x).length);
}

const WORDS = {
  es: {
    locale: 'es-CO', open: 'Abrir chat', greeting: 'Hola 👋, ¿en qué te podemos ayudar?', name: 'Nombre',
    email: 'Correo electrónico', start: 'Empezar el chat', waiting: 'Esperando a un agente…', send: 'Enviar',
    joined: 'Un agente se unió a la conversación.', take: 'Tomar', taken: 'Otro agente la tomó.',
    refused: 'Este sitio no puede abrir chats con soporte.', ended: 'La conversación terminó',
    toTicket: 'Convertir en ticket', reply: 'Respuesta', visitor: 'Lucía Pérez',
    lines: ['Hola, la facturación no arranca desde las 8', 'Sale el error FAC-1042', 'Sigo aquí, ¿me escuchan?'],
    answer: 'Hola Lucía, ¿qué error aparece?',
  },
  en: {
    locale: 'en-US', open: 'Open chat', greeting: 'Hi 👋, how can we help?', name: 'Name',
    email: 'Email', start: 'Start chat', waiting: 'Waiting for an agent…', send: 'Send',
    joined: 'An agent joined the conversation.', take: 'Take', taken: 'Another agent took it.',
    refused: 'This site may not open chats with support.', ended: 'The conversation has ended',
    toTicket: 'Convert to ticket', reply: 'Reply', visitor: 'Laura Price',
    lines: ['Hello, invoicing is down since 8', 'The error is FAC-1042', 'Still here, can you hear me?'],
    answer: 'Hi Laura, which error do you see?',
  },
};

for (const lang of ['es', 'en']) {
  const w = WORDS[lang];
  test(`chat (${lang}): a visitor on another site talks with an agent; a restart loses nothing; the chat becomes a ticket`, async () => {
    // --- the visitor opens the chat on the vendor's site ---
    const visitor = await visitorPage(w.locale, lang);
    const bubble = visitor.getByRole('button', { name: w.open });
    await bubble.waitFor();
    await bubble.focus();
    await visitor.keyboard.press('Enter');  // keyboard usable
    const panel = visitor.locator('.panel');
    await panel.getByText(w.greeting).waitFor();
    assert.equal(await visitor.locator('button.bubble').getAttribute('aria-expanded'), 'true');
    // the host page's CSS (red buttons, 40 px) does not reach the widget
    const style = await panel.getByRole('button', { name: w.start })
      .evaluate((b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).fontSize]);
    assert.notEqual(style[0], 'rgb(255, 0, 0)');
    assert.notEqual(style[1], '40px');
    await panel.getByLabel(w.name).fill(w.visitor);
    await panel.getByLabel(w.email).fill('lucia@acme.example.com');
    await panel.getByRole('button', { name: w.start }).click();
    await panel.getByText(w.waiting).waitFor();
    const vlog = visitor.locator('ol.log');
    const text = visitor.locator('textarea');
    await text.fill(w.lines[0]);
    await text.press('Enter');
    await vlog.locator('li.msg.visitor[data-seq]').getByText(w.lines[0]).waitFor();  // acknowledged: it has a seq
    await widgetShots(visitor, `chat-${lang}-visitor-waiting`);

    // --- the agent: another agent taking a chat first; then this one ---
    const agent = await h.newPage(browser, w.locale, WIDE);
    await h.login(agent, base, 'agente@example.com', logins['agente@example.com']);
    const other = await fetch(`${base}/api/v1/chats`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: `Otro ${lang}`, email: 'otro@globex.example.com', lang }) });
    assert.equal(other.status, 201);
    const otherChat = (await other.json()).chat;
    await agent.locator('nav a[href="#/chats"]').click();
    const row = agent.locator('tr', { hasText: w.visitor });
    await row.waitFor();
    await agent.locator('tr', { hasText: `Otro ${lang}` }).waitFor();
    await pageShots(agent, `chat-${lang}-agent-list`);
    const taken = await fetch(`${base}/api/v1/chats/${otherChat.id}/take`, { method: 'POST',
      headers: { Authorization: `Bearer ${supervisorToken}`, 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(taken.status, 200);
    await agent.locator(`button[data-take="${otherChat.id}"]`).click();
    await agent.locator('#toast').getByText(w.taken).waitFor();
    await row.getByRole('button', { name: w.take }).click();
    const alog = agent.locator('ol.chat-log');
    await alog.getByText(w.lines[0]).waitFor();
    await agent.getByLabel(w.reply).fill(w.answer);
    await agent.getByRole('button', { name: w.send, exact: true }).click();
    await alog.locator('li.agent[data-seq]').getByText(w.answer).waitFor();

    // --- both ways ---
    await vlog.getByText(w.answer).waitFor();
    await vlog.getByText(w.joined).waitFor();
    await text.fill(w.lines[1]);
    await visitor.getByRole('button', { name: w.send }).click();
    await alog.getByText(w.lines[1]).waitFor();
    await alog.locator('.read-mark').first().waitFor();  // the visitor read the answer

    // --- the server restarts in the middle: a message written while it is down arrives once ---
    await h.stopServer(server);
    server = null;
    await text.fill(w.lines[2]);
    await text.press('Enter');
    await vlog.locator('li.pending').getByText(w.lines[2]).waitFor();
    await startDesk(listen);
    await vlog.locator('li.msg.visitor[data-seq]').getByText(w.lines[2]).waitFor({ timeout: 30000 });
    await alog.getByText(w.lines[2]).waitFor({ timeout: 30000 });
    const all = [...w.lines, w.answer];
    assert.deepEqual(await counts(vlog, all), [1, 1, 1, 1], 'the widget shows each message once');
    assert.deepEqual(await counts(alog, all), [1, 1, 1, 1], 'the console shows each message once');
    // a reload of the vendor's page keeps the transcript, once
    await visitor.reload();
    await visitor.getByRole('button', { name: w.open }).click();
    await vlog.getByText(w.lines[2]).waitFor();
    assert.deepEqual(await counts(vlog, all), [1, 1, 1, 1], 'after a reload, each message once');
    const seqs = await vlog.locator('li[data-seq]').evaluateAll((ls) => ls.map((l) => Number(l.dataset.seq)));
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'in order');
    await widgetShots(visitor, `chat-${lang}-visitor-talking`);
    await pageShots(agent, `chat-${lang}-agent-conversation`);

    // --- the chat becomes a ticket whose description holds the transcript ---
    await agent.locator('#chat-crit').selectOption('important');
    await agent.locator('#chat-org').selectOption('acme');
    // the visitor is no portal user: the agent names the requester among ACME's
    await agent.locator('#chat-requester option[value="cliente@acme.example.com"]').waitFor({ state: 'attached' });
    await agent.locator('#chat-requester').selectOption('cliente@acme.example.com');
    await agent.getByRole('button', { name: w.toTicket }).click();
    await agent.waitForFunction(() => /#\/t\/\d+/.test(location.hash) || document.querySelector('.chat-page .error'));
    const failed = await agent.locator('.chat-page .error').allInnerTexts();
    assert.deepEqual(failed, [], 'the chat became a ticket');
    const number = agent.url().match(/#\/t\/(\d+)/)[1];
    const tk = await (await fetch(`${base}/api/v1/tickets/${number}`,
      { headers: { Authorization: `Bearer ${supervisorToken}` } })).json();
    assert.equal(tk.channel, 'chat');
    assert.equal(tk.criticality, 'important');
    for (const line of all) assert.ok(tk.description.includes(line), `the description holds "${line}": ${tk.description}`);
    for (const line of all) assert.equal(tk.description.split(line).length - 1, 1, `"${line}" once in the description`);
    await agent.getByText(w.lines[2]).first().waitFor();
    await panel.getByText(w.ended).waitFor();
    assert.equal(await visitor.locator('textarea').isVisible(), false, 'a closed chat is read-only');
    await widgetShots(visitor, `chat-${lang}-visitor-closed`);
    await visitor.context().close();
    await agent.context().close();
  });

  test(`chat (${lang}): a site not allowed is refused with a clear message`, async () => {
    const visitor = await visitorPage(w.locale, lang, refusedSite);
    await visitor.getByRole('button', { name: w.open }).click();
    const panel = visitor.locator('.panel');
    await panel.getByLabel(w.name).fill(w.visitor);
    await panel.getByLabel(w.email).fill('lucia@acme.example.com');
    await panel.getByRole('button', { name: w.start }).click();
    await panel.getByText(w.refused).waitFor();
    await widgetShots(visitor, `chat-${lang}-refused`);
    await visitor.context().close();
  });
}

test('chat (es): the agent hands a chat to a colleague, gets it back and closes it', async () => {
  const opened = await fetch(`${base}/api/v1/chats`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Marta Gómez', email: 'marta@globex.example.com', lang: 'es' }) });
  assert.equal(opened.status, 201);
  const chat = (await opened.json()).chat;
  const agent = await h.newPage(browser, 'es-CO', WIDE);
  await h.login(agent, base, 'agente@example.com', logins['agente@example.com']);
  await agent.goto(`${base}/#/chats/${chat.id}`);
  await agent.locator('#chat-take').click();
  await agent.getByLabel('Respuesta').waitFor();
  await agent.locator('#chat-hand-to').selectOption({ label: 'Sergio Supervisor' });
  await agent.locator('#chat-hand').click();
  await agent.locator('#toast').getByText('Ahora atiende Sergio Supervisor.').waitFor();
  assert.equal(await agent.getByLabel('Respuesta').isVisible(), false, 'no reply box once handed');
  // the colleague hands it back: the console follows live (a state frame)
  const users = await (await fetch(`${base}/api/v1/users`, { headers: { Authorization: `Bearer ${supervisorToken}` } })).json();
  const me = users.users.find((u) => u.email === 'agente@example.com');
  const back = await fetch(`${base}/api/v1/chats/${chat.id}/hand`, { method: 'POST',
    headers: { Authorization: `Bearer ${supervisorToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ to: me.id }) });
  assert.equal(back.status, 200);
  await agent.getByLabel('Respuesta').waitFor();
  await agent.locator('#chat-close').click();
  await agent.locator('#toast').getByText('Chat cerrado.').waitFor();
  await agent.locator('.chat-head').getByText('Cerrado').waitFor();
  await h.shot(agent, 'chat-es-agent-closed');
  await agent.context().close();
});

// Files both ways (issue 13: "attachments through the existing upload path"): the visitor's
// paperclip uploads a screenshot with the chat token, the agent sees it as a thumbnail, answers
// with a file of their own, sees who the visitor may be beside the chat (their typed email is a
// customer's: marked unverified) and the ticket made from the chat holds both files.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const FILE_WORDS = {
  es: { attach: 'Adjuntar archivo', unverified: 'nada lo verifica', openTickets: 'Tickets abiertos', agentFile: 'Abrir solucion.txt' },
  en: { attach: 'Attach a file', unverified: 'nothing verifies it', openTickets: 'Open tickets', agentFile: 'Open solucion.txt' },
};
for (const lang of ['es', 'en']) {
  const w = WORDS[lang];
  const f = FILE_WORDS[lang];
  test(`chat (${lang}): files go both ways and the ticket made from the chat holds them`, async () => {
    const visitor = await visitorPage(w.locale, lang);
    await visitor.getByRole('button', { name: w.open }).click();
    const panel = visitor.locator('.panel');
    await panel.getByLabel(w.name).fill(w.visitor);
    await panel.getByLabel(w.email).fill('cliente@acme.example.com');
    await panel.getByRole('button', { name: w.start }).click();
    await panel.getByText(w.waiting).waitFor();
    // the paperclip is a labelled button; the file goes up and is sent as a message of its own
    await panel.getByRole('button', { name: f.attach }).waitFor();
    await panel.locator('input[type=file]').setInputFiles({ name: 'pantalla.png', mimeType: 'image/png', buffer: PNG });
    const vlog = visitor.locator('ol.log');
    const mine = vlog.locator('li.msg.visitor[data-seq]');
    await mine.locator('img[alt="pantalla.png"]').waitFor();
    await visitor.waitForFunction(() => {
      const img = document.getElementById('soporte-chat').shadowRoot.querySelector('li.msg.visitor img');
      return img && img.complete && img.naturalWidth > 0;
    });
    await widgetShots(visitor, `chat-${lang}-visitor-file`);

    const agent = await h.newPage(browser, w.locale, WIDE);
    await h.login(agent, base, 'agente@example.com', logins['agente@example.com']);
    await agent.locator('nav a[href="#/chats"]').click();
    const row = agent.locator('tr', { hasText: w.visitor });
    await row.getByRole('button', { name: w.take }).first().click();
    const alog = agent.locator('ol.chat-log');
    const thumb = alog.locator('img.chat-thumb[alt="pantalla.png"]');
    await thumb.waitFor();
    await agent.waitForFunction(() => { const i = document.querySelector('img.chat-thumb'); return i && i.complete && i.naturalWidth > 0; });
    // who the visitor may be: ACME's portal user, by the email they typed (unverified)
    const side = agent.locator('.chat-customer');
    await side.getByText(f.unverified, { exact: false }).waitFor();
    await side.getByText(f.openTickets).waitFor();
    // the agent answers with a file
    await agent.locator('#chat-file').setInputFiles({ name: 'solucion.txt', mimeType: 'text/plain', buffer: Buffer.from('reinicie el servicio FAC\n') });
    await agent.locator('.chat-chosen').getByText('solucion.txt').waitFor();
    await agent.getByLabel(w.reply).fill(w.answer);
    await agent.getByRole('button', { name: w.send, exact: true }).click();
    await alog.locator('li.agent[data-seq]').getByRole('link', { name: 'solucion.txt' }).waitFor();
    await vlog.getByRole('button', { name: f.agentFile }).waitFor();
    await pageShots(agent, `chat-${lang}-agent-files`);
    await widgetShots(visitor, `chat-${lang}-visitor-files`);

    await agent.locator('#chat-org').selectOption('acme');
    await agent.locator('#chat-requester option[value="cliente@acme.example.com"]').waitFor({ state: 'attached' });
    await agent.locator('#chat-requester').selectOption('cliente@acme.example.com');
    await agent.getByRole('button', { name: w.toTicket }).click();
    await agent.waitForFunction(() => /#\/t\/\d+/.test(location.hash) || document.querySelector('.chat-page .error'));
    assert.deepEqual(await agent.locator('.chat-page .error').allInnerTexts(), [], 'the chat became a ticket');
    const number = agent.url().match(/#\/t\/(\d+)/)[1];
    const files = await (await fetch(`${base}/api/v1/tickets/${number}/attachments`,
      { headers: { Authorization: `Bearer ${supervisorToken}` } })).json();
    assert.deepEqual(files.attachments.map((a) => a.filename).sort(), ['pantalla.png', 'solucion.txt']);
    await agent.getByText('pantalla.png').first().waitFor();
    await visitor.context().close();
    await agent.context().close();
  });
}
