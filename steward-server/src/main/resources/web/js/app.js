// Entry point: sign-in, the role-aware navigation and a hash router (#/runs/ID), so that every page is a plain
// link the server never has to know about.
import { api, session, can } from './api.js';
import { h, clear, toast } from './lib/dom.js';
import { dashboard } from './views/dashboard.js';
import { scriptList, scriptPage } from './views/scripts.js';
import { invokePage } from './views/invoke.js';
import { runList, runPage } from './views/run.js';
import { nodesPage } from './views/nodes.js';
import { coordinationPage } from './views/coordination.js';

const main = document.getElementById('main');
// Each page may return a function that stops its timers and streams when the user navigates away.
let leave = null;
// Counts navigations: a page that finishes loading after the user has moved on is stopped at once, or its stream
// would stay open unseen (and a browser allows only six connections per server).
let navigation = 0;

// Each page draws into a view of its own, put in main when the navigation starts: a page still loading when the
// user moves on (a slow run page, say) then draws into its detached view, never over the page that replaced it.
const routes = [
  [/^\/?$/, view => dashboard(view)],
  [/^\/scripts$/, view => scriptList(view)],
  [/^\/scripts\/(.+)$/, (view, name) => scriptPage(view, decodeURIComponent(name))],
  [/^\/invoke(?:\/(.+))?$/, (view, name) => invokePage(view, name ? decodeURIComponent(name) : '')],
  [/^\/runs$/, view => runList(view)],
  [/^\/runs\/([^/]+)$/, (view, id) => runPage(view, id)],
  [/^\/nodes$/, view => nodesPage(view)],
  [/^\/coordination$/, view => coordinationPage(view)],
];

async function route() {
  const mine = ++navigation;
  leave?.();
  leave = null;
  if (!session.token || !session.whoami) {
    signIn();
    return;
  }
  const path = location.hash.replace(/^#/, '') || '/';
  for (const link of document.querySelectorAll('nav a')) {
    link.toggleAttribute('aria-current', link.getAttribute('href') === `#${path}`);
  }
  for (const [pattern, page] of routes) {
    const match = path.match(pattern);
    if (match) {
      const view = h('div', { class: 'view' });
      main.replaceChildren(view);
      try {
        const stop = await page(view, ...match.slice(1)) ?? null;
        if (mine !== navigation) {
          stop?.();
          return;
        }
        leave = stop;
      } catch (e) {
        if (mine !== navigation) return;
        clear(view, h('h1', {}, 'Something went wrong'), h('p', { class: 'error', role: 'alert' }, e.message));
      }
      main.focus({ preventScroll: true });
      return;
    }
  }
  clear(main, h('h1', {}, 'Not found'), h('p', {}, `No page ${path}. `, h('a', { href: '#/' }, 'Go to the dashboard')));
}

function signIn(message) {
  document.getElementById('top').hidden = true;
  const input = h('input', { id: 'token', type: 'password', name: 'token', autocomplete: 'off', required: true });
  const error = h('p', { class: 'error', role: 'alert', id: 'sign-in-error' }, message ?? '');
  const form = h('form', { class: 'card sign-in', onsubmit: async event => {
    event.preventDefault();
    try {
      session.whoami = await api('/whoami', { token: input.value.trim() });
      session.token = input.value.trim();
      showUser();
      route();
    } catch (e) {
      error.textContent = e.status === 401 ? 'That token is unknown or revoked.' : e.message;
    }
  } },
  h('h1', {}, 'Sign in to Steward'),
  h('label', { for: 'token' }, 'Access token'),
  input,
  h('p', { class: 'hint' }, 'Kept in this tab only; closing the tab signs you out.'),
  h('button', { type: 'submit', id: 'sign-in' }, 'Sign in'),
  error);
  clear(main, form);
  input.focus();
}

function showUser() {
  document.getElementById('top').hidden = false;
  document.getElementById('who').textContent = `${session.whoami.name} (${session.whoami.role})`;
  document.body.dataset.role = session.whoami.role;
  // Links for things this role may not do are removed, not just disabled.
  for (const el of document.querySelectorAll('[data-role]')) el.hidden = !can(el.dataset.role);
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.token = null;
  session.whoami = null;
  leave?.();
  leave = null;
  location.hash = '#/';
  signIn();
});

window.addEventListener('hashchange', route);
window.addEventListener('unhandledrejection', event => toast(event.reason?.message ?? String(event.reason)));

(async () => {
  if (session.token) {
    try {
      session.whoami = await api('/whoami');
      showUser();
    } catch {
      session.token = null;
    }
  }
  route();
})();
