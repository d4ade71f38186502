// A ticket's side panel for staff with the customer's profile (environments, hosts, component
// versions, remote access). The profile page itself is pages/profile.js.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { loading, errorBox } from '../ui.js';

// The ticket's side panel for staff: the ticket's environment (or every one) with its hosts and
// component versions, and a link to the whole profile.
export function profilePanel(tk) {
  const box = h('section', { class: 'card profile-panel', 'aria-labelledby': 'profile-h' }, h('h2', { id: 'profile-h' }, t('profile.panel')), loading());
  api('GET', `/api/v1/orgs/${encodeURIComponent(tk.org)}/profile`).then((p) => {
    const envs = tk.environment ? p.environments.filter((e) => e.kind === tk.environment) : p.environments;
    const items = envs.map((e) => h('div', { class: 'panel-env' },
      h('h3', {}, `${t(`env.${e.kind}`)} · ${e.name}`),
      e.hosts.length ? h('p', {}, h('strong', {}, `${t('profile.section.hosts')}: `), e.hosts.map((x) => (x.port ? `${x.address}:${x.port}` : x.address)).join(', ')) : null,
      e.components.length ? h('ul', { class: 'components' }, e.components.map((c) => h('li', {}, h('strong', {}, c.name), ` ${c.version}`,
        c.patches.length ? h('span', { class: 'meta' }, ` · ${t('profile.patches_count', { n: c.patches.length })}: ${c.patches.map((x) => x.name).join(', ')}`) : null)))
        : h('p', { class: 'empty' }, t('profile.no_components'))));
    // Remote access to the ticket's environment(s), or to none in particular (issue 19): how to
    // get in, without its secrets (those are revealed on the profile page, with a reason).
    const envIds = new Set(envs.map((e) => e.id));
    const remote = p.remote_access.filter((r) => r.environment === null || r.environment === undefined || envIds.has(r.environment));
    const remoteBox = h('div', { class: 'panel-remote' }, h('h3', {}, t('profile.section.remote_access')),
      remote.length ? h('ul', { class: 'components' }, remote.map((r) => h('li', {}, h('strong', {}, t(`profile.method.${r.method}`)),
        r.address ? ` ${r.address}` : null, r.user ? h('span', { class: 'meta' }, ` · ${t('profile.field.user')}: ${r.user}`) : null)))
        : h('p', { class: 'empty' }, t('profile.no_remote_access')));
    box.replaceChildren(h('h2', { id: 'profile-h' }, t('profile.panel')),
      ...(items.length ? items : [h('p', { class: 'empty' }, t(tk.environment ? 'profile.no_env_of_kind' : 'profile.no_environments'))]),
      remoteBox,
      h('p', {}, h('a', { href: `#/profile/${encodeURIComponent(tk.org)}` }, t('profile.open_full'))));
  }).catch((e) => box.append(errorBox(e)));
  return box;
}
