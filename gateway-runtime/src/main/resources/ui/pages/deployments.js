// Deployments: latency percentiles and error rates per deployment over a period, beside live health
// (breaker state, in-flight requests, the router's moving averages).
import { api, query } from '../api.js';
import { h, pageHead, empty, fmt, table, badge, field, select } from '../dom.js';
import { chart } from '../charts.js';

const state = { since: '24h', auto: false };
let timer = null;

function breaker(health) {
  if (!health) return badge('not configured', 'neutral');
  const s = health.breaker;
  return s === 'CLOSED' ? badge('healthy', 'ok') : s === 'HALF_OPEN' ? badge('probing', 'warn') : badge('open', 'bad');
}

async function load(session) {
  if (session.storage) return api('/admin/deployments' + query({ since: state.since }));
  // Without storage there is no history: live health only, from the router.
  const models = await api('/admin/models');
  const rows = new Map();
  for (const m of models.models) {
    for (const d of m.deployments) {
      const key = d.provider + '/' + d.model;
      if (!rows.has(key)) rows.set(key, { provider: d.provider, deployment: d.model, models: [], requests: 0, errors: 0,
        error_rate: null, latency_ms: null, health: d });
      rows.get(key).models.push(m.name);
    }
  }
  return { data: [...rows.values()], source: 'live' };
}

export async function render(root, session, refresh) {
  if (timer) { clearInterval(timer); timer = null; }
  const result = await load(session);
  const since = select('since', [['1h', 'Last hour'], ['24h', 'Last 24 hours'], ['7d', 'Last 7 days'],
    ['30d', 'Last 30 days']], state.since);
  since.addEventListener('change', () => { state.since = since.value; refresh(); });
  const auto = h('input', { type: 'checkbox', id: 'auto-refresh', checked: state.auto });
  auto.addEventListener('change', () => { state.auto = auto.checked; refresh(); });
  root.append(pageHead('Deployments', 'Latency and errors ' + (result.source === 'live' ? 'since start (live only)'
    : 'from the ' + result.source.replace('_', ' ')) + '; health is live.',
    session.storage ? field('Period', since) : null,
    h('div', { class: 'field' }, h('label', { for: 'auto-refresh' }, auto, ' Auto-refresh every 10 s')),
    h('button', { type: 'button', id: 'refresh-deployments', onclick: () => refresh(), text: 'Refresh' })));

  const rows = result.data;
  if (rows.length === 0) {
    root.append(h('div', { class: 'card' }, empty('No deployments', 'Add models with deployments to config.yaml.')));
    return;
  }
  const withTraffic = rows.filter(r => r.latency_ms);
  if (withTraffic.length > 0) {
    root.append(h('div', { class: 'card' }, h('h2', { text: 'Total latency percentiles' }),
      chart('latency-chart', 'bar', withTraffic.map(r => r.provider + '/' + r.deployment), [
        { label: 'p50', data: withTraffic.map(r => r.latency_ms.p50) },
        { label: 'p95', data: withTraffic.map(r => r.latency_ms.p95) },
        { label: 'p99', data: withTraffic.map(r => r.latency_ms.p99) },
      ], { ms: true, title: 'Latency percentiles' })));
  }
  root.append(h('div', { class: 'card' }, h('h2', { text: 'Deployments' }), table([
    { title: 'Deployment', cell: r => h('span', {}, h('strong', { text: r.provider }), ' / ' + r.deployment) },
    { title: 'Serves', cell: r => r.models.join(', ') || '—' },
    { title: 'Health', cell: r => breaker(r.health) },
    { title: 'In flight', num: true, cell: r => r.health ? fmt.int(r.health.in_flight) : '—' },
    { title: 'Requests', num: true, cell: r => fmt.int(r.requests) },
    { title: 'Error rate', num: true, cell: r => r.error_rate === null ? '—'
      : h('span', { class: r.error_rate > 0.05 ? 'error' : null, text: fmt.pct(r.error_rate) }) },
    { title: 'p50', num: true, cell: r => fmt.ms(r.latency_ms && r.latency_ms.p50) },
    { title: 'p95', num: true, cell: r => fmt.ms(r.latency_ms && r.latency_ms.p95) },
    { title: 'p99', num: true, cell: r => fmt.ms(r.latency_ms && r.latency_ms.p99) },
    { title: 'TTFB p50', num: true, cell: r => fmt.ms(r.ttfb_ms && r.ttfb_ms.p50) },
    { title: 'Upstream p95', num: true, cell: r => fmt.ms(r.upstream_ms && r.upstream_ms.p95) },
    { title: 'Live latency', num: true, cell: r => fmt.ms(r.health && r.health.latency_ms) },
  ], rows, r => ({ dataset: { deployment: r.provider + '/' + r.deployment } }))));
  if (withTraffic.length === 0) {
    root.append(h('p', { class: 'muted', text: 'No requests in this period yet: percentiles appear after traffic.' }));
  }
  if (state.auto) {
    timer = setInterval(() => {
      if (!root.isConnected && document.getElementById('page').dataset.page !== 'deployments') {
        clearInterval(timer);
        timer = null;
        return;
      }
      refresh();
    }, 10000);
  }
}
