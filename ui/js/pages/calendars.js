// Calendars and closure days (supervisors and admins): the business hours an 8x5 contract's
// response times are counted on — opening intervals per weekday, Colombian public holidays or not,
// extra closure days with a reason — and the contract → calendar assignment shown on an
// organisation's page. Agents may read calendars through the API; this page is for managers.
import { h, field, newId } from '../dom.js';
import { t, tn } from '../i18n.js';
import { api } from '../api.js';
import { pageTitle, busy, toast } from '../ui.js';
import { adminTabs } from '../widgets/admin.js';

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

// One interval row: from/to time inputs and a remove button, all labelled.
function intervalRow(day, iv, onRemove) {
  const from = h('input', { type: 'time', value: iv.from, required: true, step: '60', 'aria-label': t('calendar.from_of', { day: t(`calendar.day.${day}`) }) });
  const to = h('input', { type: 'time', value: iv.to === '24:00' ? '23:59' : iv.to, required: true, step: '60', 'aria-label': t('calendar.to_of', { day: t(`calendar.day.${day}`) }) });
  if (iv.to === '24:00') to.dataset.midnight = '1';
  to.addEventListener('input', () => { delete to.dataset.midnight; });
  const row = h('div', { class: 'interval' }, from, h('span', { 'aria-hidden': 'true' }, '–'), to,
    h('button', { type: 'button', class: 'link', onclick: () => { row.remove(); onRemove(); } }, t('calendar.remove_interval')));
  row.read = () => ({ from: from.value, to: to.dataset.midnight ? '24:00' : to.value });
  return row;
}

// The weekly hours editor: a fieldset per weekday with its intervals and an "add" button.
function hoursEditor(hours) {
  const days = DAYS.map((day) => {
    const list = h('div', { class: 'intervals' });
    const empty = h('p', { class: 'hint' }, t('calendar.closed_day'));
    const sync = () => { empty.hidden = list.children.length > 0; };
    const add = (iv) => { list.append(intervalRow(day, iv, sync)); sync(); };
    (hours[day] || []).forEach(add);
    sync();
    const set = h('fieldset', { class: 'day' }, h('legend', {}, t(`calendar.day.${day}`)), list, empty,
      h('button', { type: 'button', onclick: () => { add({ from: '08:00', to: '18:00' }); list.lastChild.querySelector('input').focus(); } }, t('calendar.add_interval')));
    return { day, set, list };
  });
  const node = h('div', { class: 'week' }, days.map((d) => d.set));
  node.read = () => Object.fromEntries(days.map((d) => [d.day, [...d.list.children].map((r) => r.read())]));
  return node;
}

const DEFAULT_HOURS = Object.fromEntries(DAYS.map((d, i) => [d, i < 5 ? [{ from: '08:00', to: '18:00' }] : []]));

// Create (cal == null) or edit a calendar's name, zone, hours and holiday choice.
function calendarForm(cal, onSaved) {
  const name = h('input', { type: 'text', required: true, maxlength: '100', value: cal ? cal.name : '' });
  const zone = h('input', { type: 'text', required: true, value: cal ? cal.zone : 'America/Bogota' });
  const hid = newId('hol');
  const holidays = h('input', { type: 'checkbox', id: hid, checked: cal ? cal.colombian_holidays : true });
  const hours = hoursEditor(cal ? cal.hours : DEFAULT_HOURS);
  const err = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, cal ? t('common.save') : t('calendar.create'));
  const form = h('form', { class: 'card wide calendar-form' }, h('h2', {}, cal ? t('calendar.edit') : t('calendar.new')),
    field(t('calendar.name'), name), field(t('calendar.zone'), zone, t('calendar.zone_hint')),
    h('div', { class: 'choice' }, holidays, h('label', { for: hid }, t('calendar.colombian_holidays'))),
    h('h3', {}, t('calendar.hours')), h('p', { class: 'hint' }, t('calendar.hours_hint')), hours, err,
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, err, async () => {
      const body = { name: name.value.trim(), zone: zone.value.trim(), colombian_holidays: holidays.checked, hours: hours.read() };
      if (cal) body.version = cal.version;
      const saved = await api(cal ? 'PUT' : 'POST', cal ? `/api/v1/calendars/${cal.id}` : '/api/v1/calendars', body);
      toast(t('calendar.saved'));
      onSaved(saved);
    });
  });
  return form;
}

// Closure days: the list (each with its reason and a remove button) and the form to add one.
function closuresCard(cal, onChange) {
  const date = h('input', { type: 'date', required: true });
  const reason = h('input', { type: 'text', required: true, maxlength: '200' });
  const err = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('calendar.add_closure'));
  const form = h('form', { class: 'closure-form' }, field(t('calendar.closure_date'), date),
    field(t('calendar.closure_reason'), reason, t('calendar.closure_reason_hint')), err, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, err, async () => {
      const saved = await api('POST', `/api/v1/calendars/${cal.id}/closures`, { date: date.value, reason: reason.value.trim() });
      toast(t('calendar.closure_added', { date: date.value }));
      onChange(saved);
    });
  });
  const list = cal.closures.length
    ? h('ul', { class: 'plain closures' }, cal.closures.map((c) => {
      const remove = h('button', { type: 'button', class: 'link', 'aria-label': t('calendar.remove_closure_of', { date: c.date }) }, t('calendar.remove_closure'));
      remove.addEventListener('click', () => busy(remove, err, async () => {
        const saved = await api('DELETE', `/api/v1/calendars/${cal.id}/closures/${c.date}`);
        toast(t('calendar.closure_removed', { date: c.date }));
        onChange(saved);
      }));
      return h('li', {}, h('strong', {}, c.date), ` — ${c.reason} `, remove);
    }))
    : h('p', { class: 'empty' }, t('calendar.no_closures'));
  return h('section', { class: 'card' }, h('h2', {}, t('calendar.closures')), list, form);
}

async function calendarPage(id, tabs) {
  const root = h('div', {});
  const show = (cal) => {
    root.replaceChildren(pageTitle(cal.name), tabs,
      h('p', { class: 'crumbs' }, h('a', { href: '#/admin/calendars' }, t('calendar.title'))),
      h('p', { class: 'hint' }, t('calendar.effect_note')),
      h('div', { class: 'layout-side' },
        h('div', { class: 'main-col' }, calendarForm(cal, show)),
        h('div', { class: 'side-col' }, closuresCard(cal, show))));
  };
  show(await api('GET', `/api/v1/calendars/${encodeURIComponent(id)}`));
  return root;
}

function summary(cal) {
  const open = DAYS.filter((d) => (cal.hours[d] || []).length).map((d) => t(`calendar.short.${d}`)).join(', ');
  return `${cal.zone} · ${open || '—'} · ${tn('calendar.closures_count', cal.closures.length)}`;
}

async function listPage(tabs) {
  const r = await api('GET', '/api/v1/calendars');
  return h('div', {}, pageTitle(t('calendar.title')), tabs, h('p', { class: 'lead' }, t('calendar.lead')),
    h('div', { class: 'layout-side' },
      h('section', { class: 'main-col card' }, h('h2', {}, t('calendar.list')),
        r.calendars.length
          ? h('ul', { class: 'plain' }, r.calendars.map((c) => h('li', {}, h('a', { href: `#/admin/calendars/${c.id}` }, c.name), h('span', { class: 'hint' }, ` — ${summary(c)}`))))
          : h('p', { class: 'empty' }, t('calendar.none'))),
      h('div', { class: 'side-col' }, calendarForm(null, (saved) => { location.hash = `#/admin/calendars/${saved.id}`; }))));
}

// #/admin/calendars and #/admin/calendars/{id}, under the admin section navigation.
export async function calendarsPage(parts) {
  const tabs = adminTabs('calendars');
  return { node: parts[0] ? await calendarPage(parts[0], tabs) : await listPage(tabs) };
}

