// How email events read in a ticket's history (mail failed, retried, assigned or attached from
// the inbox). Shared by the ticket page; the inbox page owns the events' other views.
import { t } from '../i18n.js';

// The history line of an email event on a ticket, or null for other events.
export function mailHistoryText(e) {
  if (e.field === 'mail_failed') return t('inbox.history_mail_failed', { to: e.before, reason: e.after });
  if (e.field === 'mail_retry') return t('inbox.history_mail_retry', { to: e.after });
  if (e.field === 'mail_assigned') return t('inbox.history_mail_assigned', { from: e.after });
  if (e.field === 'mail_attached') return t('inbox.history_mail_attached', { from: e.after });
  return null;
}
