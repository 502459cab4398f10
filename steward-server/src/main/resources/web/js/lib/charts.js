// Charts drawn as SVG by the console itself (no library: the few charts here are bars and two lines). Every run
// state has a colour AND a pattern and a text label, so the pictures read without colour too; every bar or point is
// keyboard focusable and says what it shows through its <title> (the browser's tooltip and the accessible name).
import { h } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';

/** Final run states in the order they stack, bottom up, with the words and pattern each is drawn with. */
export const STATES = [
  { state: 'SUCCEEDED', label: 'succeeded', pattern: 'solid' },
  { state: 'FAILED', label: 'failed', pattern: 'hatch' },
  { state: 'TIMED_OUT', label: 'timed out', pattern: 'cross' },
  { state: 'CANCELLED', label: 'cancelled', pattern: 'dots' },
  { state: 'LOST', label: 'lost', pattern: 'lines' },
];
const LIVE = [{ state: 'RUNNING', label: 'running', pattern: 'dots' }, { state: 'QUEUED', label: 'queued', pattern: 'dots' }];

export const stateLabel = state => [...STATES, ...LIVE].find(s => s.state === state)?.label ?? String(state).toLowerCase();

/** An SVG element; attributes as given, children appended (strings become text). */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/**
 * The state patterns, defined once per document in a hidden SVG: charts fill with url(#st-…), so one definition
 * serves every chart on every page, and the patterns' colours follow the CSS variables (light and dark).
 */
export function ensurePatterns() {
  if (document.getElementById('chart-patterns')) return;
  const pattern = (name, ...marks) => s('pattern', { id: `st-${name}`, width: 6, height: 6, patternUnits: 'userSpaceOnUse' },
    s('rect', { width: 6, height: 6, class: `fill-${name}` }), ...marks);
  const defs = s('defs', {},
    pattern('succeeded'),
    pattern('failed', s('path', { d: 'M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2', class: 'mark' })),
    pattern('timed_out', s('path', { d: 'M0,0 l6,6 M6,0 l-6,6', class: 'mark' })),
    pattern('cancelled', s('circle', { cx: 3, cy: 3, r: 1.1, class: 'mark-dot' })),
    pattern('lost', s('path', { d: 'M0,3 h6', class: 'mark' })),
    pattern('running', s('circle', { cx: 3, cy: 3, r: 1.1, class: 'mark-dot' })),
    pattern('queued', s('circle', { cx: 3, cy: 3, r: 1.1, class: 'mark-dot' })));
  document.body.append(s('svg', { id: 'chart-patterns', width: 0, height: 0, 'aria-hidden': 'true', focusable: 'false',
    style: 'position:absolute' }, defs));
}

export const fillOf = state => `url(#st-${String(state).toLowerCase()})`;

/** A legend: a swatch with the state's pattern and its name, for each state given. */
export function legend(states, id) {
  ensurePatterns();
  return h('ul', { class: 'legend', id }, states.map(({ state, label }) => h('li', {},
    s('svg', { width: 14, height: 14, 'aria-hidden': 'true' }, s('rect', { width: 14, height: 14, fill: fillOf(state), class: 'swatch' })),
    ` ${label}`)));
}

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max`. */
export function niceMax(max) {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map(f => f * power).find(v => v >= max);
}

/**
 * Stacked bars, one per column: `columns` = [{ key, label, title, counts: {STATE: n} }]. Each segment is a rect with
 * data-state and data-count; each column is a focusable group titled with its label and counts.
 */
export function stackedBars({ columns, width = 960, height = 220, id, describe, onKey }) {
  ensurePatterns();
  const pad = { left: 36, right: 8, top: 8, bottom: 24 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const totals = columns.map(c => STATES.reduce((n, st) => n + (c.counts[st.state] ?? 0), 0));
  const top = niceMax(Math.max(0, ...totals));
  const step = innerW / Math.max(columns.length, 1);
  const barW = Math.max(1, step * 0.8);
  const y = v => pad.top + innerH - (v / top) * innerH;
  const axis = [0, top / 2, top].map(v => s('g', { class: 'tick' },
    s('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }),
    s('text', { x: pad.left - 4, y: y(v) + 4, 'text-anchor': 'end' }, Number.isInteger(v) ? v : v.toFixed(1))));
  // As many axis labels as fit, about one per 70 px.
  const labelEvery = Math.ceil(columns.length / Math.max(2, Math.floor(innerW / 70)));
  const bars = columns.map((c, i) => {
    const x = pad.left + i * step + (step - barW) / 2;
    let base = 0;
    const segments = STATES.filter(st => (c.counts[st.state] ?? 0) > 0).map(st => {
      const n = c.counts[st.state];
      const rect = s('rect', { x, width: barW, y: y(base + n), height: Math.max(0, y(base) - y(base + n)),
        fill: fillOf(st.state), class: 'seg', 'data-state': st.state, 'data-count': n });
      base += n;
      return rect;
    });
    const words = describe(c, totals[i]);
    return s('g', { class: 'col', tabindex: i === columns.length - 1 ? 0 : -1, role: 'img', 'aria-label': words, 'data-key': c.key, onkeydown: onKey },
      s('title', {}, words),
      // A transparent full-height target, so an empty or short column can still be pointed at.
      s('rect', { x: pad.left + i * step, width: step, y: pad.top, height: innerH, class: 'hit' }),
      segments,
      i % labelEvery === 0 ? s('text', { x: x + barW / 2, y: height - 6, 'text-anchor': 'middle', class: 'xlabel' }, c.label) : null);
  });
  return s('svg', { id, class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group' }, axis, bars);
}

/**
 * Two duration lines over time, p50 and p95: `points` = [{ key, label, p50, p95, title }] with null where a column
 * has no runs (the lines break there). p50 points are circles, p95 points squares: the shapes tell them apart, not
 * only the colours. Each column with data is one focusable group titled with both values.
 */
export function durationLines({ points, width = 960, height = 200, id, describe, format, onKey }) {
  const pad = { left: 56, right: 8, top: 8, bottom: 24 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const top = niceMax(Math.max(0, ...points.map(p => p.p95 ?? 0)));
  const step = innerW / Math.max(points.length, 1);
  const x = i => pad.left + i * step + step / 2;
  const y = v => pad.top + innerH - (v / top) * innerH;
  const axis = [0, top / 2, top].map(v => s('g', { class: 'tick' },
    s('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }),
    s('text', { x: pad.left - 4, y: y(v) + 4, 'text-anchor': 'end' }, format(v))));
  const path = key => {
    let d = '';
    let pen = false;
    points.forEach((p, i) => {
      if (p[key] === null || p[key] === undefined) { pen = false; return; }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(p[key]).toFixed(1)} `;
      pen = true;
    });
    return s('path', { d: d.trim() || 'M0,0', class: `line ${key}` });
  };
  const labelEvery = Math.ceil(points.length / Math.max(2, Math.floor(innerW / 70)));
  const lastWithData = points.findLastIndex(p => p.p50 !== null && p.p50 !== undefined);
  const marks = points.map((p, i) => {
    const label = i % labelEvery === 0
      ? s('text', { x: x(i), y: height - 6, 'text-anchor': 'middle', class: 'xlabel' }, p.label) : null;
    if (p.p50 === null || p.p50 === undefined) return label;
    const words = describe(p);
    return s('g', { class: 'pt', tabindex: i === lastWithData ? 0 : -1, role: 'img', 'aria-label': words, 'data-key': p.key, onkeydown: onKey },
      s('title', {}, words),
      s('rect', { x: x(i) - step / 2, width: step, y: pad.top, height: innerH, class: 'hit' }),
      s('rect', { x: x(i) - 3.5, y: y(p.p95) - 3.5, width: 7, height: 7, class: 'p95' }),
      s('circle', { cx: x(i), cy: y(p.p50), r: 4, class: 'p50' }),
      label);
  });
  return s('svg', { id, class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group' },
    axis, path('p95'), path('p50'), marks);
}

/**
 * Arrow keys move between the items of a chart, Home/End to its ends. Bars and points take a roving tabindex: the
 * chart is one Tab stop (the newest item), not one per hour, and the arrows carry the stop along.
 */
export function arrowKeys(selector) {
  return event => {
    const items = [...event.currentTarget.closest('svg').querySelectorAll(selector)];
    const at = items.indexOf(event.currentTarget);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: items.length - 1 }[event.key];
    if (to === undefined || !items[to]) return;
    event.preventDefault();
    if (items[at].getAttribute('tabindex') !== null) {
      items[at].setAttribute('tabindex', -1);
      items[to].setAttribute('tabindex', 0);
    }
    items[to].focus();
  };
}

/**
 * Replaces `box`'s chart with `chart`; when an item of the old one had the keyboard focus, the same item (by
 * data-key) of the new one takes the tab stop and the focus, so that a live redraw does not throw the reader off.
 */
export function replaceChart(box, chart) {
  const focused = box.contains(document.activeElement) ? document.activeElement.getAttribute('data-key') : null;
  box.replaceChildren(chart);
  if (focused === null) return;
  const same = chart.querySelector(`[data-key="${CSS.escape(focused)}"]`);
  if (!same) return;
  chart.querySelectorAll('[tabindex="0"]').forEach(el => el.setAttribute('tabindex', -1));
  same.setAttribute('tabindex', 0);
  same.focus();
}
