// The ticket page, for customers and staff: conversation, attachments (images and videos shown
// inline), reply, close/reopen; staff also get internal notes, assignment, status and criticality,
// the SLA timeline ("why is it due then?"), the history, and the organisation/contract panel.
import { h, field, clear, formatBytes } from '../dom.js';
import { t, formatTime, formatMinutes, formatSpan, has } from '../i18n.js';
import { api } from '../api.js';
import { state, isStaff, pageTitle, loading, showError, statusBadge, criticalityBadge, dueState, busy, errorBox, toast } from '../ui.js';
import { dropZone } from '../widgets/attachments.js';
import { onTicketChange } from '../live.js';
import { mailHistoryText } from '../widgets/mail_history.js';
import { profilePanel } from '../widgets/profile_panel.js';
import { checklistCard } from '../widgets/checklist.js';
import { tabsView } from '../widgets/tabs.js';

const STATUSES = ['new', 'open', 'waiting_customer', 'resolved', 'closed'];
const CRITICALITIES = ['normal', 'important', 'critical'];

function isImage(a) { return /^image\/(png|jpeg|gif|webp)$/.test(a.content_type); }
function isVideo(a) { return /^video\/(mp4|webm|ogg)$/.test(a.content_type); }

// An image opens in a viewer inside the page (issue 19): a modal dialog that Esc or its button
// closes, giving the focus back to the thumbnail that opened it (or to its successor, when a live
// update redrew the page meanwhile).
function openViewer(a, opener) {
  const close = h('button', { type: 'button', class: 'viewer-close' }, t('viewer.close'));
  const dialog = h('dialog', { class: 'viewer', 'aria-label': a.filename },
    h('div', { class: 'viewer-bar' }, h('span', { class: 'fname' }, a.filename), ' ',
      h('span', { class: 'fsize' }, formatBytes(a.size)), ' ',
      h('a', { href: a.url, download: a.filename }, t('viewer.download')), close),
    h('img', { src: a.url, alt: a.filename }));
  close.onclick = () => dialog.close();
  dialog.addEventListener('click', (e) => { if (e.target === dialog) dialog.close(); });
  dialog.addEventListener('close', () => {
    dialog.remove();
    const target = opener.isConnected ? opener : document.querySelector(`button.thumb[data-att="${a.id}"]`);
    if (target) target.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}

function attachmentItem(a, zone) {
  const thumb = isImage(a) ? h('button', { type: 'button', class: 'thumb', 'data-att': String(a.id), 'aria-label': t('viewer.open', { name: a.filename }) },
    h('img', { src: a.url, alt: '', loading: 'lazy' })) : null;
  if (thumb) thumb.onclick = () => openViewer(a, thumb);
  return h('li', { class: 'attachment' },
    thumb,
    isVideo(a) ? h('video', { src: a.url, controls: true, preload: 'metadata' }) : null,
    h('div', {}, h('a', { href: a.url, download: a.filename }, a.filename), ' ',
      h('span', { class: 'meta' }, `${formatBytes(a.size)} · ${formatTime(a.created_at, zone)}`)));
}

function messageItem(m, zone) {
  const staffSide = m.author.role && m.author.role !== 'customer';
  return h('li', { class: `message${m.internal ? ' internal' : ''}${staffSide ? ' staff' : ''}` },
    h('div', { class: 'meta' }, h('strong', {}, m.author.name), ' · ', formatTime(m.created_at, zone),
      m.internal ? h('span', { class: 'badge internal-badge' }, t('ticket.internal_note')) : null,
      m.channel && m.channel !== 'portal' ? h('span', { class: 'badge' }, t(`channel.${m.channel}`)) : null),
    m.call ? h('p', { class: 'call-line' }, t(m.call.direction === 'outgoing' ? 'tcall.line_out' : 'tcall.line', { caller: m.call.caller, minutes: m.call.duration_minutes })) : null,
    h('div', { class: 'body' }, m.body));
}

function describeSegment(s, zone) {
  const span = `${formatTime(s.from, zone)} → ${formatTime(s.to, zone)}`;
  if (s.counted) return t('sla.counted', { span, duration: formatMinutes(s.minutes) });
  const why = s.kind === 'holiday' ? t('sla.kind.holiday', { name: s.name || '' }) : t(`sla.kind.${s.kind}`);
  return t('sla.skipped', { span, why });
}

export function timelineView(x) {
  const items = [h('li', {}, t('sla.received', { at: formatTime(x.received, x.zone), channel: t(`channel.${x.channel}`) }))];
  if (x.waited_for_window) items.push(h('li', {}, t('sla.waited', { at: formatTime(x.clock_start, x.zone) })));
  else items.push(h('li', {}, t('sla.started', { at: formatTime(x.clock_start, x.zone) })));
  items.push(h('li', {}, t('sla.target', { criticality: t(`criticality.${x.criticality}`), target: formatMinutes(x.target_minutes), modality: t(`modality.${x.modality}`) })));
  for (const s of x.segments) items.push(h('li', { class: s.counted ? 'counted' : 'skipped' }, describeSegment(s, x.zone)));
  items.push(h('li', { class: 'due-line' }, h('strong', {}, t('sla.due', { at: formatTime(x.response_due, x.zone) }))));
  return h('ol', { class: 'timeline' }, items);
}

// One history event in the reader's words: field labels and values from the catalog, a
// contract by its modality and start (never its id: `contracts` is the organisation's list).
function historyText(e, zone, contracts = []) {
  const label = has(`field.${e.field}`) ? t(`field.${e.field}`) : t('history.other_field');
  const contract = (id) => {
    const c = contracts.find((x) => String(x.id) === String(id));
    return c ? t('new.contract_option', { modality: t(`modality.${c.modality}`), from: c.valid_from }) : t('history.other_contract');
  };
  const v = (x) => (x === null || x === '' ? '—' : e.field === 'contract' ? contract(x) : has(`value.${x}`) ? t(`value.${x}`)
    : /^\d{4}-\d\d-\d\dT/.test(String(x)) ? formatTime(x, zone) : String(x));
  if (e.field === 'created') return t('history.created');
  // The SLA watch: `after` is the response due the threshold measured against.
  if (e.field === 'sla_warning' || e.field === 'sla_breached') return t(`history.${e.field}`, { due: v(e.after) });
  const mail = mailHistoryText(e);
  if (mail) return mail;
  if (['page_sent', 'page_escalated', 'page_acknowledged'].includes(e.field)) {
    return t(`history.${e.field}`, { who: e.after, reason: t(`oncall.reason.${e.before}`) });
  }
  return t('history.changed', { field: label, before: v(e.before), after: v(e.after) });
}

// The resolution clock (issue 12, part 7): business time spent resolving, paused while the
// ticket waits on the customer; the due only when the contract sets a resolution target.
function resolutionLine(tk) {
  const r = tk.resolution;
  if (!r) return null;
  const parts = [t('resolution.elapsed', { span: formatSpan(r.elapsed_seconds * 1000) }), ' ',
    h('span', { class: `badge resolution-${r.state}` }, t(`resolution.${r.state}`))];
  if (r.due && r.state === 'running') parts.push(' ', t('resolution.due', { at: formatTime(r.due, tk.zone) }));
  if (r.target_seconds && r.breached) parts.push(' ', h('span', { class: 'due-label' }, t('resolution.breached')));
  return h('p', { class: 'resolution-box', 'data-state': r.state }, parts);
}

function countdown(tk) {
  if (tk.first_response_at) return t('ticket.answered_at', { at: formatTime(tk.first_response_at, tk.zone) });
  const ms = Date.parse(tk.response_due) - Date.now();
  return ms >= 0 ? t('due.in', { span: formatSpan(ms) }) : t('due.ago', { span: formatSpan(ms) });
}

export async function ticketPage(numberText) {
  const number = Number(numberText);
  if (!Number.isInteger(number) || number <= 0) throw Object.assign(new Error('bad'), { status: 404, code: 'not_found' });
  const staff = isStaff();
  const root = h('div', { class: 'ticket-page' });
  let tk;
  const reload = async () => {
    const [ticket, msgs, atts] = await Promise.all([
      api('GET', `/api/v1/tickets/${number}`),
      api('GET', `/api/v1/tickets/${number}/messages`),
      api('GET', `/api/v1/tickets/${number}/attachments`)]);
    tk = ticket;
    render(msgs.messages, atts.attachments);
  };

  const err = h('div', { 'aria-live': 'assertive' });
  const reply = h('textarea', { id: 'reply', rows: '5' });
  const internal = h('input', { type: 'checkbox', id: 'internal' });
  const drop = dropZone();
  const countdownEl = h('span', { class: 'countdown' });
  let timer = null;
  let sections = null;  // the staff side's tabs (tabsView), once drawn

  async function patch(body) {
    tk = await api('PATCH', `/api/v1/tickets/${number}`, body);
    await reload();
    toast(t('ticket.saved'));
  }

  function render(messages, attachments) {
    clear(root);
    document.title = `#${tk.number} ${tk.subject} · ${t('app.name')}`;
    const st = dueState(tk);
    const header = h('div', { class: 'ticket-head' },
      h('p', { class: 'crumbs' }, h('a', { href: staff ? '#/queue' : '#/tickets' }, t(staff ? 'nav.queue' : 'nav.my_tickets'))),
      h('h1', {}, `#${tk.number} · ${tk.subject}`),
      h('div', { class: 'badges' }, statusBadge(tk.status), criticalityBadge(tk.criticality),
        h('span', { class: 'badge' }, t(`type.${tk.type}`)),
        tk.environment ? h('span', { class: 'badge' }, t(`env.${tk.environment}`)) : null,
        h('span', { class: 'badge' }, t(`channel.${tk.channel}`))),
      h('p', { class: `due-box due-${st}` },
        h('strong', {}, t('ticket.response_due', { at: formatTime(tk.response_due, tk.zone) })), ' ',
        h('span', { class: 'zone' }, `(${tk.zone})`), ' ', countdownEl, ' ',
        st === 'answered' ? null : h('span', { class: 'due-label' }, t(`due.${st}`))),
      resolutionLine(tk));
    countdownEl.textContent = countdown(tk);

    const description = h('section', { class: 'card', 'aria-labelledby': 'desc-h' },
      h('h2', { id: 'desc-h' }, t('ticket.description')),
      h('p', { class: 'meta' }, t('ticket.opened_by', { name: tk.requester.name, org: tk.org_name, at: formatTime(tk.received_at, tk.zone) })),
      h('div', { class: 'body' }, tk.description || '—'));

    const conv = h('section', { class: 'card', 'aria-labelledby': 'conv-h' },
      h('h2', { id: 'conv-h' }, t('ticket.conversation')),
      messages.length ? h('ol', { class: 'messages' }, messages.map((m) => messageItem(m, tk.zone))) : h('p', { class: 'empty' }, t('ticket.no_messages')));

    const files = h('section', { class: 'card', 'aria-labelledby': 'att-h' },
      h('h2', { id: 'att-h' }, t('ticket.attachments')),
      attachments.length ? h('ul', { class: 'attachments' }, attachments.map((a) => attachmentItem(a, tk.zone))) : h('p', { class: 'empty' }, t('ticket.no_attachments')));

    const send = h('button', { type: 'submit', class: 'primary' }, t('ticket.send_reply'));
    const closed = tk.status === 'closed';
    internal.checked = false;
    const replyForm = h('form', { class: 'card reply', 'aria-labelledby': 'reply-h' },
      h('h2', { id: 'reply-h' }, t(staff ? 'ticket.reply_staff' : 'ticket.reply')),
      closed ? h('p', { class: 'notice' }, t('ticket.closed_no_reply')) : [
        field(t('ticket.message'), reply),
        staff ? h('div', { class: 'check' }, internal, h('label', { for: 'internal' }, t('ticket.internal_label'))) : null,
        drop.node, err, h('div', { class: 'actions' }, send)]);
    internal.onchange = () => { send.textContent = t(internal.checked ? 'ticket.save_note' : 'ticket.send_reply'); replyForm.classList.toggle('is-internal', internal.checked); };
    replyForm.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!reply.value.trim() && !drop.files().length) {
        err.replaceChildren(h('div', { class: 'error', role: 'alert' }, t('ticket.empty_reply')));
        return;
      }
      busy(send, err, async () => {
        if (reply.value.trim()) await api('POST', `/api/v1/tickets/${number}/messages`, { body: reply.value, internal: staff && internal.checked });
        reply.value = '';
        if (drop.files().length) { await drop.uploadTo(number); drop.clear(); }
        await reload();
        toast(t('ticket.sent'));
      });
    });

    const actions = h('div', { class: 'card actions-card' });
    if (!staff) {
      if (tk.status === 'resolved') {
        const closeBtn = h('button', { type: 'button', class: 'primary' }, t('ticket.close'));
        const reopenBtn = h('button', { type: 'button' }, t('ticket.reopen'));
        closeBtn.onclick = () => busy(closeBtn, err, () => patch({ status: 'closed' }));
        reopenBtn.onclick = () => busy(reopenBtn, err, () => patch({ status: 'open' }));
        actions.append(h('h2', {}, t('ticket.resolved_q')), h('div', { class: 'actions' }, closeBtn, reopenBtn));
      } else {
        actions.append(h('p', { class: 'hint' }, t('ticket.close_hint')));
      }
    }
    const mainCol = h('div', { class: 'main-col' }, description, conv, files, replyForm);
    const side = h('div', { class: 'side-col' });
    if (staff) side.append(staffPanel());
    if (tk.checklist && tk.checklist.length) side.append(checklistCard(tk));
    if (!staff) side.append(actions);
    root.append(header, h('div', { class: 'layout-side' }, mainCol, side));
  }

  // "Log a phone call" on this ticket: an article with channel phone (caller, minutes, notes).
  function callForm() {
    const cerr = h('div', { 'aria-live': 'assertive' });
    const caller = h('input', { id: 'tcall-caller', type: 'text', required: true, maxlength: '200', value: tk.requester.name });
    const minutes = h('input', { id: 'tcall-minutes', type: 'number', min: '0', max: '600', step: '1', value: '5', inputmode: 'numeric' });
    const notes = h('textarea', { id: 'tcall-notes', rows: '4', required: true });
    const callInternal = h('input', { id: 'tcall-internal', type: 'checkbox' });
    const direction = h('select', { id: 'tcall-direction' },
      ['incoming', 'outgoing'].map((d) => h('option', { value: d }, t(`call.direction.${d}`))));
    const submit = h('button', { type: 'submit', class: 'primary' }, t('tcall.save'));
    const closed = tk.status === 'closed';
    // Who is on call, beside "Registrar llamada" (the out-of-hours line).
    const onCall = h('p', { class: 'meta', id: 'tcall-oncall' });
    api('GET', '/api/v1/oncall/now').then((now) => {
      const names = now.rotas.filter((r) => r.primary).map((r) => r.primary.name + (r.secondary ? ` / ${r.secondary.name}` : ''));
      onCall.textContent = t('oncall.beside_call', { who: names.length ? names.join(', ') : t('oncall.nobody') });
    }).catch(() => {});
    let noIncoming = false;
    const form = h('form', { class: 'tab-section', 'aria-labelledby': 'tcall-h', novalidate: true },
      h('h2', { id: 'tcall-h' }, t('tcall.title')), onCall,
      closed ? h('p', { class: 'notice' }, t('ticket.closed_no_reply')) : [
        h('p', { class: 'hint' }, t('tcall.help')),
        field(t('call.direction'), direction),
        field(t('tcall.caller'), caller), field(t('tcall.minutes'), minutes), field(t('tcall.notes'), notes),
        h('div', { class: 'check' }, callInternal, h('label', { for: 'tcall-internal' }, t('tcall.internal'))),
        cerr, h('div', { class: 'actions' }, submit)]);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const mins = Number(minutes.value);
      if (!caller.value.trim() || !notes.value.trim()) {
        cerr.replaceChildren(h('div', { class: 'error', role: 'alert' }, t('tcall.fill')));
        return;
      }
      if (!Number.isInteger(mins) || mins < 0 || mins > 600) {
        cerr.replaceChildren(h('div', { class: 'error', role: 'alert' }, t('tcall.bad_minutes')));
        return;
      }
      busy(submit, null, async () => {
        cerr.replaceChildren();
        try {
          await api('POST', `/api/v1/tickets/${number}/calls`, { caller: caller.value.trim(), duration_minutes: mins, notes: notes.value, internal: callInternal.checked, direction: direction.value });
          notes.value = '';
          await reload();
          toast(t('tcall.saved'));
        } catch (e2) {
          if (e2.code === 'unprocessable') cerr.replaceChildren(h('div', { class: 'error', role: 'alert' }, t('tcall.no_phone_line')));
          else showError(cerr, e2);
        }
      });
    });
    // Called once the contract is known: an 8x5 contract has no phone line, so say so up front
    // (the server refuses the call anyway).
    // An outgoing call (we call the customer back) is not a new channel: allowed on any ticket.
    const sync = () => {
      submit.disabled = noIncoming && direction.value === 'incoming';
      cerr.replaceChildren(submit.disabled ? h('p', { class: 'notice', role: 'status' }, t('tcall.no_phone_line')) : '');
    };
    direction.addEventListener('change', sync);
    form.noPhoneLine = () => {
      noIncoming = true;
      form.classList.add('no-phone');
      sync();
    };
    return form;
  }

  function staffPanel() {
    const box = h('div', {});
    const perr = h('div', { 'aria-live': 'assertive' });
    const statusSel = h('select', { id: 'set-status' }, STATUSES.map((s) => h('option', { value: s, selected: s === tk.status }, t(`status.${s}`))));
    const critSel = h('select', { id: 'set-crit' }, CRITICALITIES.map((c) => h('option', { value: c, selected: c === tk.criticality }, t(`criticality.${c}`))));
    const assignSel = h('select', { id: 'set-assignee' }, h('option', { value: '' }, t('ticket.unassigned')));
    if (tk.assignee) assignSel.append(h('option', { value: String(tk.assignee.id), selected: true }, tk.assignee.name));
    api('GET', '/api/v1/users').then((r) => {
      for (const u of r.users.filter((x) => x.role !== 'customer' && x.active)) {
        if (tk.assignee && u.id === tk.assignee.id) continue;
        assignSel.append(h('option', { value: String(u.id) }, u.name));
      }
    }).catch(() => {});
    const save = h('button', { type: 'button', class: 'primary' }, t('common.save'));
    const mine = h('button', { type: 'button', id: 'assign-me' }, t('ticket.assign_me'));
    save.onclick = () => busy(save, perr, () => {
      const body = {};
      if (statusSel.value !== tk.status) body.status = statusSel.value;
      if (critSel.value !== tk.criticality) body.criticality = critSel.value;
      const cur = tk.assignee ? String(tk.assignee.id) : '';
      if (assignSel.value !== cur) body.assignee = assignSel.value ? Number(assignSel.value) : null;
      if (!Object.keys(body).length) return toast(t('ticket.nothing_changed'));
      return patch(body);
    });
    mine.onclick = () => busy(mine, perr, () => patch({ assignee: state.me.user.id }));
    const manageBox = h('section', { class: 'tab-section', 'aria-labelledby': 'manage-h' },
      h('h2', { id: 'manage-h' }, t('ticket.manage')),
      field(t('col.status'), statusSel), field(t('col.criticality'), critSel), field(t('col.assignee'), assignSel),
      perr, h('div', { class: 'actions' }, save, mine));

    const callCard = callForm();

    const slaBox = h('section', { class: 'tab-section', 'aria-labelledby': 'sla-h' }, h('h2', { id: 'sla-h' }, t('sla.title')), loading());
    api('GET', `/api/v1/tickets/${number}/sla`).then((x) => { slaBox.replaceChildren(h('h2', { id: 'sla-h' }, t('sla.title')), timelineView(x)); })
      .catch((e) => slaBox.append(errorBox(e)));
    const orgBox = h('section', { class: 'tab-section', 'aria-labelledby': 'org-h' }, h('h2', { id: 'org-h' }, t('ticket.org_panel')), loading());
    const contractsOf = api('GET', `/api/v1/orgs/${encodeURIComponent(tk.org)}/contracts`);
    Promise.all([api('GET', `/api/v1/orgs/${encodeURIComponent(tk.org)}`), contractsOf])
      .then(([org, cs]) => {
        const current = cs.contracts.find((c) => c.id === tk.contract);
        if (current && !current.channels.includes('phone') && callCard.noPhoneLine) callCard.noPhoneLine();
        orgBox.replaceChildren(h('h2', { id: 'org-h' }, t('ticket.org_panel')),
          h('p', {}, h('strong', {}, org.name), ` (${org.slug})`),
          h('p', {}, t('ticket.requester', { name: tk.requester.name }), ' ', h('a', { href: `mailto:${tk.requester.email}` }, tk.requester.email)),
          current ? h('dl', { class: 'contract' },
            h('dt', {}, t('contract.modality')), h('dd', {}, `${t(`modality.${current.modality}`)} — ${t(`modality.${current.modality}.hours`)}`),
            h('dt', {}, t('contract.zone')), h('dd', {}, current.zone),
            h('dt', {}, t('contract.valid')), h('dd', {}, `${current.valid_from} → ${current.valid_to || t('contract.open_ended')}`),
            h('dt', {}, t('contract.channels')), h('dd', {}, current.channels.map((c) => t(`channel.${c}`)).join(', ')),
            h('dt', {}, t('contract.targets')), h('dd', {}, CRITICALITIES.map((c) => `${t(`criticality.${c}`)} ${formatMinutes(current.targets_minutes[c])}`).join(' · ')))
            : null);
      }).catch((e) => orgBox.append(errorBox(e)));
    const histBox = h('section', { class: 'tab-section', 'aria-labelledby': 'hist-h' }, h('h2', { id: 'hist-h' }, t('ticket.history')), loading());
    Promise.all([api('GET', `/api/v1/tickets/${number}/history`), contractsOf.catch(() => ({ contracts: [] }))]).then(([r, cs]) => {
      histBox.replaceChildren(h('h2', { id: 'hist-h' }, t('ticket.history')),
        h('ol', { class: 'history' }, r.events.map((e) => h('li', {}, h('span', { class: 'meta' }, formatTime(e.at, tk.zone), ' · ', e.actor ? e.actor.name : t('history.system')), ' ', historyText(e, tk.zone, cs.contracts)))));
    }).catch((e) => histBox.append(errorBox(e)));
    // What an agent needs at a glance (the customer's environment, versions and remote access)
    // first; the rest one tab away, so that it all fits a laptop's first screen (issue 19).
    sections = tabsView('tk', t('ticket.sections'), [
      { key: 'manage', label: t('ticket.tab.manage'), panel: manageBox },
      { key: 'call', label: t('ticket.tab.call'), panel: callCard },
      { key: 'sla', label: t('ticket.tab.sla'), panel: slaBox },
      { key: 'org', label: t('ticket.tab.org'), panel: orgBox },
      { key: 'history', label: t('ticket.tab.history'), panel: histBox }]);
    box.append(profilePanel(tk), h('section', { class: 'card tabs-card', 'aria-label': t('ticket.sections') }, sections.node));
    return box;
  }

  await reload();
  timer = setInterval(() => { if (tk) countdownEl.textContent = countdown(tk); }, 30000);
  const stop = onTicketChange((ev) => {
    if (ev.resync || ev.number === number) {
      if (document.activeElement === reply && reply.value) { toast(t('ticket.changed_elsewhere')); return; }
      reload().catch(() => {});
    }
  });
  const onKey = (e) => {
    if (e.target.matches('input, textarea, select')) return;
    if (e.target.closest('dialog')) return;  // Esc in the image viewer closes it, not the ticket
    if (e.key === 'r') { e.preventDefault(); reply.focus(); }
    if (e.key === 'i' && staff) { e.preventDefault(); internal.checked = true; internal.onchange(); reply.focus(); }
    if (e.key === 'l' && staff) { const c = document.getElementById('tcall-notes'); if (c) { e.preventDefault(); if (sections) sections.select('call'); c.focus(); } }
    if (e.key === 'Escape' || e.key === 'u') { location.hash = staff ? '#/queue' : '#/tickets'; }
  };
  document.addEventListener('keydown', onKey);
  return { node: root, leave: () => { clearInterval(timer); stop(); document.removeEventListener('keydown', onKey); } };
}
