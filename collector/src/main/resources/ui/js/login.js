// The login form: POST /api/v1/auth/login sets the session and CSRF cookies; then back to the
// page the user wanted (?next=, same-origin paths only).

import { api, ApiError } from './api.js';
import { navigate } from './app.js';

/** `next` if it is a path on this site, else '/'. */
function safeNext(next) {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function render(root, { params, onLogin }) {
  root.innerHTML = `
    <div class="login panel">
      <h1>Log in to hepstack</h1>
      <form id="login-form" autocomplete="on">
        <label>User name <input type="text" name="username" id="login-user" autocomplete="username" required></label>
        <label>Password <input type="password" name="password" id="login-password" autocomplete="current-password" required></label>
        <div id="login-error" class="error" role="alert" hidden></div>
        <button type="submit" class="primary" id="login-submit">Log in</button>
      </form>
    </div>`;
  const form = root.querySelector('#login-form');
  const err = root.querySelector('#login-error');
  form.addEventListener('submit', async e => {
    e.preventDefault();
    err.hidden = true;
    const btn = root.querySelector('#login-submit');
    btn.disabled = true;
    try {
      await api('/api/v1/auth/login', {
        method: 'POST', quiet401: true,
        body: { username: form.username.value, password: form.password.value },
      });
      await onLogin();
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (x) {
      err.textContent = x instanceof ApiError && x.status === 401 ? 'Wrong user name or password.'
        : x instanceof ApiError && x.status === 429 ? 'Too many attempts; try again later.'
          : 'Login failed: ' + x.message;
      err.hidden = false;
    } finally {
      btn.disabled = false;
    }
  });
  root.querySelector('#login-user').focus();
}
