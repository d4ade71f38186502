// The outgoing mail queue's warning for staff (admin pages, the "Not delivered" tab): mail waits
// and this server has no SMTP server to send it, or mail was given up. Empty when all is well; a
// failure to read the state shows nothing (the page itself reports errors).
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';

export function outboxNotice() {
  const box = h('div', { class: 'outbox-notice', role: 'status' });
  api('GET', '/api/v1/outbox/state').then((s) => {
    const lines = [];
    if (!s.delivering && s.pending > 0) lines.push(h('p', {}, t('outbox.undeliverable', { n: s.pending })));
    if (s.failed > 0) {
      lines.push(h('p', {}, t('outbox.failed', { n: s.failed }), ' ',
        h('a', { href: '#/inbox/failed' }, t('outbox.see_failed'))));
    }
    if (lines.length) box.replaceChildren(h('div', { class: 'notice warn' }, lines));
  }, () => {});
  return box;
}
