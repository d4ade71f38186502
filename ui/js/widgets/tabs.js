// Tabs (WAI-ARIA tabs pattern): a row of buttons (role=tab) over panels (role=tabpanel); the
// arrow keys, Home and End move between tabs, Tab moves into the panel. Used where a page has
// more than fits one screen (the agent's ticket page, issue 19).
import { h } from '../dom.js';

// tabsView(prefix, label, items) with items = [{ key, label, panel }] (panel: a Node). Returns
// { node, select(key) }; the first tab starts selected. Ids are `${prefix}-tab-${key}` and
// `${prefix}-panel-${key}`.
export function tabsView(prefix, label, items) {
  const tabs = [];
  const panels = [];
  const select = (key, focus = false) => {
    items.forEach((it, i) => {
      const on = it.key === key;
      tabs[i].setAttribute('aria-selected', String(on));
      tabs[i].tabIndex = on ? 0 : -1;
      panels[i].hidden = !on;
      if (on && focus) tabs[i].focus();
    });
  };
  const onKey = (e, i) => {
    const n = items.length;
    const to = { ArrowRight: (i + 1) % n, ArrowLeft: (i - 1 + n) % n, Home: 0, End: n - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    select(items[to].key, true);
  };
  items.forEach((it, i) => {
    tabs.push(h('button', { type: 'button', role: 'tab', id: `${prefix}-tab-${it.key}`, 'aria-controls': `${prefix}-panel-${it.key}`,
      onclick: () => select(it.key), onkeydown: (e) => onKey(e, i) }, it.label));
    panels.push(h('div', { role: 'tabpanel', id: `${prefix}-panel-${it.key}`, 'aria-labelledby': `${prefix}-tab-${it.key}`, tabindex: '0', class: 'tab-panel' }, it.panel));
  });
  const node = h('div', { class: 'tabs-box' }, h('div', { role: 'tablist', 'aria-label': label, class: 'tablist' }, tabs), panels);
  select(items[0].key);
  return { node, select };
}
