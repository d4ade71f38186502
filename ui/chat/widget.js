// The live chat widget for the vendor's own site (issue 13): one
//   <script src="https://DESK/chat/widget.js" data-lang="es" async></script>
// shows a bubble "Abrir chat"; the visitor gives a name and an email (POST /api/v1/chats), then
// talks over the WebSocket GET /chat/ws (docs/api.md "Live chat"). Self-contained: no import,
// its own small es/en table, styles inside a shadow root (the host page's CSS cannot reach it,
// and its CSS cannot leak out). Text from the network is only ever set through textContent.
// The chat id and its token live in the host site's localStorage, so a reload finds the chat
// again and replays its transcript from the server (the rows are the truth: nothing is kept
// twice). A message is shown as "sending" until the server acknowledges it; after a drop the
// widget reconnects with backoff, resumes after the last seq it holds and resends the
// unacknowledged messages with their same client_id (the server stores each once).
// Files (a screenshot, a log): the paperclip uploads them with the chat token
// (POST /api/v1/chats/{id}/files), then a message names them; they show as links (images as
// thumbnails) fetched with the token (GET /api/v1/chats/{id}/files/{file}) into blob: URLs.
// On load it asks GET /api/v1/chats/config: the admin's greeting and colour, and whether agents
// answer now. Out of hours it says so (with the 24x7 line for a customer who has one) and offers
// a form whose message becomes a ticket (POST /api/v1/chats/leave; a retry keeps its client_id).
(function soporteChat() {
  'use strict';
  const script = document.currentScript || document.querySelector('script[src*="/chat/widget.js"]');
  if (!script || window.__soporteChat) return;
  window.__soporteChat = true;
  const DESK = new URL(script.src, location.href).origin;
  const LANG = script.getAttribute('data-lang') === 'en' ? 'en' : 'es';
  const KEY = `soporte.chat:${DESK}`;

  const TEXTS = {
    es: {
      open: 'Abrir chat', close: 'Cerrar', title: 'Soporte',
      greeting: 'Hola 👋, ¿en qué te podemos ayudar?',
      name: 'Nombre', email: 'Correo electrónico', start: 'Empezar el chat',
      message: 'Escribe tu mensaje', send: 'Enviar', log: 'Conversación',
      you: 'Tú', agent: 'Agente', sending: 'Enviando…', read: 'Leído',
      waiting: 'Esperando a un agente…', taken: 'Un agente se unió a la conversación.',
      typing: 'El agente está escribiendo…', reconnecting: 'Sin conexión; reconectando…',
      closed: 'La conversación terminó. ¡Gracias por escribirnos!', again: 'Nueva conversación',
      refused: 'Este sitio no puede abrir chats con soporte.',
      busy: 'Todos los agentes están ocupados. Inténtalo de nuevo en unos minutos.',
      yours_waiting: 'Ya tienes conversaciones esperando a un agente. Inténtalo de nuevo en unos minutos.',
      bad_name: 'Escribe tu nombre.', bad_email: 'Escribe un correo electrónico válido.',
      rate_limited: 'Estás enviando mensajes muy rápido; espera un momento.',
      too_long: 'El mensaje es demasiado largo.', is_closed: 'La conversación ya terminó.',
      network: 'No pudimos conectar con soporte. Inténtalo de nuevo.',
      gone: 'Esta conversación ya no está disponible.', unexpected: 'Algo salió mal. Inténtalo de nuevo.',
      off_hours: 'Estamos fuera del horario de atención. Déjanos un mensaje y te responderemos por correo.',
      phone: 'Para urgencias de tu contrato 24x7 llama al', text: 'Mensaje', leave: 'Enviar mensaje',
      bad_text: 'Escribe tu mensaje.', left_ticket: 'Recibimos tu mensaje. Tu ticket es el #{n}; te responderemos por correo.',
      left_held: 'Recibimos tu mensaje. Te responderemos por correo a {email}.',
      leave_limit: 'Ya nos dejaste varios mensajes. Inténtalo de nuevo más tarde.',
      attach: 'Adjuntar archivo', uploading: 'Subiendo {name}…', file_too_large: 'El archivo {name} supera el tamaño permitido.',
      file_limit: 'Esta conversación ya tiene el máximo de archivos.', upload_failed: 'No pudimos subir {name}. Inténtalo de nuevo.',
      too_many_files: 'Puedes enviar hasta 5 archivos a la vez.', open_file: 'Abrir {name}',
    },
    en: {
      open: 'Open chat', close: 'Close', title: 'Support',
      greeting: 'Hi 👋, how can we help?',
      name: 'Name', email: 'Email', start: 'Start chat',
      message: 'Type your message', send: 'Send', log: 'Conversation',
      you: 'You', agent: 'Agent', sending: 'Sending…', read: 'Read',
      waiting: 'Waiting for an agent…', taken: 'An agent joined the conversation.',
      typing: 'The agent is typing…', reconnecting: 'Offline; reconnecting…',
      closed: 'The conversation has ended. Thank you for writing to us!', again: 'New conversation',
      refused: 'This site may not open chats with support.',
      busy: 'All agents are busy. Please try again in a few minutes.',
      yours_waiting: 'You already have conversations waiting for an agent. Please try again in a few minutes.',
      bad_name: 'Please write your name.', bad_email: 'Please write a valid email address.',
      rate_limited: 'You are sending messages too fast; please wait a moment.',
      too_long: 'The message is too long.', is_closed: 'The conversation has already ended.',
      network: 'We could not reach support. Please try again.',
      gone: 'This conversation is no longer available.', unexpected: 'Something went wrong. Please try again.',
      off_hours: 'We are outside our support hours. Leave us a message and we will answer by email.',
      phone: 'For urgent matters under your 24x7 contract call', text: 'Message', leave: 'Send message',
      bad_text: 'Please write your message.', left_ticket: 'We got your message. Your ticket is #{n}; we will answer by email.',
      left_held: 'We got your message. We will answer by email at {email}.',
      leave_limit: 'You have already left us several messages. Please try again later.',
      attach: 'Attach a file', uploading: 'Uploading {name}…', file_too_large: 'The file {name} is larger than allowed.',
      file_limit: 'This conversation already holds the most files it may.', upload_failed: 'We could not upload {name}. Please try again.',
      too_many_files: 'You can send up to 5 files at once.', open_file: 'Open {name}',
    },
  };
  const T = TEXTS[LANG];

  const CSS = `
:host { all: initial; }
[hidden] { display: none !important; }
* { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.bubble { position: fixed; right: 16px; bottom: 16px; z-index: 2147483000; border: 0; border-radius: 999px;
  padding: 12px 18px; background: #0b5cad; color: #fff; font-size: 16px; font-weight: 600; cursor: pointer;
  box-shadow: 0 4px 14px rgba(0,0,0,.25); }
.bubble:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
.panel { position: fixed; right: 16px; bottom: 76px; z-index: 2147483000; width: 360px; max-width: calc(100vw - 32px);
  height: 520px; max-height: calc(100vh - 100px); display: flex; flex-direction: column; background: #fff; color: #1a1a1a;
  border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.3); overflow: hidden; font-size: 15px; line-height: 1.4; }
.panel:not(.started) { height: auto; }
.head { display: flex; align-items: center; justify-content: space-between; padding: 10px 14px; background: #0b5cad; color: #fff; }
.head h2 { margin: 0; font-size: 17px; }
.head button { background: transparent; color: #fff; border: 1px solid rgba(255,255,255,.6); border-radius: 6px; padding: 4px 10px; font-size: 14px; cursor: pointer; }
.greeting { margin: 12px 14px 4px; font-size: 16px; }
form.start { display: flex; flex-direction: column; gap: 6px; padding: 8px 14px; }
label { font-size: 14px; font-weight: 600; }
input, textarea { font-size: 16px; padding: 8px; border: 1px solid #888; border-radius: 6px; width: 100%; color: #1a1a1a; background: #fff; }
button.primary { background: #0b5cad; color: #fff; border: 0; border-radius: 6px; padding: 9px 14px; font-size: 15px; font-weight: 600; cursor: pointer; }
button:disabled { opacity: .6; cursor: default; }
.log { flex: 1; overflow-y: auto; padding: 8px 14px; margin: 0; list-style: none; display: flex; flex-direction: column; gap: 6px; }
.msg { max-width: 85%; padding: 7px 10px; border-radius: 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg .who { display: block; font-size: 12px; font-weight: 600; opacity: .75; }
.msg .meta { display: block; font-size: 11px; opacity: .7; text-align: right; }
.msg.visitor { align-self: flex-end; background: #dbeafe; }
.msg.agent { align-self: flex-start; background: #eef0f2; }
.msg.system { align-self: center; background: transparent; font-style: italic; font-size: 13px; color: #444; }
.msg.pending { opacity: .7; }
.typing { min-height: 20px; padding: 0 14px; font-size: 13px; color: #444; font-style: italic; }
.status { padding: 6px 14px; font-size: 14px; color: #1a1a1a; }
.status.error { color: #a40000; font-weight: 600; }
.status:empty { display: none; }
form.compose { display: flex; gap: 6px; padding: 8px 14px 12px; border-top: 1px solid #ddd; }
form.compose textarea { resize: none; height: 44px; }
.again { margin: 0 14px 12px; }
.offhours { margin: 4px 14px; padding: 8px 10px; background: #fff4d6; border-left: 4px solid #b36b00; border-radius: 4px; font-size: 14px; }
.offhours a { color: #0b4a8b; font-weight: 700; white-space: nowrap; }
form.leave { display: flex; flex-direction: column; gap: 6px; padding: 8px 14px 12px; }
form.leave textarea { resize: vertical; min-height: 90px; }
.left { margin: 8px 14px 14px; font-weight: 600; }
button.attach { background: transparent; border: 1px solid #888; border-radius: 6px; padding: 0 10px; font-size: 18px; cursor: pointer; color: #1a1a1a; }
.files { display: flex; flex-direction: column; gap: 4px; margin-top: 4px; }
.files button { background: transparent; border: 0; padding: 0; color: #0b4a8b; text-decoration: underline; cursor: pointer; font-size: 14px; text-align: left; overflow-wrap: anywhere; }
.files img { display: block; max-width: 100%; max-height: 160px; border-radius: 6px; margin-top: 2px; }
`;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c) e.append(c);
    return e;
  }

  // --- what the site keeps: {chat, token, pending: [{client_id, text}]} ---
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || 'null'); } catch { return null; }
  }
  function save() {
    try {
      if (saved) localStorage.setItem(KEY, JSON.stringify(saved));
      else localStorage.removeItem(KEY);
    } catch { /* storage full or disabled: the chat works for this page only */ }
  }
  let saved = load();
  if (saved && !(Number.isInteger(saved.chat) && typeof saved.token === 'string')) saved = null;
  if (saved && !Array.isArray(saved.pending)) saved.pending = [];

  // --- the DOM, in a shadow root ---
  const host = el('div', { id: 'soporte-chat' });
  const root = host.attachShadow({ mode: 'open' });
  root.append(el('style', { text: CSS }));
  const bubble = el('button', { type: 'button', class: 'bubble', 'aria-expanded': 'false',
    'aria-controls': 'soporte-chat-panel', text: T.open });
  const closeBtn = el('button', { type: 'button', 'aria-label': T.close, text: T.close });
  const status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const log = el('ol', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': T.log });
  const typing = el('div', { class: 'typing', 'aria-live': 'polite' });
  const nameIn = el('input', { id: 'sc-name', name: 'name', autocomplete: 'name', required: true, maxlength: '200' });
  const emailIn = el('input', { id: 'sc-email', name: 'email', type: 'email', autocomplete: 'email', required: true, maxlength: '254' });
  const startBtn = el('button', { type: 'submit', class: 'primary', text: T.start });
  const startForm = el('form', { class: 'start', novalidate: true },
    el('label', { for: 'sc-name', text: T.name }), nameIn,
    el('label', { for: 'sc-email', text: T.email }), emailIn, startBtn);
  const textIn = el('textarea', { id: 'sc-text', name: 'text', 'aria-label': T.message, placeholder: T.message, maxlength: '4096' });
  const sendBtn = el('button', { type: 'submit', class: 'primary', text: T.send });
  // The paperclip opens the file picker (the input itself is hidden: one control to tab to).
  const fileIn = el('input', { type: 'file', multiple: true, hidden: true, tabindex: '-1' });
  const attachBtn = el('button', { type: 'button', class: 'attach', 'aria-label': T.attach, title: T.attach, text: '📎' });
  const compose = el('form', { class: 'compose' }, attachBtn, fileIn, textIn, sendBtn);
  const again = el('button', { type: 'button', class: 'primary again', text: T.again });
  // Out of hours: the notice (with the 24x7 line for a customer who has one) and a form whose
  // message becomes a ticket (POST /api/v1/chats/leave).
  const offHours = el('div', { class: 'offhours', role: 'note' }, el('span', { text: T.off_hours }));
  const leaveName = el('input', { id: 'sc-l-name', name: 'name', autocomplete: 'name', required: true, maxlength: '200' });
  const leaveEmail = el('input', { id: 'sc-l-email', name: 'email', type: 'email', autocomplete: 'email', required: true, maxlength: '254' });
  const leaveText = el('textarea', { id: 'sc-l-text', name: 'text', required: true, maxlength: '4096' });
  const leaveBtn = el('button', { type: 'submit', class: 'primary', text: T.leave });
  const leaveForm = el('form', { class: 'leave', novalidate: true },
    el('label', { for: 'sc-l-name', text: T.name }), leaveName,
    el('label', { for: 'sc-l-email', text: T.email }), leaveEmail,
    el('label', { for: 'sc-l-text', text: T.text }), leaveText, leaveBtn);
  const leftNote = el('p', { class: 'left', role: 'status' });
  const greeting = el('p', { class: 'greeting', text: T.greeting });
  const colorStyle = el('style');
  const panel = el('div', { class: 'panel', id: 'soporte-chat-panel', role: 'dialog', 'aria-label': T.title, hidden: true },
    el('div', { class: 'head' }, el('h2', { text: T.title }), closeBtn),
    greeting, startForm, log, typing, status, compose, again);
  root.append(colorStyle, bubble, panel);
  let config = null;   // GET /api/v1/chats/config; null until it answers (then: staffed unless it says not)
  let leftDone = false;
  let leaveId = null;  // the client_id of the message being left: a retry resends the same one

  function setStatus(text, error = false) {
    status.textContent = text || '';
    status.className = error ? 'status error' : 'status';
  }

  // --- the conversation ---
  const shown = new Map();      // seq → element
  const pendingEls = new Map(); // client_id → element
  let lastSeq = 0;
  let chat = null;              // the chat as the server last described it
  let ws = null;
  let retry = 0;
  let retryTimer = null;
  let typingTimer = null;
  let lastTypingSent = 0;
  let stopped = false;          // refused or gone: no more reconnects

  function view() {
    const started = !!saved;
    const closed = chat && chat.state === 'closed';
    const off = !started && !!config && config.staffed === false;
    panel.classList.toggle('started', started);  // the form alone needs no tall panel
    startForm.hidden = started || off;
    // The out-of-hours parts are in the panel only while they apply (one form with a name field
    // at a time, for assistive technology too).
    if (off && !offHours.isConnected) startForm.after(offHours, leaveForm, leftNote);
    else if (!off && offHours.isConnected) { offHours.remove(); leaveForm.remove(); leftNote.remove(); }
    offHours.hidden = !off;
    leaveForm.hidden = !off || leftDone;
    leftNote.hidden = !off || !leftDone;
    log.hidden = !started;
    typing.hidden = !started;
    compose.hidden = !started || closed || stopped;
    again.hidden = !(closed || stopped) || !started;
  }

  function bubbleOf(author, text, meta, files) {
    const who = author === 'visitor' ? T.you : T.agent;
    return el('li', { class: `msg ${author}` }, el('span', { class: 'who', text: who }),
      text ? el('span', { class: 'text', text }) : null, filesOf(files),
      el('span', { class: 'meta', text: meta || '' }));
  }

  function sizeText(n) {
    if (!Number.isFinite(n)) return '';
    if (n < 1024) return `${n} B`;
    if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
    return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  }

  // A file of the chat, fetched with the chat token (a link cannot carry it) into a blob: URL.
  const fileUrls = new Map();  // file id → blob: URL
  async function fileUrl(f) {
    if (fileUrls.has(f.id)) return fileUrls.get(f.id);
    const res = await fetch(`${DESK}/api/v1/chats/${saved.chat}/files/${f.id}`, { mode: 'cors', credentials: 'omit',
      headers: { Authorization: `Bearer ${saved.token}` } });
    if (!res.ok) throw new Error(String(res.status));
    const url = URL.createObjectURL(await res.blob());
    fileUrls.set(f.id, url);
    return url;
  }

  // The files of a message: a button each (name and size) that opens it, and a thumbnail for
  // an image. Names are text, never markup.
  function filesOf(files) {
    if (!files || !files.length) return null;
    const box = el('span', { class: 'files' });
    for (const f of files) {
      const label = `📎 ${f.name} (${sizeText(f.size)})`;
      const b = el('button', { type: 'button', 'aria-label': fill(T.open_file, { name: f.name }), text: label });
      b.addEventListener('click', async () => {
        try {
          const a = el('a', { href: await fileUrl(f), download: f.name, rel: 'noopener' });
          root.append(a);
          a.click();
          a.remove();
        } catch { setStatus(T.unexpected, true); }
      });
      box.append(b);
      if (/^image\/(png|jpeg|gif|webp)$/.test(f.type) && f.id) {
        const img = el('img', { alt: f.name });
        box.append(img);
        fileUrl(f).then((u) => { img.src = u; }).catch(() => img.remove());
      }
    }
    return box;
  }

  function scroll() { log.scrollTop = log.scrollHeight; }

  function showMessage(m) {
    if (shown.has(m.seq)) return;
    let node;
    if (m.author === 'system') {
      node = el('li', { class: 'msg system', text: m.text === 'taken' ? T.taken : '' });
      if (m.text !== 'taken') { lastSeq = Math.max(lastSeq, m.seq); return; }
    } else if (m.author === 'visitor' && m.client_id && pendingEls.has(m.client_id)) {
      node = pendingEls.get(m.client_id);
      pendingEls.delete(m.client_id);
      node.classList.remove('pending');
      node.querySelector('.meta').textContent = '';
      if (m.files && m.files.length && !node.querySelector('.files')) node.querySelector('.meta').before(filesOf(m.files));
      dropPending(m.client_id);
    } else {
      node = bubbleOf(m.author, m.text, '', m.files);
    }
    node.dataset.seq = String(m.seq);
    shown.set(m.seq, node);
    // confirmed messages in seq order, then the ones still sending
    let before = null;
    for (const [s, e] of shown) if (s > m.seq && e !== node && (!before || s < Number(before.dataset.seq))) before = e;
    if (!before) before = [...pendingEls.values()].find((e) => e !== node) || null;
    if (before) log.insertBefore(node, before);
    else log.append(node);
    lastSeq = Math.max(lastSeq, m.seq);
    if (m.author === 'agent') { typing.textContent = ''; markRead(); }
    readMarks();
    scroll();
  }

  function dropPending(clientId) {
    if (!saved) return;
    saved.pending = saved.pending.filter((p) => p.client_id !== clientId);
    save();
  }

  function readMarks() {
    const upto = chat && chat.read ? chat.read.agent || 0 : 0;
    for (const [s, e] of shown) {
      if (!e.classList.contains('visitor')) continue;
      const meta = e.querySelector('.meta');
      if (meta) meta.textContent = s <= upto ? T.read : '';
    }
  }

  let readTimer = null;
  function markRead() {
    clearTimeout(readTimer);
    readTimer = setTimeout(sendRead, 200);  // once after a replay, not once per message
  }
  function sendRead() {
    if (panel.hidden || document.visibilityState !== 'visible') return;
    let last = 0;
    for (const [s, e] of shown) if (e.classList.contains('agent')) last = Math.max(last, s);
    if (last && chat && (!chat.read || (chat.read.visitor || 0) < last)) send({ type: 'read', seq: last });
  }

  function setChat(c) {
    chat = c;
    if (c.state === 'closed') { setStatus(T.closed); if (ws) ws.close(1000); }
    else if (c.state === 'waiting') setStatus(T.waiting);
    else setStatus('');
    readMarks();
    view();
  }

  function send(frame) {
    if (ws && ws.readyState === WebSocket.OPEN) { ws.send(JSON.stringify(frame)); return true; }
    return false;
  }

  function errorText(code) {
    return { rate_limited: T.rate_limited, closed: T.is_closed, invalid: T.too_long, not_found: T.gone,
      unauthenticated: T.gone }[code] || T.unexpected;
  }

  function connect() {
    clearTimeout(retryTimer);
    if (!saved || stopped || (chat && chat.state === 'closed')) return;
    const url = `${DESK.replace(/^http/, 'ws')}/chat/ws`;
    let socket;
    try { socket = new WebSocket(url); } catch { schedule(); return; }
    ws = socket;
    let ready = false;
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: 'hello', chat: saved.chat, token: saved.token, after: lastSeq }));
    };
    socket.onmessage = (ev) => {
      let f;
      try { f = JSON.parse(ev.data); } catch { return; }
      if (f.type === 'ready') {
        ready = true;
        retry = 0;
        setChat(f.chat);
        // resend what the server has not acknowledged, with the same client_id (stored once)
        for (const p of saved.pending) send(frameOf(p));
      } else if (f.type === 'message') {
        showMessage(f);
      } else if (f.type === 'ack') {
        const node = pendingEls.get(f.client_id);
        if (node) {
          const text = node.querySelector('.text');
          showMessage({ seq: f.seq, author: 'visitor', text: text ? text.textContent : '', client_id: f.client_id });
        } else dropPending(f.client_id);
      } else if (f.type === 'state') {
        setChat(f.chat);
      } else if (f.type === 'typing') {
        if (f.author === 'agent') {
          typing.textContent = T.typing;
          clearTimeout(typingTimer);
          typingTimer = setTimeout(() => { typing.textContent = ''; }, 4000);
        }
      } else if (f.type === 'error') {
        if (f.code === 'not_found' || f.code === 'unauthenticated') {
          stopped = true;
          setStatus(T.gone, true);
          view();
        } else {
          setStatus(errorText(f.code), true);
          if (f.code === 'closed' || f.code === 'invalid') {
            // a message the server refuses for good is not resent forever
            if (saved) { saved.pending = []; save(); }
            for (const n of pendingEls.values()) n.remove();
            pendingEls.clear();
          }
        }
      }
    };
    socket.onclose = (ev) => {
      if (ws === socket) ws = null;
      if (ev.code === 4403) { stopped = true; if (!status.textContent) setStatus(T.gone, true); view(); return; }
      if (chat && chat.state === 'closed') return;
      if (!ready && retry === 0 && !navigator.onLine) setStatus(T.reconnecting, true);
      schedule();
    };
  }

  function schedule() {
    if (stopped) return;
    if (retry > 0) setStatus(T.reconnecting, true);
    const base = Math.min(10000, 500 * 2 ** retry);
    retry += 1;
    retryTimer = setTimeout(connect, base / 2 + Math.random() * base / 2);
  }

  function newClientId() {
    const a = new Uint8Array(12);
    crypto.getRandomValues(a);
    return `w${Date.now().toString(36)}${[...a].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  }

  // A message frame for a pending message: its text and the ids of the files it sends.
  function frameOf(p) {
    const f = { type: 'message', text: p.text, client_id: p.client_id };
    if (p.files && p.files.length) f.files = p.files.map((x) => x.id);
    return f;
  }

  function sendText(text, files) {
    const p = { client_id: newClientId(), text, files: files || [] };
    saved.pending.push(p);
    save();
    const node = bubbleOf('visitor', text, T.sending, p.files);
    node.classList.add('pending');
    pendingEls.set(p.client_id, node);
    log.append(node);
    scroll();
    send(frameOf(p));
  }

  // Uploads the chosen files with the chat token, then sends them in one message (with the
  // text typed so far). A refusal is said by name; nothing is sent then.
  async function sendFiles(list) {
    if (!saved || !list.length) return;
    if (list.length > 5) { setStatus(T.too_many_files, true); return; }
    const form = new FormData();
    for (const f of list) form.append('file', f, f.name);
    const names = list.map((f) => f.name).join(', ');
    attachBtn.disabled = true;
    setStatus(fill(T.uploading, { name: names }));
    try {
      const res = await fetch(`${DESK}/api/v1/chats/${saved.chat}/files`, { method: 'POST', mode: 'cors', credentials: 'omit',
        headers: { Authorization: `Bearer ${saved.token}`, Accept: 'application/json' }, body: form });
      let data = null;
      try { data = await res.json(); } catch { data = null; }
      if (res.status === 201 && data && Array.isArray(data.files)) {
        setStatus('');
        const text = textIn.value.trim();
        textIn.value = '';
        sendText(text, data.files);
      } else if (res.status === 413) {
        setStatus(fill(T.file_too_large, { name: names }), true);
      } else if (res.status === 429 && data && data.error && data.error.reason === 'chat_file_limit') {
        setStatus(T.file_limit, true);
      } else if (res.status === 429) {
        setStatus(T.rate_limited, true);
      } else if (res.status === 409) {
        setStatus(T.is_closed, true);
      } else {
        setStatus(fill(T.upload_failed, { name: names }), true);
      }
    } catch {
      setStatus(fill(T.upload_failed, { name: names }), true);
    } finally {
      attachBtn.disabled = false;
    }
  }

  // --- events ---
  function open(show) {
    panel.hidden = !show;
    bubble.setAttribute('aria-expanded', String(show));
    if (show) {
      view();
      const off = !saved && config && config.staffed === false;
      (saved ? textIn : off ? (leftDone ? closeBtn : leaveName.value ? leaveText : leaveName) : nameIn).focus();
      if (saved && !ws && !retryTimer) connect();
      markRead();
    }
  }
  bubble.addEventListener('click', () => open(panel.hidden));
  closeBtn.addEventListener('click', () => { open(false); bubble.focus(); });
  panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') { open(false); bubble.focus(); } });

  startForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = nameIn.value.trim();
    const email = emailIn.value.trim();
    if (!name) { setStatus(T.bad_name, true); nameIn.focus(); return; }
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) { setStatus(T.bad_email, true); emailIn.focus(); return; }
    startBtn.disabled = true;
    setStatus('');
    try {
      const res = await fetch(`${DESK}/api/v1/chats`, { method: 'POST', mode: 'cors', credentials: 'omit',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ name, email, lang: LANG }) });
      let data = null;
      try { data = await res.json(); } catch { data = null; }
      if (res.status === 201 && data && data.chat) {
        saved = { chat: data.chat.id, token: data.token, pending: [] };
        save();
        stopped = false;
        setChat(data.chat);
        textIn.focus();
        connect();
      } else if (res.status === 403) {
        setStatus(T.refused, true);
      } else if (res.status === 429) {
        const reason = data && data.error && data.error.reason;
        setStatus(reason === 'chat_address_limit' ? T.yours_waiting : T.busy, true);
      } else if (res.status === 400) {
        const field = data && data.error && data.error.field;
        setStatus(field === 'email' ? T.bad_email : field === 'name' ? T.bad_name : T.unexpected, true);
      } else {
        setStatus(T.unexpected, true);
      }
    } catch {
      // a site not allowed gets no CORS answer: the browser reports a network error
      setStatus(T.network, true);
      fetch(`${DESK}/healthz`, { mode: 'no-cors' }).then(() => setStatus(T.refused, true)).catch(() => {});
    } finally {
      startBtn.disabled = false;
    }
  });

  compose.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = textIn.value.trim();
    if (!text || !saved) return;
    if (new TextEncoder().encode(text).length > 4096) { setStatus(T.too_long, true); return; }
    textIn.value = '';
    sendText(text);
  });
  attachBtn.addEventListener('click', () => fileIn.click());
  fileIn.addEventListener('change', () => { const list = [...fileIn.files]; fileIn.value = ''; sendFiles(list); });
  textIn.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); compose.requestSubmit(); }
  });
  textIn.addEventListener('input', () => {
    const now = Date.now();
    if (now - lastTypingSent > 3000 && send({ type: 'typing' })) lastTypingSent = now;
  });
  again.addEventListener('click', () => {
    ws && ws.close(1000);
    saved = null;
    save();
    chat = null;
    stopped = false;
    shown.clear();
    pendingEls.clear();
    for (const u of fileUrls.values()) URL.revokeObjectURL(u);
    fileUrls.clear();
    lastSeq = 0;
    log.textContent = '';
    setStatus('');
    view();
    nameIn.focus();
  });
  document.addEventListener('visibilitychange', markRead);

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
  }

  leaveForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = leaveName.value.trim();
    const email = leaveEmail.value.trim();
    const text = leaveText.value.trim();
    if (!name) { setStatus(T.bad_name, true); leaveName.focus(); return; }
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) { setStatus(T.bad_email, true); leaveEmail.focus(); return; }
    if (!text) { setStatus(T.bad_text, true); leaveText.focus(); return; }
    if (new TextEncoder().encode(text).length > 4096) { setStatus(T.too_long, true); leaveText.focus(); return; }
    if (!leaveId) leaveId = newClientId();
    leaveBtn.disabled = true;
    setStatus('');
    try {
      const res = await fetch(`${DESK}/api/v1/chats/leave`, { method: 'POST', mode: 'cors', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ name, email, text, client_id: leaveId, lang: LANG }) });
      let data = null;
      try { data = await res.json(); } catch { data = null; }
      if ((res.status === 201 || res.status === 200) && data && data.chat) {
        leaveId = null;
        leftDone = true;
        leftNote.textContent = Number.isInteger(data.ticket)
          ? fill(T.left_ticket, { n: data.ticket }) : fill(T.left_held, { email });
        leaveText.value = '';
        view();
      } else if (res.status === 403) {
        setStatus(T.refused, true);
      } else if (res.status === 429) {
        const reason = data && data.error && data.error.reason;
        setStatus(reason === 'chat_address_limit' ? T.yours_waiting : T.leave_limit, true);
      } else if (res.status === 400) {
        const field = data && data.error && data.error.field;
        leaveId = null;
        if (field === 'email') { setStatus(T.bad_email, true); leaveEmail.focus(); }
        else if (field === 'name') { setStatus(T.bad_name, true); leaveName.focus(); }
        else if (field === 'text') { setStatus(T.too_long, true); leaveText.focus(); }
        else setStatus(T.unexpected, true);
      } else {
        setStatus(T.unexpected, true);
      }
    } catch {
      setStatus(T.network, true);
    } finally {
      leaveBtn.disabled = false;
    }
  });

  // White or dark text, whichever reads better on the admin's colour (WCAG relative luminance).
  function inkOn(hex) {
    const lin = (i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    const l = 0.2126 * lin(1) + 0.7152 * lin(3) + 0.0722 * lin(5);
    return (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) ? '#fff' : '#1a1a1a';
  }

  function applyConfig(c) {
    config = c;
    if (typeof c.greeting === 'string' && c.greeting.trim()) greeting.textContent = c.greeting;
    if (typeof c.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(c.color)) {
      const ink = inkOn(c.color);
      colorStyle.textContent = `.bubble, .head, button.primary { background: ${c.color}; color: ${ink}; }
.head button { color: ${ink}; border-color: ${ink}; }`;
    }
    if (typeof c.phone === 'string' && c.phone) {
      offHours.append(el('br'), el('span', { text: `${T.phone} ` }),
        el('a', { href: `tel:${c.phone.replace(/[^0-9+]/g, '')}`, text: c.phone }));
    }
    if (c.customer && typeof c.customer.email === 'string') {
      for (const [input, v] of [[nameIn, c.customer.name], [emailIn, c.customer.email],
        [leaveName, c.customer.name], [leaveEmail, c.customer.email]]) if (!input.value && v) input.value = v;
    }
    view();
  }

  fetch(`${DESK}/api/v1/chats/config?lang=${LANG}`, { mode: 'cors', credentials: 'same-origin',
    headers: { Accept: 'application/json' } })
    .then((res) => (res.ok ? res.json() : null))
    .then((c) => { if (c && typeof c === 'object') applyConfig(c); })
    .catch(() => { /* a site not allowed, or the desk away: the live chat form stays */ });

  function mount() {
    document.body.append(host);
    view();
    if (saved) {
      // the unacknowledged messages of the last page, shown until the server acknowledges them
      for (const p of saved.pending) {
        const node = bubbleOf('visitor', p.text, T.sending, p.files);
        node.classList.add('pending');
        pendingEls.set(p.client_id, node);
        log.append(node);
      }
      connect();
    }
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
}());
