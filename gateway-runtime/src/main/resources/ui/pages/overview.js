// Overview: spend over time by team, model or provider; requests, errors, cache hit rate and money saved.
import { api, query } from '../api.js';
import { h, pageHead, empty, fmt, table } from '../dom.js';
import { chart } from '../charts.js';

const PERIODS = { '24h': { text: '24 hours', bucket: 'hour', days: 1 }, '7d': { text: '7 days', bucket: 'day', days: 7 },
  '30d': { text: '30 days', bucket: 'day', days: 30 } };
const GROUPS = { team: 'Team', model: 'Model', provider: 'Provider' };
const state = { period: '24h', group: 'team' };

function segmented(label, options, current, onPick) {
  return h('div', { class: 'field' }, h('span', { class: 'muted', text: label }),
    h('div', { class: 'segmented', role: 'group', 'aria-label': label },
      ...Object.entries(options).map(([v, t]) => h('button', { type: 'button', 'aria-pressed': String(v === current),
        dataset: { value: v }, onclick: () => onPick(v), text: typeof t === 'string' ? t : t.text }))));
}

function dayString(d) {
  return d.toISOString().slice(0, 10);
}

function bucketLabel(b, bucket) {
  const d = new Date(b.length === 10 ? b + 'T00:00:00Z' : b);
  return bucket === 'hour' ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export async function render(root, session, refresh) {
  if (!session.storage) {
    root.append(pageHead('Overview'), h('div', { class: 'card' },
      empty('No spend data without storage', 'Set storage.postgres to embedded or a postgres:// URL to record spend.')));
    return;
  }
  const p = PERIODS[state.period];
  const spendParams = { group_by: state.group, bucket: p.bucket };
  if (p.bucket === 'hour') spendParams.since = '24h';
  else {
    const to = new Date();
    spendParams.to = dayString(to);
    spendParams.from = dayString(new Date(to.getTime() - (p.days - 1) * 86400000));
  }
  const [spend, stats, savings] = await Promise.all([
    api('/admin/spend' + query(spendParams)),
    api('/admin/stats' + query({ since: state.period })),
    api('/admin/savings' + query({ since: new Date(Date.now() - p.days * 86400000).toISOString() })),
  ]);

  const rerender = () => refresh();
  root.append(pageHead('Overview', session.team ? 'Team ' + session.team : 'All teams',
    segmented('Period', PERIODS, state.period, v => { state.period = v; rerender(); }),
    segmented('Group by', GROUPS, state.group, v => { state.group = v; rerender(); }),
    h('button', { type: 'button', onclick: rerender, text: 'Refresh' })));

  const cache = stats.cache;
  root.append(h('div', { class: 'grid', id: 'stats' },
    stat('Spend', fmt.usd(stats.cost_usd), stats.unpriced_requests ? stats.unpriced_requests + ' unpriced' : 'in ' + p.text, 'spend'),
    stat('Requests', fmt.int(stats.requests), fmt.int(stats.prompt_tokens + stats.completion_tokens) + ' tokens', 'requests'),
    stat('Error rate', fmt.pct(stats.error_rate), fmt.int(stats.errors) + ' errors', 'error-rate'),
    stat('Cache hit rate', fmt.pct(cache.hit_rate), fmt.int(cache.hits + cache.semantic_hits) + ' hits, '
      + fmt.int(cache.misses) + ' misses', 'hit-rate'),
    stat('Money saved', fmt.usd(stats.saved_usd), 'by cache hits', 'saved')));

  const buckets = spend.buckets;
  const names = Object.keys(spend.groups).sort((a, b) => spend.groups[b].cost_usd - spend.groups[a].cost_usd);
  const series = names.map(name => {
    const points = new Map(spend.groups[name].daily.map(pt => [pt.bucket, pt]));
    return { label: name, cost: buckets.map(b => (points.get(b) || {}).cost_usd || 0),
      requests: buckets.map(b => (points.get(b) || {}).requests || 0) };
  });
  const labels = buckets.map(b => bucketLabel(b, p.bucket));
  const spendCard = h('div', { class: 'card' }, h('h2', { text: 'Spend by ' + GROUPS[state.group].toLowerCase() }));
  const requestsCard = h('div', { class: 'card' }, h('h2', { text: 'Requests' }));
  root.append(h('div', { class: 'two' }, spendCard, requestsCard));
  spendCard.append(chart('spend-chart', 'bar', labels, series.map(s => ({ label: s.label, data: s.cost })),
    { stacked: true, money: true, title: 'Spend by ' + state.group }));
  requestsCard.append(chart('requests-chart', 'line', labels,
    [{ label: 'Requests', data: buckets.map((b, i) => series.reduce((sum, s) => sum + s.requests[i], 0)) }],
    { title: 'Requests' }));
  if (names.length === 0) {
    spendCard.append(empty('No traffic in this period yet', 'Spend appears here a second or two after requests '
      + 'go through the gateway.'));
  } else {
    root.append(h('div', { class: 'card' }, h('h2', { text: 'Top by spend' }), table([
      { title: GROUPS[state.group], cell: r => r },
      { title: 'Spend', num: true, cell: r => fmt.usd(spend.groups[r].cost_usd) },
      { title: 'Requests', num: true, cell: r => fmt.int(spend.groups[r].requests) },
      { title: 'Errors', num: true, cell: r => fmt.int(spend.groups[r].errors) },
      { title: 'Tokens in', num: true, cell: r => fmt.int(spend.groups[r].prompt_tokens) },
      { title: 'Tokens out', num: true, cell: r => fmt.int(spend.groups[r].completion_tokens) },
    ], names.slice(0, 10))));
  }
  root.append(savingsCard(savings));
}

const LEVERS = { exact_cache: 'Exact cache', semantic_cache: 'Semantic cache', routing: 'Routing',
  compaction_compression: 'Compaction and compression', provider_caching: 'Provider prompt caching' };

/** What the period's traffic cost beside what it would have cost as requested with no lever, by lever. */
function savingsCard(s) {
  const card = h('div', { class: 'card', id: 'savings' }, h('h2', { text: 'Savings by lever' }));
  if (!s.requests) {
    card.append(empty('No priced traffic in this period yet', 'The report compares each request with what it '
      + 'would have cost sent as requested, with no cache, routing or prompt shaping.'));
    return card;
  }
  card.append(h('p', { class: 'muted', text: 'Without Sluice ' + fmt.usd(s.baseline_usd) + ', actual '
    + fmt.usd(s.actual_usd) + ': ' + fmt.usd(s.saved_usd) + ' saved (' + fmt.pct(s.saved_fraction) + '), '
    + fmt.int(s.tokens_saved) + ' prompt tokens taken out'
    + (s.unpriced_requests ? '; ' + fmt.int(s.unpriced_requests) + ' unpriced requests left out' : '') + '.' }));
  const levers = Object.keys(LEVERS).filter(k => s.levers[k]);
  card.append(table([
    { title: 'Lever', cell: k => LEVERS[k] },
    { title: 'Saved', num: true, cell: k => fmt.usd(s.levers[k].saved_usd) },
    { title: 'Share of savings', num: true, cell: k => fmt.pct(s.levers[k].share) },
  ], levers));
  return card;
}

function stat(label, value, sub, id) {
  return h('div', { class: 'stat', id: 'stat-' + id }, h('div', { class: 'label', text: label }),
    h('div', { class: 'value', text: value }), h('div', { class: 'sub', text: sub }));
}
