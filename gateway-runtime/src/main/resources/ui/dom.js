// Small DOM helpers: elements are built with h(), never from HTML strings, so no value can inject markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function empty(title, text) {
  return h('div', { class: 'empty' }, h('strong', { text: title }), h('span', { text }));
}

export function pageHead(title, subtitle, ...tools) {
  return h('div', { class: 'page-head' },
    h('div', {}, h('h1', { text: title }), subtitle ? h('p', { class: 'muted', text: subtitle }) : null),
    h('div', { class: 'toolbar' }, ...tools));
}

export function field(label, input) {
  const id = input.id || ('f-' + Math.random().toString(36).slice(2, 9));
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id, text: label }), input);
}

export function select(name, options, value) {
  return h('select', { name }, ...options.map(([v, text]) => h('option', { value: v, selected: v === value, text })));
}

export function table(columns, rows, rowAttrs) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, ...columns.map(c => h('th', { scope: 'col', class: c.num ? 'num' : null, text: c.title })))),
    h('tbody', {}, ...rows.map(r => h('tr', rowAttrs ? rowAttrs(r) : {},
      ...columns.map(c => h('td', { class: c.num ? 'num' : null }, c.cell(r))))))));
}

export function badge(text, kind) {
  return h('span', { class: 'badge ' + kind, text });
}

export const fmt = {
  usd(v) {
    if (v === null || v === undefined) return '—';
    const a = Math.abs(v);
    const digits = a === 0 ? 2 : a < 0.01 ? 6 : a < 1 ? 4 : 2;
    return '$' + v.toFixed(digits);
  },
  pct(v) {
    return v === null || v === undefined ? '—' : (v * 100).toFixed(v < 0.1 && v > 0 ? 1 : 0) + '%';
  },
  ms(v) {
    if (v === null || v === undefined) return '—';
    return v >= 1000 ? (v / 1000).toFixed(2) + ' s' : Math.round(v) + ' ms';
  },
  int(v) {
    return v === null || v === undefined ? '—' : Number(v).toLocaleString('en-US');
  },
  time(iso) {
    const d = new Date(iso);
    return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
      second: '2-digit' });
  },
};

/** Shows a modal dialog; resolves true when confirmed. */
export function confirmDialog(title, content, okText = 'OK', danger = false) {
  const dialog = document.getElementById('dialog');
  document.getElementById('dialog-title').textContent = title;
  const body = document.getElementById('dialog-content');
  body.replaceChildren(content instanceof Node ? content : h('p', { text: content }));
  const ok = document.getElementById('dialog-ok');
  ok.textContent = okText;
  ok.className = danger ? 'danger' : 'primary';
  document.getElementById('dialog-cancel').hidden = okText === 'Close';
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    (okText === 'Close' ? ok : document.getElementById('dialog-cancel')).focus();
  });
}
