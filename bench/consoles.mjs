// Consoles under load (issue 18, part 4, benchmark b): CONSOLES agents' consoles hold the event
// stream open and react to each change exactly as ui/js/pages/console.js does (changes handled
// together at most every 2 s: up to 10 read one by one, more read the page of 200 once), while
// tickets are created at RATE a second for SECONDS. Prints what the consoles asked for.
// Usage: URL=http://127.0.0.1:P TOKEN=… ORG=slug node bench/consoles.mjs
const url = process.env.URL;
const token = process.env.TOKEN;
const org = process.env.ORG || 'bench';
const consoles = Number(process.env.CONSOLES ?? 50);
const rate = Number(process.env.RATE ?? 100);
const seconds = Number(process.env.DURATION_S ?? 20);
const GAP = 2000;
const FEW = 10;
const headers = { Authorization: `Bearer ${token}` };
const count = { lists: 0, singles: 0, events: 0, creates: 0, createErrors: 0 };
let running = true;

async function get(path) {
  const res = await fetch(`${url}${path}`, { headers });
  await res.arrayBuffer();
  return res.status;
}

async function list() { count.lists++; await get('/api/v1/tickets?limit=200&status=active'); }

async function console_(i) {
  await list();
  const ctrl = new AbortController();
  const res = await fetch(`${url}/api/v1/events`, { headers, signal: ctrl.signal });
  let pending = new Set();
  let timer = null;
  let last = 0;
  const flush = async () => {
    const numbers = [...pending];
    pending = new Set();
    last = Date.now();
    if (numbers.length > FEW) await list();
    else for (const n of numbers) { count.singles++; await get(`/api/v1/tickets/${n}`); }
    timer = null;
    if (pending.size && running) arm();
  };
  const arm = () => { if (!timer) timer = setTimeout(flush, Math.max(0, last + GAP - Date.now())); };
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  const stop = setInterval(() => { if (!running) { ctrl.abort(); clearInterval(stop); } }, 200);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let k;
      while ((k = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, k);
        buf = buf.slice(k + 2);
        const data = block.split('\n').find((l) => l.startsWith('data:'));
        if (!block.includes('event: ticket') || !data) continue;
        const ev = JSON.parse(data.slice(5));
        count.events++;
        if (ev.number && running) { pending.add(ev.number); arm(); }
      }
    }
  } catch (e) {
    if (running) throw e;
  }
}

async function creator() {
  const start = Date.now();
  let n = 0;
  while (Date.now() - start < seconds * 1000) {
    const due = start + (n * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    n++;
    fetch(`${url}/api/v1/tickets`, {
      method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ org, type: 'incident', criticality: 'normal', channel: 'portal',
        subject: `Consola ${n}`, description: 'El módulo de facturación no responde.' }),
    }).then(async (r) => { await r.arrayBuffer(); if (r.ok) count.creates++; else count.createErrors++; })
      .catch(() => count.createErrors++);
  }
}

const all = [];
for (let i = 0; i < consoles; ++i) all.push(console_(i));
await new Promise((r) => setTimeout(r, 1000));  // every console connected
const t0 = Date.now();
process.stdout.write('START\n');
await creator();
running = false;
await new Promise((r) => setTimeout(r, 500));
const secs = (Date.now() - t0) / 1000;
process.stdout.write(`RESULT consoles=${consoles} seconds=${secs.toFixed(1)} creates=${count.creates} ` +
  `create_errors=${count.createErrors} events=${count.events} lists=${count.lists} singles=${count.singles}\n`);
await Promise.allSettled(all);
process.exit(0);
