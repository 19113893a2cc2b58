// The single-page app: a tiny router over the History API (every view is a URL, so links can be
// shared), the logged-in user, and the error banner. Pages are modules with a `render(root, ctx)`
// that returns a cleanup function (stop polling, abort requests) called when the route changes.

import { api, ApiError, setUnauthorizedHandler } from './api.js';
import { esc } from './format.js';

const ROUTES = [
  { re: /^\/$/, nav: 'overview', load: () => import('./overview.js') },
  { re: /^\/search$/, nav: 'search', load: () => import('./search.js') },
  { re: /^\/calls\/(.+)$/, nav: 'search', load: () => import('./call.js') },
  { re: /^\/import$/, nav: 'import', load: () => import('./import.js') },
  { re: /^\/login$/, nav: 'login', load: () => import('./login.js') },
];

let cleanup = () => {};
let user = null;
let renderSeq = 0;

/** Shows `message` in the red banner at the top (or hides it when empty). */
export function banner(message) {
  const b = document.getElementById('banner');
  b.textContent = message || '';
  b.hidden = !message;
}

/** An error as the banner text: what failed and why, saying so when it timed out. */
export function showError(what, e) {
  if (e instanceof ApiError && e.status === 401) return; // the login form is shown instead
  const why = e instanceof ApiError
    ? (e.timedOut ? 'timed out: ' : e.status ? `failed (HTTP ${e.status}): ` : 'failed: ') + e.message
    : 'failed: ' + (e && e.message || e);
  banner(`${what} ${why}`);
}

/** Goes to `url` (path + query) without reloading; `replace` keeps history short for filter edits. */
export function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  route();
}

/** The logged-in user (name, role) or null. */
export function currentUser() { return user; }

function showUser() {
  const who = document.getElementById('who');
  who.hidden = !user;
  document.getElementById('logout').hidden = !user || Boolean(user.open);
  if (user) {
    document.getElementById('who-name').textContent = user.user || '';
    document.getElementById('who-role').textContent = user.role || '';
  }
}

/** Asks who is logged in; 401 → login form. A collector without the auth endpoint runs open. */
async function whoAmI() {
  try {
    user = await api('/api/v1/auth/me', { quiet401: true });
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      user = { user: 'local', role: 'admin', open: true }; // no authentication configured
    } else if (e instanceof ApiError && e.status === 401) {
      user = null;
    } else {
      throw e;
    }
  }
  showUser();
}

function loginUrl() {
  const back = location.pathname === '/login' ? '' : location.pathname + location.search;
  return '/login' + (back ? '?next=' + encodeURIComponent(back) : '');
}

async function route() {
  const seq = ++renderSeq;
  cleanup();
  cleanup = () => {};
  banner('');
  const path = location.pathname;
  const r = ROUTES.find(x => x.re.test(path));
  document.querySelectorAll('[data-nav]').forEach(a => a.classList.toggle('active', r && a.dataset.nav === r.nav));
  const root = document.getElementById('app');
  if (!r) {
    root.innerHTML = `<h1>Not found</h1><p>No page at ${esc(path)}. <a href="/" data-link>Overview</a></p>`;
    return;
  }
  if (r.nav !== 'login' && !user) {
    history.replaceState(null, '', loginUrl());
    return route();
  }
  const page = await r.load();
  if (seq !== renderSeq) return;
  root.innerHTML = '';
  const m = r.re.exec(path);
  const done = page.render(root, {
    params: new URLSearchParams(location.search),
    match: m,
    onLogin: async () => { await whoAmI(); },
  });
  cleanup = typeof done === 'function' ? done : () => {};
}

setUnauthorizedHandler(() => {
  if (location.pathname === '/login') return;
  user = null;
  showUser();
  history.pushState(null, '', loginUrl());
  route();
});

document.addEventListener('click', e => {
  const a = e.target.closest('a[data-link]');
  if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || a.target) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', route);

document.getElementById('logout').addEventListener('click', async () => {
  try {
    await api('/api/v1/auth/logout', { method: 'POST', quiet401: true });
  } catch (e) {
    if (!(e instanceof ApiError && (e.status === 401 || e.status === 404))) { showError('Logging out', e); return; }
  }
  user = null;
  showUser();
  navigate('/login');
});

whoAmI().then(route, e => { showError('Asking who is logged in', e); });
