// What the browser suites share: the binary and Chromium to drive, starting `soporte serve` on a
// free loopback port, launching Chromium, a page that fails the test on a script error,
// screenshots under artifacts/, and the demo's printed logins. Not a test file (no *.test.js).
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const BIN = process.env.SOPORTE_BIN || path.resolve(__dirname, '../../build/asan-ubsan/src/main/soporte');
const ARTIFACTS = path.join(__dirname, 'artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

// Runs `soporte demo` in dataDir; returns its logins, email → password.
function demoLogins(dataDir) {
  const demo = execFileSync(BIN, ['demo', '--data', dataDir], { encoding: 'utf8', timeout: 120000 });
  const logins = {};
  for (const line of demo.split('\n')) {
    const m = line.trim().split('\t');
    if (m.length === 3) logins[m[1]] = m[2];
  }
  if (!logins['cliente@acme.example.com']) throw new Error(`demo printed no logins: ${demo}`);
  return logins;
}

// Starts `soporte serve --data dataDir --listen LISTEN ...extraArgs`; resolves to
// { p: the process, url } once it prints where it listens. LISTEN is 127.0.0.1:0 (a free port)
// unless given (a restart on the same port).
function startServer(dataDir, extraArgs = [], listen = '127.0.0.1:0') {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, ['serve', '--data', dataDir, '--listen', listen, ...extraArgs],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60000);
    p.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve({ p, url: m[1] }); }
    });
    p.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    p.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

// Stops the server (SIGTERM) and waits for it to exit.
async function stopServer(p) {
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await exited;
}

function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

// A page in a fresh context; a script error on the page fails the test. A text the UI asked of
// its catalog and did not find (i18n.js warns "i18n: missing key …") is kept for checkText.
async function newPage(browser, locale, viewport = DESKTOP) {
  const context = await browser.newContext({ locale, viewport });
  const page = await context.newPage();
  page.missingKeys = [];
  page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  page.on('console', (m) => {
    if (m.type() === 'error') console.error(`[browser] ${m.text()}`);
    if (m.text().startsWith('i18n: missing key')) page.missingKeys.push(m.text());
  });
  return page;
}

// The catalogs' keys, and their first segments ("error", "ticket"…): a raw key on screen is one
// of them, or a dotted word starting with one of those segments (a key the catalogs lack).
const CATALOG = JSON.parse(fs.readFileSync(path.join(__dirname, '../../ui/i18n/es.json'), 'utf8'));
const KEYS = new Set(Object.keys(CATALOG));
const PREFIXES = new Set([...KEYS].map((k) => k.split('.')[0]));
// Dotted words that are not keys: file names and host names ("error.log", "acme.example.com").
const NOT_KEY_TAIL = /^(log|txt|zip|png|jpe?g|gif|pdf|csv|json|html?|xml|mp4|webm|eml|com|co|org|net|example|local)$/;

// The words a person must never read (issue 19): "null", "undefined", "NaN", "[object Object]"
// and raw i18n keys, in the visible text and in the texts read aloud or shown on hover
// (placeholder, title, aria-label, alt). Returns the problems found ([] when clean).
async function textProblems(page) {
  const { text, attrs } = await page.evaluate(() => {
    const shown = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    const out = [];
    for (const el of document.querySelectorAll('[placeholder],[title],[aria-label],img[alt]')) {
      if (!shown(el)) continue;
      for (const a of ['placeholder', 'title', 'aria-label', 'alt']) if (el.hasAttribute(a)) out.push(el.getAttribute(a));
    }
    // Identifiers shown as code on purpose (webhook event names such as "ticket.created") are
    // not words of the UI: their text is left out.
    let text = document.body.innerText;
    for (const c of document.querySelectorAll('code, kbd, samp')) if (c.innerText) text = text.split(c.innerText).join(' ');
    return { text, attrs: out };
  });
  const problems = [];
  for (const source of [text, ...attrs]) {
    for (const m of source.matchAll(/\b(null|undefined|NaN)\b|\[object Object\]/g)) {
      problems.push(`"${m[0]}" in: …${source.slice(Math.max(0, m.index - 40), m.index + 40).replace(/\s+/g, ' ')}…`);
    }
    for (const m of source.matchAll(/(^|[^@/.\w])([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)(?![\w@/.-]*[\w@/])/g)) {
      const word = m[2];
      const parts = word.split('.');
      if (KEYS.has(word) || (PREFIXES.has(parts[0]) && !NOT_KEY_TAIL.test(parts[parts.length - 1]))) {
        problems.push(`raw i18n key "${word}"`);
      }
    }
  }
  for (const k of page.missingKeys || []) problems.push(k);
  return problems;
}

// Fails (throws) when the page shows a word a person must never read (textProblems).
async function checkText(page, name) {
  const problems = await textProblems(page);
  if (problems.length) throw new Error(`${name} (${page.url()}): ${problems.join('; ')}`);
}

// Fails (throws) when the page scrolls sideways: at phone width nothing may be wider than the
// screen (issue 19). Returns the widths measured.
async function checkNoSideScroll(page, name) {
  const { scroll, inner, wide } = await page.evaluate(() => {
    const inner = window.innerWidth;
    // The widest elements that stick out, to name in the failure.
    const wide = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if ((r.right > inner + 1 || el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible' && el.clientWidth) && wide.length < 5) wide.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} (${Math.round(r.right)} px)`);
    }
    return { scroll: document.documentElement.scrollWidth, inner, wide };
  });
  if (scroll > inner) throw new Error(`${name} (${page.url()}): scrolls sideways, ${scroll} > ${inner}: ${wide.join(', ')}`);
  return { scroll, inner };
}

// axe-core's rules of WCAG 2.0/2.1 A and AA and its best practices: every page the suite visits,
// in every state it is shot in (notes, errors, empty lists), both languages and both widths.
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

// Fails (throws) on any axe violation, naming each rule, its help and the elements it found.
async function checkAxe(page, name) {
  // Evaluated through the DevTools protocol: the page's Content-Security-Policy stays as served.
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.split('\n').slice(1).join(' ').trim()}]` : ''}`).join('; ')}`);
  }, AXE_TAGS);
  if (violations.length) throw new Error(`${name} (${page.url()}): axe found ${violations.length} violation(s):\n  ${violations.join('\n  ')}`);
}

// Keeps a screenshot of the page under artifacts/ and checks its text (checkText): every page
// the suite visits, in both languages, is scanned this way. At phone width (PHONE, 390 px) the
// page must not scroll sideways (checkNoSideScroll); at every width axe finds nothing (checkAxe).
async function shot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  await checkText(page, name);
  const vp = page.viewportSize();
  if (vp && vp.width <= PHONE.width) await checkNoSideScroll(page, name);
  if (process.env.SOPORTE_AXE !== '0') await checkAxe(page, name);  // SOPORTE_AXE=0: a quicker local run
}

// Logs in through the login page and waits for the navigation bar.
async function login(page, base, email, password) {
  await page.goto(`${base}/#/login`);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form button[type=submit]').click();
  // Attached, not visible: on a phone the links sit behind the menu button.
  await page.locator('nav a').first().waitFor({ state: 'attached' });
}

module.exports = { BIN, ARTIFACTS, CHROMIUM, DESKTOP, PHONE, demoLogins, startServer, stopServer,
  launchChromium, newPage, shot, checkText, checkNoSideScroll, checkAxe, textProblems, login };
