// The console's shell: who the user is (GET /api/v1/me), the login form when the node asks for a
// token, the header, the connection banner, and the pages by URL hash (#/overview, #/alarms,
// #/tags, #/query). Each page module exports mount(container, ctx) and returns a function that
// unmounts it (closing its subscriptions and timers).

import {api, session, ApiError} from './api.js';
import {h, fill} from './dom.js';
import {stream} from './stream.js';

const PAGES = {
  overview: () => import('./overview.js'),
  alarms: () => import('./alarms.js'),
  tags: () => import('./tags.js'),
  query: () => import('./query.js'),
};

const ctx = {
  me: null,
  /** Whether the user's role has a permission (every one on an open node). */
  may(permission) {
    return !!this.me && (this.me.permissions || []).includes(permission);
  },
};

/** What a token (an API token, or a JWT) can be: visible ASCII, which an HTTP header carries. */
const TOKEN_TEXT = /^[\x21-\x7e]+$/;

let unmount = null;
let whoAmIRetries = 0;
let shown = null;

async function boot() {
  window.addEventListener('nexus:unauthenticated', () => {
    if (ctx.me) {
      session.logout();
      showLogin('Your token is no longer accepted (revoked, expired, or its role changed). Log in again.');
    }
  });
  stream.onState((state, detail) => banner(state, detail));
  window.addEventListener('hashchange', route);
  await whoAmI();
}

async function whoAmI(message) {
  try {
    ctx.me = await api('GET', '/api/v1/me');
  } catch (e) {
    ctx.me = null;
    if (e instanceof ApiError && (e.status === 401 || e.status === 429 || e.code === 'INVALID_TOKEN')) {
      // a token the node refuses, or one it will not even look at now: forget it and ask again, in its words
      const refused = session.token() !== null;
      session.logout();
      showLogin(e.status === 401 ? message || (refused ? 'That token is not accepted.' : '') : e.toString());
      return;
    }
    // The node is down, restarting or overloaded: say so and ask again, never leave a blank page.
    const wait = Math.min(30, 2 ** whoAmIRetries++);
    fill(document.getElementById('page'), h('p', {class: 'error', id: 'boot-error'},
      'The node cannot tell who you are: ' + e + '. Trying again in ' + wait + ' s.'));
    setTimeout(() => whoAmI(message), wait * 1000);
    return;
  }
  whoAmIRetries = 0;
  showUser();
  stream.start();
  route();
}

function showLogin(message) {
  stream.stop();
  ctx.me = null;
  if (unmount) { unmount(); unmount = null; shown = null; }
  fill(document.getElementById('who'));
  document.body.classList.add('anonymous');
  const input = h('input', {type: 'password', id: 'token', name: 'token', autocomplete: 'off', required: true,
    placeholder: 'nexus_…', 'aria-label': 'API token'});
  const error = h('p', {class: 'error', id: 'login-error', role: 'alert'}, message || '');
  const form = h('form', {id: 'login', class: 'login', onsubmit: async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!TOKEN_TEXT.test(token)) {
      fill(error, 'A token is letters, digits and - _ . only (no spaces, no … or other symbols): paste it again.');
      return;
    }
    session.login(token);
    input.value = '';
    await whoAmI('That token is not accepted.');
  }},
  h('h1', {}, 'Log in'),
  h('p', {class: 'muted'}, 'Paste an API token (nexus:token create <name> <role> at the node console). It is kept for this tab only.'),
  h('label', {for: 'token'}, 'API token'), input,
  h('button', {type: 'submit'}, 'Log in'), error);
  fill(document.getElementById('page'), form);
  input.focus();
}

function showUser() {
  document.body.classList.remove('anonymous');
  const me = ctx.me;
  const logout = me.open ? null : h('button', {type: 'button', id: 'logout', class: 'link', onclick: () => {
    session.logout();
    showLogin('Logged out.');
  }}, 'Log out');
  fill(document.getElementById('who'),
    h('span', {id: 'user'}, me.user), ' ', h('span', {id: 'roles', class: 'muted'}, '(' + (me.roles || []).join(', ') + ')'),
    me.open ? h('span', {class: 'muted'}, ' · open node, no access control') : null, ' ', logout);
}

async function route() {
  if (!ctx.me) return;
  const name = (location.hash.match(/^#\/(\w+)/) || [])[1];
  const known = name !== undefined && Object.hasOwn(PAGES, name);
  const page = known ? name : 'overview';
  if (!known) {
    history.replaceState(null, '', '#/overview');
  }
  if (page === shown && unmount) return;
  if (unmount) { unmount(); unmount = null; }
  shown = page;
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('current', a.dataset.page === page);
  const container = document.getElementById('page');
  fill(container, h('p', {class: 'muted'}, 'Loading…'));
  try {
    const module = await PAGES[page]();
    if (shown !== page) return;
    fill(container);
    unmount = module.mount(container, ctx) || null;
  } catch (e) {
    fill(container, h('p', {class: 'error'}, 'This page could not be shown: ' + e));
  }
}

function banner(state, detail) {
  const el = document.getElementById('banner');
  if (state === 'up' || !ctx.me) {
    el.hidden = true;
    return;
  }
  el.hidden = false;
  fill(el, state === 'connecting' ? 'Connecting to the live stream…'
    : 'Live updates are interrupted' + (detail ? ' — ' + detail : '') + '. Values shown are stale; reconnecting.');
}

boot();
