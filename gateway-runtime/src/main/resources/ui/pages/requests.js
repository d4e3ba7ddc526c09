// Request log: recent requests, newest first, filtered and paged (keyset cursor); a row opens its details.
import { api, query } from '../api.js';
import { h, pageHead, empty, fmt, table, badge, field, select, confirmDialog } from '../dom.js';

const filters = { team: '', model: '', deployment: '', status: '', cache: '', since: '24h' };
let cursors = [null]; // the cursor of each page seen so far; the last is the current page's
const PAGE = 25;

function statusBadge(r) {
  return r.status < 400 ? badge(String(r.status), 'ok') : badge(r.status + (r.error_type ? ' ' + r.error_type : ''),
    r.status === 429 || r.status === 499 ? 'warn' : 'bad');
}

async function details(r) {
  const full = await api('/admin/requests/' + encodeURIComponent(r.id));
  const kv = (k, v) => [h('dt', { text: k }), h('dd', {}, v === null || v === undefined || v === '' ? '—' : v)];
  const body = h('div', {}, h('dl', { class: 'kv' },
    kv('Request id', h('code', { text: full.id })), kv('Time', new Date(full.at).toLocaleString()),
    kv('Key', full.key_prefix ? h('code', { text: full.key_prefix + '…' }) : full.key_id),
    kv('Team', full.team), kv('User', full.user), kv('Model', full.model + (full.group && full.group !== full.model
      ? ' → ' + full.group : '')), kv('Deployment', full.provider ? full.provider + '/' + full.deployment : null),
    kv('Status', statusBadge(full)), kv('Tokens', fmt.int(full.prompt_tokens) + ' in, ' + fmt.int(full.completion_tokens)
      + ' out, ' + fmt.int(full.cached_tokens) + ' cached'), kv('Cost', fmt.usd(full.cost_usd)),
    kv('Saved', fmt.usd(full.saving_usd)), kv('Cache', full.cache), kv('Attempts', String(full.attempts)),
    kv('Latency', fmt.ms(full.latency_ms) + ' total, ' + fmt.ms(full.upstream_ms) + ' upstream, '
      + fmt.ms(full.ttfb_ms) + ' to first token')));
  if (full.request_body || full.response_body) {
    body.append(h('h3', { text: 'Request body' }), h('pre', { class: 'body', text: full.request_body || '—' }),
      h('h3', { text: 'Response' }), h('pre', { class: 'body', text: full.response_body || '—' }));
  } else {
    body.append(h('p', { class: 'muted', text: 'Bodies are not logged (observability.request_log.bodies: false).' }));
  }
  await confirmDialog('Request ' + full.id, body, 'Close');
}

export async function render(root, session, refresh) {
  if (!session.storage || !session.request_log.enabled) {
    root.append(pageHead('Request log'), h('div', { class: 'card' }, empty('The request log is off',
      session.storage ? 'Set observability.request_log.enabled: true to record requests.'
        : 'The request log needs PostgreSQL: set storage.postgres to embedded or a postgres:// URL.')));
    return;
  }
  const cursor = cursors[cursors.length - 1];
  const page = await api('/admin/requests' + query({ ...filters, team: session.team ? '' : filters.team, limit: PAGE,
    cursor }));

  const inputs = {
    team: h('input', { name: 'team', value: filters.team, placeholder: 'any', autocomplete: 'off' }),
    model: h('input', { name: 'model', value: filters.model, placeholder: 'any', autocomplete: 'off' }),
    deployment: h('input', { name: 'deployment', value: filters.deployment, placeholder: 'any', autocomplete: 'off' }),
    status: select('status', [['', 'any'], ['ok', 'succeeded'], ['error', 'failed'], ['429', '429'], ['502', '502'],
      ['503', '503'], ['504', '504']], filters.status),
    cache: select('cache', [['', 'any'], ['HIT', 'hit'], ['SEMANTIC_HIT', 'semantic hit'], ['MISS', 'miss'],
      ['BYPASS', 'bypass'], ['none', 'not cached']], filters.cache),
    since: select('since', [['1h', 'last hour'], ['24h', 'last 24 hours'], ['7d', 'last 7 days'],
      ['30d', 'last 30 days']], filters.since),
  };
  const form = h('form', { class: 'inline', id: 'request-filters', role: 'search' },
    session.team ? null : field('Team', inputs.team), field('Model', inputs.model),
    field('Deployment', inputs.deployment), field('Status', inputs.status), field('Cache', inputs.cache),
    field('Time', inputs.since), h('button', { type: 'submit', class: 'primary', text: 'Apply' }),
    h('button', { type: 'button', text: 'Reset', onclick: () => {
      Object.assign(filters, { team: '', model: '', deployment: '', status: '', cache: '', since: '24h' });
      cursors = [null];
      refresh();
    } }));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    for (const k of Object.keys(inputs)) filters[k] = inputs[k].value.trim();
    cursors = [null];
    refresh();
  });
  root.append(pageHead('Request log', 'Newest first; kept ' + session.request_log.retention
    + (session.request_log.bodies ? ', with bodies' : ', metadata only') + '.',
    h('button', { type: 'button', id: 'refresh-requests', text: 'Refresh', onclick: () => { cursors = [null]; refresh(); } })),
    h('div', { class: 'card' }, form));

  const card = h('div', { class: 'card' });
  if (page.data.length === 0) {
    card.append(empty(cursors.length > 1 ? 'No more requests' : 'No requests match',
      'Requests appear a second or two after they finish. Widen the time range or clear filters.'));
  } else {
    card.append(table([
      { title: 'Time', cell: r => h('button', { type: 'button', class: 'small ghost', onclick: () => details(r)
        .catch(e => confirmDialog('Could not load the request', e.message, 'Close')),
        'aria-label': 'Details of request ' + r.id, text: fmt.time(r.at) }) },
      { title: 'Status', cell: statusBadge },
      { title: 'Model', cell: r => r.model },
      { title: 'Deployment', cell: r => r.provider ? r.provider + '/' + r.deployment : '—' },
      { title: 'Team', cell: r => r.team || '—' },
      { title: 'Key', cell: r => r.key_prefix ? h('code', { text: r.key_prefix + '…' }) : r.key_id },
      { title: 'Tokens', num: true, cell: r => fmt.int(r.prompt_tokens) + ' / ' + fmt.int(r.completion_tokens) },
      { title: 'Cost', num: true, cell: r => fmt.usd(r.cost_usd) },
      { title: 'Cache', cell: r => r.cache ? r.cache.toLowerCase().replace('_', ' ') : '—' },
      { title: 'Latency', num: true, cell: r => fmt.ms(r.latency_ms) },
    ], page.data, r => ({ dataset: { requestId: r.id } })));
  }
  card.append(h('div', { class: 'pager' },
    h('span', { class: 'muted', text: 'Page ' + cursors.length }),
    h('button', { type: 'button', disabled: cursors.length === 1, text: 'Newer',
      onclick: () => { cursors.pop(); refresh(); } }),
    h('button', { type: 'button', id: 'older', disabled: !page.next_cursor, text: 'Older',
      onclick: () => { cursors.push(page.next_cursor); refresh(); } })));
  root.append(card);
}
