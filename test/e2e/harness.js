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

// Starts `soporte serve --data dataDir --listen 127.0.0.1:0 ...extraArgs`; resolves to
// { p: the process, url } once it prints where it listens.
function startServer(dataDir, extraArgs = []) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, ['serve', '--data', dataDir, '--listen', '127.0.0.1:0', ...extraArgs],
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

// A page in a fresh context; a script error on the page fails the test.
async function newPage(browser, locale, viewport = DESKTOP) {
  const context = await browser.newContext({ locale, viewport });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  page.on('console', (m) => { if (m.type() === 'error') console.error(`[browser] ${m.text()}`); });
  return page;
}

async function shot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// Logs in through the login page and waits for the navigation bar.
async function login(page, base, email, password) {
  await page.goto(`${base}/#/login`);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.locator('nav a').first().waitFor();
}

module.exports = { BIN, ARTIFACTS, CHROMIUM, DESKTOP, PHONE, demoLogins, startServer, stopServer,
  launchChromium, newPage, shot, login };
