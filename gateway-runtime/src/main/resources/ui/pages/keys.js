// Keys: list, create (the secret is shown once, with a copy button), rotate, block or unblock, revoke.
import { api } from '../api.js';
import { h, pageHead, empty, fmt, table, badge, field, select, confirmDialog } from '../dom.js';

let revealed = null; // {name, key}: the secret of the key just created or rotated, shown once

function secretPanel() {
  if (!revealed) return null;
  const { name, key, verb } = revealed;
  revealed = null;
  const code = h('code', { id: 'new-secret', text: key });
  const status = h('span', { class: 'muted', role: 'status' });
  const copy = h('button', { type: 'button', id: 'copy-secret', class: 'primary', text: 'Copy key',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(key);
        status.textContent = 'Copied.';
      } catch {
        const range = document.createRange();
        range.selectNodeContents(code);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        status.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
      }
    } });
  const panel = h('div', { class: 'card secret', role: 'region', 'aria-label': 'New key secret' },
    h('h2', { text: 'Key "' + name + '" ' + verb }),
    h('p', {}, 'Copy the secret now: it is shown only this once and Sluice keeps only its hash.'),
    code, h('div', { class: 'actions' }, status, copy,
      h('button', { type: 'button', text: 'Done', onclick: () => panel.remove() })));
  return panel;
}

function createForm(session, refresh) {
  const name = h('input', { name: 'name', required: true, placeholder: 'e.g. search-backend', autocomplete: 'off' });
  const team = h('input', { name: 'team', placeholder: session.team || 'optional', value: session.team || '',
    readonly: session.team ? true : null, autocomplete: 'off' });
  const roles = [['user', 'user (calls models)'], ['viewer', 'viewer (reads the dashboard)'],
    ['team_admin', 'team admin']];
  if (!session.team) roles.push(['admin', 'admin']);
  const role = select('role', roles, 'user');
  const models = h('input', { name: 'models', placeholder: 'all models', autocomplete: 'off' });
  const budget = h('input', { name: 'budget', type: 'number', min: '0', step: 'any', placeholder: 'none' });
  const period = select('period', [['daily', 'per day'], ['weekly', 'per week'], ['monthly', 'per month']], 'monthly');
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const form = h('form', { class: 'inline', id: 'create-key' },
    field('Name', name), field('Team', team), field('Role', role), field('Models (comma-separated)', models),
    field('Budget (USD)', budget), field('Budget period', period),
    h('button', { type: 'submit', class: 'primary', text: 'Create key' }));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const body = { name: name.value.trim(), role: role.value };
    if (team.value.trim()) body.team = team.value.trim();
    const list = models.value.split(',').map(s => s.trim()).filter(Boolean);
    if (list.length) body.models = list;
    if (budget.value) body.budget = { usd: Number(budget.value), period: period.value };
    try {
      const created = await api('/admin/keys', { method: 'POST', body });
      revealed = { name: created.name, key: created.key, verb: 'created' };
      await refresh();
    } catch (e) {
      error.hidden = false;
      error.textContent = e.message;
    }
  });
  return h('div', { class: 'card' }, h('h2', { text: 'Create a key' }), form, error);
}

export async function render(root, session, refresh) {
  if (!session.storage) {
    root.append(pageHead('Keys'), h('div', { class: 'card' }, empty('Keys need storage',
      'Virtual keys live in PostgreSQL: set storage.postgres to embedded or a postgres:// URL.')));
    return;
  }
  const keys = (await api('/admin/keys')).data;
  const canWrite = session.role !== 'viewer';
  root.append(pageHead('Keys', keys.length + ' key' + (keys.length === 1 ? '' : 's')
    + (session.team ? ' in team ' + session.team : '')));
  const panel = secretPanel();
  if (panel) root.append(panel);
  if (canWrite) root.append(createForm(session, refresh));

  const act = async (k, what) => {
    if (what === 'rotate') {
      if (!await confirmDialog('Rotate key "' + k.name + '"?', 'A new secret replaces the current one, which stops '
        + 'working at once.', 'Rotate')) return;
      const r = await api('/admin/keys/' + encodeURIComponent(k.id) + '/rotate', { method: 'POST' });
      revealed = { name: k.name, key: r.key, verb: 'rotated' };
    } else if (what === 'block' || what === 'unblock') {
      await api('/admin/keys/' + encodeURIComponent(k.id), { method: 'PATCH', body: { blocked: what === 'block' } });
    } else if (what === 'revoke') {
      if (!await confirmDialog('Revoke key "' + k.name + '"?', 'The key is deleted: every call with it is refused '
        + 'from now on. This cannot be undone.', 'Revoke', true)) return;
      await api('/admin/keys/' + encodeURIComponent(k.id), { method: 'DELETE' });
    }
    await refresh();
  };
  const guarded = (k, what) => async () => {
    try {
      await act(k, what);
    } catch (e) {
      await confirmDialog('That did not work', e.message, 'Close');
    }
  };
  const list = h('div', { class: 'card' }, h('h2', { text: 'Keys' }));
  if (keys.length === 0) {
    list.append(empty('No keys yet', canWrite ? 'Create the first one above.' : 'An admin creates keys.'));
  } else {
    list.append(table([
      { title: 'Name', cell: k => h('strong', { text: k.name }) },
      { title: 'Key', cell: k => h('code', { text: k.prefix + '…' }) },
      { title: 'Role', cell: k => k.role.replace('_', ' ') },
      { title: 'Team', cell: k => k.team || '—' },
      { title: 'Models', cell: k => k.models ? k.models.join(', ') : 'all' },
      { title: 'Budget', cell: k => k.budget ? fmt.usd(k.budget.usd) + ' / ' + k.budget.period : '—' },
      { title: 'Status', cell: k => k.blocked ? badge('blocked', 'bad')
        : k.expires_at && new Date(k.expires_at) < new Date() ? badge('expired', 'warn') : badge('active', 'ok') },
      { title: 'Actions', cell: k => canWrite && !(session.team && k.role === 'admin')
        ? h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'small', onclick: guarded(k, 'rotate'), 'aria-label': 'Rotate ' + k.name,
            text: 'Rotate' }),
          h('button', { type: 'button', class: 'small', onclick: guarded(k, k.blocked ? 'unblock' : 'block'),
            'aria-label': (k.blocked ? 'Unblock ' : 'Block ') + k.name, text: k.blocked ? 'Unblock' : 'Block' }),
          h('button', { type: 'button', class: 'small danger', onclick: guarded(k, 'revoke'),
            'aria-label': 'Revoke ' + k.name, text: 'Revoke' }))
        : h('span', { class: 'muted', text: '—' }) },
    ], keys, k => ({ dataset: { keyId: k.id, keyName: k.name } })));
  }
  root.append(list);
  if (panel) setTimeout(() => { const b = document.getElementById('copy-secret'); if (b) b.focus(); }, 0);
}
