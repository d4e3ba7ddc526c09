// Chart.js (window.Chart, from the WebJar under /ui/vendor/) with the page's colors. Every chart also writes its
// data onto its canvas (data-labels, data-series, data-total) and gets a text alternative for screen readers.
import { h } from './dom.js';

const charts = new Map();

function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

export function palette(i) {
  return css('--c' + ((i % 8) + 1));
}

/**
 * Draws (or redraws) a chart in a box: kind 'bar' | 'line'; datasets [{label, data}]; opts {stacked, money, ms}.
 * Answers the box element.
 */
export function chart(id, kind, labels, datasets, opts = {}) {
  const old = charts.get(id);
  if (old) old.destroy();
  const canvas = h('canvas', { id, role: 'img' });
  const total = datasets.reduce((s, d) => s + d.data.reduce((a, b) => a + (b || 0), 0), 0);
  canvas.dataset.labels = JSON.stringify(labels);
  canvas.dataset.series = JSON.stringify(datasets.map(d => ({ label: d.label, data: d.data })));
  canvas.dataset.total = String(total);
  canvas.setAttribute('aria-label', (opts.title || id) + ': ' + datasets.map(d => d.label + ' '
    + format(d.data.reduce((a, b) => a + (b || 0), 0), opts)).join(', '));
  const box = h('div', { class: 'chart-box' }, canvas);
  if (!window.Chart) {
    box.append(h('p', { class: 'error', text: 'The chart library did not load.' }));
    return box;
  }
  const grid = css('--border');
  const text = css('--muted');
  const instance = new window.Chart(canvas, {
    type: kind,
    data: {
      labels,
      datasets: datasets.map((d, i) => ({
        label: d.label, data: d.data, backgroundColor: palette(i), borderColor: palette(i),
        borderWidth: kind === 'line' ? 2 : 0, pointRadius: kind === 'line' ? 2 : 0, tension: .25,
        maxBarThickness: 36,
      })),
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { labels: { color: text, boxWidth: 12 } },
        tooltip: { callbacks: { label: c => c.dataset.label + ': ' + format(c.parsed.y, opts) } },
      },
      scales: {
        x: { stacked: !!opts.stacked, grid: { color: grid }, ticks: { color: text, maxRotation: 0, autoSkip: true } },
        y: { stacked: !!opts.stacked, beginAtZero: true, grid: { color: grid },
          ticks: { color: text, precision: opts.money || opts.ms ? undefined : 0, callback: v => format(v, opts) } },
      },
    },
  });
  charts.set(id, instance);
  return box;
}

function format(v, opts) {
  if (opts.money) return '$' + (Math.abs(v) < 0.01 && v !== 0 ? v.toFixed(6) : v.toFixed(2));
  if (opts.ms) return Math.round(v) + ' ms';
  return String(Math.round(v * 100) / 100);
}

export function destroyAll() {
  for (const c of charts.values()) c.destroy();
  charts.clear();
}
