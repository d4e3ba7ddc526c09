// The dashboard shell: sign-in, the page router (#/overview ...), and the signed-in session.
import { api, storedKey, storeKey, ApiError } from './api.js';
import { h } from './dom.js';
import { destroyAll } from './charts.js';
import * as overview from './pages/overview.js';
import * as deployments from './pages/deployments.js';
import * as keys from './pages/keys.js';
import * as teams from './pages/teams.js';
import * as requests from './pages/requests.js';

const PAGES = { overview, deployments, keys, teams, requests };
const TITLES = { overview: 'Overview', deployments: 'Deployments', keys: 'Keys', teams: 'Teams & budgets',
  requests: 'Request log' };
let session = null;
let rendering = 0;

const $ = id => document.getElementById(id);

async function signIn(key) {
  session = await api('/admin/session', { key });
  storeKey(key);
  $('top').hidden = false;
  $('sign-in').hidden = true;
  const scope = session.team ? 'team ' + session.team : 'all teams';
  $('who').textContent = session.key_prefix + ' · ' + session.role.replace('_', ' ') + ' · ' + scope;
  const notice = $('notice');
  if (!session.storage) {
    notice.hidden = false;
    notice.textContent = 'Sluice runs without storage (storage.postgres: none): keys, spend, budgets and the '
      + 'request log need PostgreSQL. Deployment health is live.';
  } else if (!session.request_log.enabled) {
    notice.hidden = false;
    notice.textContent = 'The request log is off (observability.request_log.enabled: false).';
  } else {
    notice.hidden = true;
  }
}

function showSignIn(message) {
  session = null;
  destroyAll();
  $('top').hidden = true;
  $('notice').hidden = true;
  $('page').replaceChildren();
  $('sign-in').hidden = false;
  const err = $('sign-in-error');
  err.hidden = !message;
  err.textContent = message || '';
  $('key-input').value = '';
  $('key-input').focus();
}

function signOut(message) {
  storeKey(null);
  if (location.hash !== '#/overview') history.replaceState(null, '', '#/overview');
  showSignIn(message);
}

async function route() {
  if (!session) return;
  const name = (location.hash.match(/^#\/([a-z]+)/) || [])[1];
  const page = PAGES[name] ? name : 'overview';
  if (!PAGES[name]) history.replaceState(null, '', '#/overview');
  document.title = TITLES[page] + ' · Sluice';
  for (const a of document.querySelectorAll('.top nav a')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const root = $('page');
  const ticket = ++rendering;
  destroyAll();
  root.dataset.page = page;
  root.dataset.ready = 'false';
  root.replaceChildren(h('p', { class: 'muted', text: 'Loading…' }));
  try {
    const content = h('div', {});
    await PAGES[page].render(content, session, refresh);
    if (ticket !== rendering) return;
    root.replaceChildren(content);
  } catch (e) {
    if (ticket !== rendering) return;
    if (e instanceof ApiError && e.status === 401) return signOut('Your key is no longer accepted: ' + e.message);
    root.replaceChildren(h('div', { class: 'card', role: 'alert' }, h('h2', { text: 'This page could not load' }),
      h('p', { class: 'error', text: e.message })));
  }
  root.dataset.ready = 'true';
}

/** Re-renders the current page (pages call this after a change). */
export function refresh() {
  return route();
}

document.addEventListener('DOMContentLoaded', async () => {
  $('sign-in-form').addEventListener('submit', async ev => {
    ev.preventDefault();
    const key = $('key-input').value.trim();
    const button = ev.submitter || $('sign-in-form').querySelector('button');
    button.disabled = true;
    try {
      await signIn(key);
      await route();
      $('main').focus();
    } catch (e) {
      showSignIn(e instanceof ApiError && e.status === 403
        ? 'This key has no admin role. Use the master key, an admin key, or a team_admin or viewer key.'
        : e instanceof ApiError && e.status === 401 ? 'This key is not accepted: ' + e.message : e.message);
    } finally {
      button.disabled = false;
    }
  });
  $('sign-out').addEventListener('click', () => signOut());
  window.addEventListener('hashchange', route);
  const key = storedKey();
  if (!key) return showSignIn();
  try {
    await signIn(key);
    await route();
  } catch (e) {
    signOut(e.message);
  }
});
