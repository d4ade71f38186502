// "Mis alertas": a staff user's own alert settings (issue 12, part 2), over
// GET/PUT /api/v1/me/alert-preferences: which alert (SLA warning, SLA breach, new Crítico ticket)
// on which channel (mail, browser), and quiet hours, a daily window in their zone during which
// alert mail waits until the window ends. Also where the browser's permission is asked.
import { h, field } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { pageTitle, busy, toast } from '../ui.js';
import { askPermission, notificationsSupported } from '../widgets/alerts.js';

const KINDS = ['sla_warning', 'sla_breach', 'new_critical'];
const CHANNELS = ['mail', 'browser'];

export async function alertsPage() {
  const prefs = await api('GET', '/api/v1/me/alert-preferences');
  const boxes = {};
  const rows = KINDS.map((k) => h('tr', { 'data-kind': k },
    h('th', { scope: 'row' }, t(`alerts.kind.${k}`)),
    CHANNELS.map((c) => {
      const box = h('input', { type: 'checkbox', name: `${k}.${c}`, checked: prefs[k][c],
        'aria-label': `${t(`alerts.kind.${k}`)} · ${t(`alerts.channel.${c}`)}` });
      boxes[`${k}.${c}`] = box;
      return h('td', { 'data-label': t(`alerts.channel.${c}`) }, box);
    })));
  const q = prefs.quiet_hours;
  const quietOn = h('input', { type: 'checkbox', id: 'quiet-on', checked: !!q });
  const start = h('input', { type: 'time', id: 'quiet-start', value: q ? q.start : '22:00' });
  const end = h('input', { type: 'time', id: 'quiet-end', value: q ? q.end : '07:00' });
  const zone = h('input', { type: 'text', id: 'quiet-zone', value: q ? q.zone
    : (Intl.DateTimeFormat().resolvedOptions().timeZone || 'America/Bogota'), autocomplete: 'off' });
  const errBox = h('div', {});  // showError puts the announced box inside
  const save = h('button', { type: 'submit' }, t('alerts.save'));
  const form = h('form', { class: 'card wide', id: 'alert-preferences' },
    h('table', { class: 'tickets alert-prefs' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('alerts.col.alert')),
        CHANNELS.map((c) => h('th', { scope: 'col' }, t(`alerts.channel.${c}`))))),
      h('tbody', {}, rows)),
    h('fieldset', {}, h('legend', {}, t('alerts.quiet')),
      h('p', { class: 'hint' }, t('alerts.quiet_hint')),
      h('div', { class: 'choice' }, quietOn, h('label', { for: 'quiet-on' }, t('alerts.quiet_on'))),
      field(t('alerts.quiet_start'), start), field(t('alerts.quiet_end'), end),
      field(t('alerts.quiet_zone'), zone, t('alerts.quiet_zone_hint'))),
    errBox, save);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = {};
    for (const k of KINDS) body[k] = { mail: boxes[`${k}.mail`].checked, browser: boxes[`${k}.browser`].checked };
    body.quiet_hours = quietOn.checked ? { start: start.value, end: end.value, zone: zone.value.trim() } : null;
    busy(save, errBox, async () => {
      await api('PUT', '/api/v1/me/alert-preferences', body);
      toast(t('alerts.saved'));
    });
  });
  const permButton = h('button', { type: 'button', class: 'secondary', id: 'ask-permission' }, t('alerts.enable'));
  permButton.addEventListener('click', async () => {
    const p = await askPermission();
    toast(t(`alerts.permission.${p}`));
  });
  return { node: h('div', {}, pageTitle(t('alerts.title')), h('p', { class: 'lead' }, t('alerts.lead')),
    form, h('section', { class: 'card' }, h('h2', {}, t('alerts.browser')),
      h('p', {}, notificationsSupported() ? t('alerts.browser_hint') : t('alerts.unsupported')),
      notificationsSupported() ? permButton : null)) };
}
