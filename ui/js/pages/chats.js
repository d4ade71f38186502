// "Chats": the agents' side of the live chat (issue 13, part 3; docs/api.md "Live chat").
// #/chats lists the chats not closed, oldest first, with how long each has waited; it polls
// GET /api/v1/chats every few seconds (the chat events reach consoles only over the chat
// WebSocket's room 0, which has no hello yet) and ticks the waiting time every second. An agent
// takes a chat (another who took it first: 409 → "otro agente la tomó"). #/chats/ID is the
// conversation over GET /chat/ws as staff (the session cookie, the desk's own origin): the
// transcript, a reply box, typing and read marks, and the actions: hand to a colleague, close,
// turn into a ticket or add it to an existing one; files both ways (the agent's through the
// same upload path; images shown as thumbnails); beside it, who the customer is (their
// profile and open tickets: GET /api/v1/chats/{id}/customer), a visitor's typed email marked
// as unverified.
import { h, clear, field, formatBytes } from '../dom.js';
import { t, formatTime } from '../i18n.js';
import { api, errorText, uploadChatFiles } from '../api.js';
import { profilePanel } from '../widgets/profile_panel.js';
import { state, pageTitle, busy, toast, errorBox, criticalityBadge } from '../ui.js';

const POLL_MS = 3000;
const CRITICALITIES = ['normal', 'important', 'critical'];

// "4 min 05 s" / "45 s": how long since `iso`.
function waited(iso, now = Date.now()) {
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (s < 60) return t('chats.seconds', { s });
  if (s < 3600) return t('chats.minutes_seconds', { m: Math.floor(s / 60), s: String(s % 60).padStart(2, '0') });
  return t('chats.hours_minutes', { h: Math.floor(s / 3600), m: String(Math.floor((s % 3600) / 60)).padStart(2, '0') });
}

async function staffNames() {
  const r = await api('GET', '/api/v1/users');
  const staff = r.users.filter((u) => u.role !== 'customer');
  return { staff, name: (id) => { const u = staff.find((x) => x.id === id); return u ? u.name : t('chats.someone'); } };
}

function stateBadge(s) { return h('span', { class: `badge chat-${s}` }, t(`chats.state.${s}`)); }

export async function chatsPage(parts) {
  if (parts[1]) return conversationPage(Number(parts[1]));
  const { name } = await staffNames();
  const body = h('tbody', {});
  const empty = h('p', { class: 'empty', hidden: true }, t('chats.none'));
  const errBox = h('div', { 'aria-live': 'assertive' });
  const live = h('p', { class: 'hint', role: 'status' });
  let chats = [];

  const take = (c, button) => busy(button, null, async () => {
    try {
      await api('POST', `/api/v1/chats/${c.id}/take`, {});
    } catch (e) {
      if (e.status === 409) { toast(t('chats.taken_by_other')); refresh(); return; }
      throw e;
    }
    location.hash = `#/chats/${c.id}`;
  });

  function render() {
    clear(body);
    const now = Date.now();
    for (const c of chats) {
      const mine = c.taken_by === state.me.user.id;
      const action = c.state === 'waiting'
        ? h('button', { type: 'button', class: 'primary', 'data-take': String(c.id),
          'aria-label': t('chats.take_from', { name: c.visitor.name }) }, t('chats.take'))
        : h('a', { href: `#/chats/${c.id}`, class: 'button' }, mine ? t('chats.open') : t('chats.view'));
      if (c.state === 'waiting') action.addEventListener('click', () => take(c, action));
      body.append(h('tr', { 'data-chat': String(c.id) },
        h('td', { 'data-label': t('chats.col.visitor') }, h('div', {}, h('strong', {}, c.visitor.name),
          h('div', { class: 'hint' }, c.visitor.email))),
        h('td', { 'data-label': t('chats.col.state') }, stateBadge(c.state)),
        h('td', { 'data-label': t('chats.col.waited'), class: 'waited' },
          c.state === 'waiting' ? waited(c.created_at, now) : t('chats.taken_by', { name: name(c.taken_by) })),
        h('td', { 'data-label': t('chats.col.since') }, formatTime(c.created_at)),
        h('td', {}, action)));
    }
    empty.hidden = chats.length > 0;
  }

  async function refresh() {
    try {
      const next = (await api('GET', '/api/v1/chats')).chats;
      clear(errBox);
      if (JSON.stringify(next) === JSON.stringify(chats) && body.firstChild) return;  // keep focus
      chats = next;
      live.textContent = t('chats.waiting_count', { n: chats.filter((c) => c.state === 'waiting').length });
      render();
    } catch (e) {
      clear(errBox);
      errBox.append(errorBox(e));
    }
  }
  await refresh();
  const poll = setInterval(refresh, POLL_MS);
  const tick = setInterval(() => {
    for (const row of body.querySelectorAll('tr')) {
      const c = chats.find((x) => String(x.id) === row.dataset.chat);
      if (c && c.state === 'waiting') row.querySelector('.waited').textContent = waited(c.created_at);
    }
  }, 1000);
  const node = h('div', { class: 'chats-page' }, pageTitle(t('chats.title')), h('p', { class: 'lead' }, t('chats.lead')),
    live, errBox,
    h('table', { class: 'tickets chats' },
      h('thead', {}, h('tr', {}, ['visitor', 'state', 'waited', 'since'].map((k) => h('th', { scope: 'col' }, t(`chats.col.${k}`))),
        h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('chats.col.action'))))),
      body),
    empty);
  return { node, leave: () => { clearInterval(poll); clearInterval(tick); } };
}

async function conversationPage(id) {
  const [{ staff, name }, orgs] = await Promise.all([staffNames(), api('GET', '/api/v1/orgs')]);
  let chat = (await api('GET', '/api/v1/chats')).chats.find((c) => c.id === id) || null;
  const me = state.me.user.id;
  const log = h('ol', { class: 'chat-log' });
  // The live region around the list (role=log is not allowed on an <ol>, and would hide its items' list roles).
  const logRegion = h('div', { role: 'log', 'aria-live': 'polite', 'aria-label': t('chats.transcript') }, log);
  const typing = h('p', { class: 'hint chat-typing', 'aria-live': 'polite' });
  const conn = h('p', { class: 'hint', role: 'status' });
  const head = h('div', { class: 'chat-head' });
  const actions = h('div', { class: 'chat-actions' });
  const errBox = h('div', { 'aria-live': 'assertive' });
  const shown = new Map();
  const pending = new Map();  // client_id → {text, node}
  let lastSeq = 0;
  let ws = null;
  let retry = 0;
  let timer = null;
  let left = false;
  let lastTyping = 0;
  let typingTimer = null;
  let actionsKey = '';

  const text = h('textarea', { id: 'chat-reply', name: 'text', maxlength: '4096', rows: '3' });
  const sendBtn = h('button', { type: 'submit', class: 'primary' }, t('chats.send'));
  // Files: the button opens the picker; the chosen files go up at once and are sent with the
  // next message (or alone).
  const fileIn = h('input', { type: 'file', multiple: true, hidden: true, tabindex: '-1', id: 'chat-file' });
  const attachBtn = h('button', { type: 'button', id: 'chat-attach' }, t('chats.attach'));
  const chosen = h('ul', { class: 'files chat-chosen' });
  let ready = [];  // uploaded, not sent: {id, name, size, type}
  const reply = h('form', { class: 'chat-reply card' }, field(t('chats.reply'), text),
    h('div', { class: 'chat-reply-buttons' }, attachBtn, fileIn, sendBtn), chosen);
  function renderChosen() {
    clear(chosen);
    for (const f of ready) chosen.append(h('li', {}, h('span', { class: 'fname' }, f.name), ' ', h('span', { class: 'fsize' }, formatBytes(f.size))));
  }
  attachBtn.addEventListener('click', () => fileIn.click());
  fileIn.addEventListener('change', () => {
    const list = [...fileIn.files];
    fileIn.value = '';
    if (!list.length) return;
    busy(attachBtn, errBox, async () => {
      const r = await uploadChatFiles(id, list);
      ready = ready.concat(r.files);
      renderChosen();
    });
  });

  // The desk's own messages, as markers the console words (docs/api.md "Live chat").
  const system = { taken: 'chats.system.taken', abandoned: 'chats.system.abandoned' };
  // A message's files: a link each (name, size), and a thumbnail for an image.
  function filesOf(files) {
    if (!files || !files.length) return null;
    return h('ul', { class: 'files chat-files' }, files.map((f) => {
      const url = `/api/v1/chats/${id}/files/${f.id}`;
      return h('li', {}, h('a', { href: url, target: '_blank', rel: 'noopener' }, f.name), ' ',
        h('span', { class: 'fsize' }, formatBytes(f.size)),
        /^image\/(png|jpeg|gif|webp)$/.test(f.type) ? h('img', { src: url, alt: f.name, class: 'chat-thumb', loading: 'lazy' }) : null);
    }));
  }
  function line(m) {
    const who = m.author === 'agent' ? t('chats.author.agent') : m.author === 'visitor' ? (chat ? chat.visitor.name : t('chats.author.visitor')) : '';
    const words = m.author === 'system' ? (system[m.text] ? t(system[m.text]) : '') : m.text;
    return h('li', { class: `chat-msg ${m.author}` },
      who ? h('span', { class: 'who' }, who) : null, words ? h('span', { class: 'text' }, words) : null, filesOf(m.files),
      h('span', { class: 'meta' }, m.at ? formatTime(m.at) : t('chats.sending')));
  }
  function show(m) {
    if (shown.has(m.seq)) return;
    if (m.author === 'system' && !system[m.text]) { lastSeq = Math.max(lastSeq, m.seq); return; }
    const p = m.client_id && pending.get(m.client_id);
    if (p) { p.node.remove(); pending.delete(m.client_id); }
    const node = line(m);
    node.dataset.seq = String(m.seq);
    shown.set(m.seq, node);
    let before = null;
    for (const [s, e] of shown) if (s > m.seq && (!before || s < Number(before.dataset.seq))) before = e;
    if (!before) before = [...pending.values()].map((x) => x.node)[0] || null;
    if (before) log.insertBefore(node, before); else log.append(node);
    lastSeq = Math.max(lastSeq, m.seq);
    if (m.author === 'visitor') { typing.textContent = ''; markRead(); }
    readMarks();
    log.scrollTop = log.scrollHeight;
  }
  function readMarks() {
    const upto = chat && chat.read ? chat.read.visitor || 0 : 0;
    for (const [s, e] of shown) {
      if (!e.classList.contains('agent')) continue;
      let mark = e.querySelector('.read-mark');
      if (s <= upto && !mark) e.append(h('span', { class: 'read-mark' }, t('chats.read')));
      if (s > upto && mark) mark.remove();
    }
  }
  function markRead() {
    if (!chat || chat.taken_by !== me || document.visibilityState !== 'visible') return;
    let last = 0;
    for (const [s, e] of shown) if (e.classList.contains('visitor')) last = Math.max(last, s);
    if (last > ((chat.read && chat.read.agent) || 0)) send({ type: 'read', seq: last });
  }
  function send(f) {
    if (ws && ws.readyState === WebSocket.OPEN) { ws.send(JSON.stringify(f)); return true; }
    return false;
  }

  function renderChat() {
    clear(head);
    if (!chat) { head.append(h('p', {}, t('chats.gone'))); reply.hidden = true; return; }
    document.title = `${chat.visitor.name} · ${t('chats.title')}`;
    head.append(h('p', {}, h('strong', {}, chat.visitor.name), ` · ${chat.visitor.email} · `, stateBadge(chat.state),
      chat.taken_by ? ` · ${t('chats.taken_by', { name: name(chat.taken_by) })}` : '',
      ` · ${t('chats.started', { when: formatTime(chat.created_at) })}`));
    const mine = chat.taken_by === me && chat.state === 'taken';
    reply.hidden = !mine;
    // read marks arrive as state frames too: the forms are rebuilt only when who may act changes
    const key = `${chat.state}/${chat.taken_by}/${chat.ticket_id}`;
    if (key !== actionsKey) { actionsKey = key; renderActions(mine); }
  }

  function renderActions(mine) {
    clear(actions);
    if (chat.state === 'waiting') {
      const b = h('button', { type: 'button', class: 'primary', id: 'chat-take' }, t('chats.take'));
      b.addEventListener('click', () => busy(b, errBox, async () => {
        try {
          chat = await api('POST', `/api/v1/chats/${id}/take`, {});
        } catch (e) {
          if (e.status === 409) { toast(t('chats.taken_by_other')); return; }
          throw e;
        }
        renderChat();
      }));
      actions.append(b);
      return;
    }
    if (!mine) return;
    // hand to a colleague
    const to = h('select', { id: 'chat-hand-to' }, staff.filter((u) => u.active && u.id !== me)
      .map((u) => h('option', { value: String(u.id) }, u.name)));
    const hand = h('button', { type: 'button', id: 'chat-hand' }, t('chats.hand'));
    hand.addEventListener('click', () => busy(hand, errBox, async () => {
      chat = await api('POST', `/api/v1/chats/${id}/hand`, { to: Number(to.value) });
      toast(t('chats.handed', { name: name(chat.taken_by) }));
      renderChat();
    }));
    const close = h('button', { type: 'button', id: 'chat-close' }, t('chats.close'));
    close.addEventListener('click', () => busy(close, errBox, async () => {
      chat = await api('POST', `/api/v1/chats/${id}/close`, {});
      toast(t('chats.closed'));
      renderChat();
    }));
    // a new ticket
    const crit = h('select', { id: 'chat-crit' }, CRITICALITIES.map((c) => h('option', { value: c }, t(`criticality.${c}`))));
    const subject = h('input', { id: 'chat-subject', type: 'text', maxlength: '200', value: t('chats.default_subject', { name: chat.visitor.name }) });
    const org = chat.user_id ? null : h('select', { id: 'chat-org' }, h('option', { value: '' }, t('chats.choose_org')),
      orgs.orgs.map((o) => h('option', { value: o.slug }, o.name)));
    // the requester of a visitor's ticket: a portal user of the chosen organisation (the
    // visitor's own address when it is one)
    const requester = org ? h('select', { id: 'chat-requester' }, h('option', { value: '' }, t('chats.choose_org_first'))) : null;
    if (org) {
      org.addEventListener('change', async () => {
        clear(requester);
        if (!org.value) { requester.append(h('option', { value: '' }, t('chats.choose_org_first'))); return; }
        try {
          const r = await api('GET', `/api/v1/users?org=${encodeURIComponent(org.value)}`);
          const people = r.users.filter((u) => u.role === 'customer' && u.active !== false);
          const visitor = chat.visitor.email.toLowerCase();
          requester.append(h('option', { value: '' }, people.length ? t('chats.choose_requester') : t('chats.no_requester')),
            ...people.map((u) => h('option', { value: u.email, selected: u.email.toLowerCase() === visitor }, `${u.name} <${u.email}>`)));
        } catch (e) { clear(errBox); errBox.append(errorBox(e)); }
      });
    }
    const convert = h('button', { type: 'submit', class: 'primary', id: 'chat-to-ticket' }, t('chats.to_ticket'));
    const newForm = h('form', { class: 'card', id: 'chat-ticket-form' }, h('h2', {}, t('chats.to_ticket')),
      field(t('field.criticality'), crit), field(t('chats.subject'), subject), org ? field(t('field.org'), org) : null,
      requester ? field(t('chats.requester'), requester, t('chats.requester_hint')) : null, convert);
    newForm.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(convert, errBox, async () => {
        const body = { criticality: crit.value, subject: subject.value.trim() };
        if (org && org.value) body.org = org.value;
        if (requester && requester.value) body.requester_email = requester.value;
        const r = await api('POST', `/api/v1/chats/${id}/ticket`, body);
        toast(t('chats.ticket_created', { number: r.number }));
        location.hash = `#/t/${r.number}`;
      });
    });
    // an existing ticket
    const number = h('input', { id: 'chat-ticket-number', type: 'number', min: '1', inputmode: 'numeric' });
    const add = h('button', { type: 'submit', id: 'chat-add-to-ticket' }, t('chats.add_to_ticket'));
    const addForm = h('form', { class: 'card', id: 'chat-add-form' }, h('h2', {}, t('chats.add_to_ticket')),
      field(t('chats.ticket_number'), number), add);
    addForm.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(add, errBox, async () => {
        const r = await api('POST', `/api/v1/chats/${id}/ticket`, { number: Number(number.value) });
        toast(t('chats.added_to_ticket', { number: r.number }));
        location.hash = `#/t/${r.number}`;
      });
    });
    actions.append(h('div', { class: 'card chat-buttons' }, field(t('chats.hand_to'), to), hand, close), newForm, addForm);
  }

  function connect() {
    if (left || !chat || chat.state === 'closed') return;
    const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/chat/ws`);
    ws = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'hello', chat: id, after: lastSeq }));
    socket.onmessage = (ev) => {
      let f;
      try { f = JSON.parse(ev.data); } catch { return; }
      if (f.type === 'ready') {
        retry = 0;
        conn.textContent = '';
        chat = f.chat;
        renderChat();
        for (const [cid, p] of pending) send(frameOf(cid, p));
      } else if (f.type === 'message') show(f);
      else if (f.type === 'ack') {
        const p = pending.get(f.client_id);
        if (p) show({ seq: f.seq, author: 'agent', text: p.text, files: p.files, client_id: f.client_id, at: new Date().toISOString() });
      } else if (f.type === 'state') {
        chat = f.chat;
        renderChat();
        readMarks();
      } else if (f.type === 'typing' && f.author === 'visitor') {
        typing.textContent = t('chats.visitor_typing', { name: chat.visitor.name });
        clearTimeout(typingTimer);
        typingTimer = setTimeout(() => { typing.textContent = ''; }, 4000);
      } else if (f.type === 'error') {
        toast(t(`chats.error.${['closed', 'rate_limited', 'invalid', 'not_found'].includes(f.code) ? f.code : 'other'}`));
      }
    };
    socket.onclose = () => {
      if (ws === socket) ws = null;
      if (left || (chat && chat.state === 'closed')) return;
      conn.textContent = t('chats.reconnecting');
      const wait = Math.min(10000, 500 * 2 ** retry);
      retry += 1;
      timer = setTimeout(connect, wait);
    };
  }

  function frameOf(cid, p) {
    const f = { type: 'message', text: p.text, client_id: cid };
    if (p.files.length) f.files = p.files.map((x) => x.id);
    return f;
  }
  reply.addEventListener('submit', (e) => {
    e.preventDefault();
    const words = text.value.trim();
    if (!words && !ready.length) return;
    const cid = `a${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
    const p = { text: words, files: ready };
    const node = line({ author: 'agent', text: words, files: p.files });
    node.classList.add('pending');
    p.node = node;
    pending.set(cid, p);
    log.append(node);
    text.value = '';
    ready = [];
    renderChosen();
    send(frameOf(cid, p));
  });
  text.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); reply.requestSubmit(); } });
  text.addEventListener('input', () => { if (Date.now() - lastTyping > 3000 && send({ type: 'typing' })) lastTyping = Date.now(); });
  document.addEventListener('visibilitychange', markRead);

  // Who the customer is: their organisation's profile and open tickets beside the conversation.
  const customer = h('section', { class: 'card chat-customer', 'aria-labelledby': 'chat-customer-h' },
    h('h2', { id: 'chat-customer-h' }, t('chats.customer')));
  const side = h('div', { class: 'chat-side' }, customer);
  api('GET', `/api/v1/chats/${id}/customer`).then(async (c) => {
    if (!c.org) { customer.append(h('p', { class: 'empty' }, t('chats.customer_unknown'))); return; }
    customer.append(h('p', {}, h('strong', {}, c.user.name), ` · ${c.user.email}`),
      h('p', {}, h('a', { href: `#/profile/${encodeURIComponent(c.org.slug)}` }, c.org.name)),
      c.matched_by === 'email' ? h('p', { class: 'hint warn' }, t('chats.customer_by_email')) : null);
    const list = await api('GET', `/api/v1/tickets?org=${encodeURIComponent(c.org.slug)}&status=active&limit=10`);
    customer.append(h('h3', {}, t('chats.open_tickets')), list.tickets.length
      ? h('ul', { class: 'chat-tickets' }, list.tickets.map((tk) => h('li', {},
        h('a', { href: `#/t/${tk.number}` }, `#${tk.number}`), ` ${tk.subject} `,
        criticalityBadge(tk.criticality))))
      : h('p', { class: 'empty' }, t('chats.no_open_tickets')));
    side.append(profilePanel({ org: c.org.slug, environment: null }));
  }).catch((e) => customer.append(errorBox(e)));

  renderChat();
  if (!chat) {
    // closed chats are not listed: the transcript is still readable
    try {
      const r = await api('GET', `/api/v1/chats/${id}/messages?after=0`);
      for (const m of r.messages) show(m);
    } catch (e) { errBox.append(h('p', {}, errorText(e))); }
  }
  connect();
  const node = h('div', { class: 'chat-page' }, h('p', {}, h('a', { href: '#/chats' }, t('chats.back'))),
    pageTitle(t('chats.conversation')), head, conn, errBox,
    h('div', { class: 'chat-columns' }, h('section', { class: 'card chat-main' }, logRegion, typing, reply), h('aside', {}, actions, side)));
  return { node, leave: () => { left = true; clearTimeout(timer); if (ws) ws.close(1000); document.removeEventListener('visibilitychange', markRead); } };
}
