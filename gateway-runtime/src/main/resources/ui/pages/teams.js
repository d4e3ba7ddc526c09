// Teams & budgets: each team's spend in its current budget period as a usage bar; admins set budgets here.
import { api } from '../api.js';
import { h, pageHead, empty, fmt, table, field, select } from '../dom.js';

function usage(t) {
  if (!t.budget) {
    return h('span', { class: 'muted', text: fmt.usd(t.spent_usd) + ' this month, no budget' });
  }
  const used = t.used || 0;
  const meter = h('meter', { min: '0', max: '1', low: '0.8', high: '0.95', optimum: '0', value: String(Math.min(1, used)),
    'aria-label': 'Budget used by ' + t.id, title: fmt.pct(used) });
  return h('div', { class: 'usage' }, meter, h('div', { class: 'line' },
    h('span', { text: fmt.usd(t.spent_usd) + ' of ' + fmt.usd(t.budget.usd) }),
    h('span', { class: used >= 1 ? 'error' : null, text: fmt.pct(used) })));
}

function budgetForm(refresh) {
  const id = h('input', { name: 'id', required: true, placeholder: 'team id', autocomplete: 'off' });
  const usd = h('input', { name: 'usd', type: 'number', min: '0', step: 'any', required: true, placeholder: '100' });
  const period = select('period', [['daily', 'per day'], ['weekly', 'per week'], ['monthly', 'per month']], 'monthly');
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const form = h('form', { class: 'inline', id: 'team-budget' }, field('Team', id), field('Budget (USD)', usd),
    field('Period', period), h('button', { type: 'submit', class: 'primary', text: 'Save budget' }));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      await api('/admin/teams', { method: 'POST', body: { id: id.value.trim(),
        budget: { usd: Number(usd.value), period: period.value } } });
      await refresh();
    } catch (e) {
      error.hidden = false;
      error.textContent = e.message;
    }
  });
  return h('div', { class: 'card' }, h('h2', { text: 'Set a team budget' }), form, error);
}

export async function render(root, session, refresh) {
  if (!session.storage) {
    root.append(pageHead('Teams & budgets'), h('div', { class: 'card' }, empty('Budgets need storage',
      'Teams, budgets and spend live in PostgreSQL: set storage.postgres to embedded or a postgres:// URL.')));
    return;
  }
  const budgets = (await api('/admin/budgets')).data;
  root.append(pageHead('Teams & budgets', 'Spend in each budget\'s current period (UTC), settled spend only.'));
  if (session.role === 'admin' && !session.team) root.append(budgetForm(refresh));
  const card = h('div', { class: 'card' }, h('h2', { text: 'Teams' }));
  if (budgets.length === 0) {
    card.append(empty('No teams yet', 'A team appears when a key or user is given one.'));
  } else {
    card.append(table([
      { title: 'Team', cell: t => h('strong', { text: t.id }) },
      { title: 'Budget', cell: t => t.budget ? fmt.usd(t.budget.usd) + ' ' + t.budget.period : '—' },
      { title: 'Usage', cell: usage },
      { title: 'Requests', num: true, cell: t => fmt.int(t.requests) },
      { title: 'Since', cell: t => new Date(t.since).toLocaleDateString() },
    ], budgets, t => ({ dataset: { team: t.id } })));
  }
  root.append(card);
}
