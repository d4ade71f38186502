// The intake checklist as the UI shows and feeds it (support protocol): the ticket's card of
// recommended items present or missing, and the new-ticket form's texts the checklist reads.
import { h } from '../dom.js';
import { t, tn } from '../i18n.js';

// The ticket's intake checklist: which of the protocol's recommended items it carries.
export function checklistCard(tk) {
  const missing = tk.checklist.filter((c) => !c.present).length;
  return h('section', { class: 'card checklist', 'aria-labelledby': 'checklist-h' },
    h('h2', { id: 'checklist-h' }, t('checklist.title')),
    h('p', { class: 'meta' }, missing ? tn('checklist.missing_count', missing) : t('checklist.complete')),
    h('ul', { class: 'checklist-items' }, tk.checklist.map((c) => h('li', { class: c.present ? 'present' : 'missing', 'data-item': c.item },
      h('span', { 'aria-hidden': 'true' }, c.present ? '✔ ' : '✖ '), t(`checklist.item.${c.item}`),
      h('span', { class: 'sr-only' }, ` (${t(c.present ? 'checklist.present' : 'checklist.missing')})`)))),
    tk.intake && tk.intake.versions ? h('p', {}, h('strong', {}, `${t('checklist.item.versions')}: `), tk.intake.versions) : null);
}

// Items of the new-ticket form that the checklist reads: the texts the customer wrote, by item.
export function intakeOf({ steps, logs, modifications, versions }) {
  const out = {};
  for (const [k, v] of Object.entries({ steps, logs, modifications, versions })) if (v && v.trim()) out[k] = v.trim();
  return out;
}
