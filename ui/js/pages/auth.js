// Log in, forgot password, set a new password (from the emailed link).
import { h, field } from '../dom.js';
import { t, currentLanguage } from '../i18n.js';
import { api } from '../api.js';
import { pageTitle, busy, showError } from '../ui.js';

// How a visitor without an account gets one (the support address of the contact settings, as
// the protocol says: "contactarnos al correo …") and the out-of-hours line for 24x7 customers,
// from GET /api/v1/settings/public; nothing when the settings cannot be read.
async function reachSupport() {
  let s = null;
  try { s = await api('GET', '/api/v1/settings/public'); } catch { return null; }
  const email = s && s.support_email;
  const phone = s && s.phone;
  return h('div', { class: 'reach', id: 'reach-support' },
    email ? h('p', {}, t('auth.no_account'), ' ', h('a', { href: `mailto:${email}` }, email), '.')
      : h('p', {}, t('auth.no_account_plain')),
    phone ? h('p', {}, t('auth.out_of_hours'), ' ', h('a', { href: `tel:${phone.replace(/[^+\d]/g, '')}` }, phone), '.') : null);
}

// The login form. `onLogin(login)` runs with the session the server answered (the router's
// afterLogin: load the user, redraw the header, go back where the user was).
export async function loginPage(params, onLogin) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const err = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('auth.login'));
  const form = h('form', { class: 'card narrow', novalidate: true },
    pageTitle(t('auth.login_title')),
    params.get('expired') ? h('p', { class: 'notice', role: 'status' }, t('auth.session_expired')) : null,
    params.get('reset') ? h('p', { class: 'notice', role: 'status' }, t('auth.reset_done')) : null,
    field(t('auth.email'), email), field(t('auth.password'), password), err,
    h('div', { class: 'actions' }, submit, h('a', { href: '#/forgot' }, t('auth.forgot_link'))),
    await reachSupport());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!email.value || !password.value) {
      err.replaceChildren(h('div', { class: 'error', role: 'alert' }, t('auth.fill_both')));
      return;
    }
    busy(submit, err, async () => {
      const login = await api('POST', '/api/v1/session', { email: email.value.trim(), password: password.value });
      await onLogin(login);
    });
  });
  return { node: form };
}

export async function forgotPage() {
  const email = h('input', { type: 'email', autocomplete: 'username', required: true });
  const err = h('div', { 'aria-live': 'assertive' });
  const done = h('p', { class: 'notice', role: 'status', hidden: true }, t('auth.reset_sent'));
  const submit = h('button', { type: 'submit', class: 'primary' }, t('auth.send_link'));
  const form = h('form', { class: 'card narrow', novalidate: true },
    pageTitle(t('auth.forgot_title')), h('p', {}, t('auth.forgot_help')),
    field(t('auth.email'), email), err, done,
    h('div', { class: 'actions' }, submit, h('a', { href: '#/login' }, t('auth.back_to_login'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    done.hidden = true;
    if (!email.value.trim()) {
      err.replaceChildren(h('div', { class: 'error', role: 'alert' }, t('auth.fill_email')));
      return;
    }
    busy(submit, null, async () => {
      err.replaceChildren();
      try {
        await api('POST', '/api/v1/password-reset', { email: email.value.trim(), lang: currentLanguage() });
        done.hidden = false;
      } catch (e2) {
        if (e2.code === 'rate_limited') err.replaceChildren(h('div', { class: 'error', role: 'alert' }, t('auth.reset_throttled')));
        else showError(err, e2);
      }
    });
  });
  return { node: form };
}

export async function resetPage(params) {
  const token = params.get('token') || '';
  const pw1 = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: '8' });
  const pw2 = h('input', { type: 'password', autocomplete: 'new-password', required: true });
  const err = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('auth.set_password'));
  const invalid = (key) => h('div', { class: 'error', role: 'alert' }, t(key), ' ',
    h('a', { href: '#/forgot' }, t('auth.request_new_link')));
  const form = h('form', { class: 'card narrow', novalidate: true },
    pageTitle(t('auth.reset_title')),
    field(t('auth.new_password'), pw1, t('auth.password_rule')), field(t('auth.repeat_password'), pw2), err,
    h('div', { class: 'actions' }, submit, h('a', { href: '#/login' }, t('auth.back_to_login'))));
  if (!token) err.replaceChildren(invalid('auth.reset_no_token'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!token) { err.replaceChildren(invalid('auth.reset_no_token')); return; }
    if (pw1.value.length < 8) {
      err.replaceChildren(h('div', { class: 'error', role: 'alert' }, t('auth.password_rule')));
      return;
    }
    if (pw1.value !== pw2.value) {
      err.replaceChildren(h('div', { class: 'error', role: 'alert' }, t('auth.passwords_differ')));
      return;
    }
    busy(submit, null, async () => {
      err.replaceChildren();
      try {
        await api('POST', '/api/v1/password-reset/confirm', { token, password: pw1.value });
        location.hash = '#/login?reset=1';
      } catch (e2) {
        if (e2.code === 'failed_precondition') err.replaceChildren(invalid('auth.reset_link_invalid'));
        else showError(err, e2);
      }
    });
  });
  return { node: form };
}
