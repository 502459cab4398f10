// The dashboard's pictures: runs over time stacked by final state (last 24 h by hour, or last 7 d by day) and the
// p50/p95 duration per hour, from GET /api/v1/stats/runs. Live without re-reading everything: a run that ends makes
// the page re-read only the hour it ended in (several such hours folded into one read), and the window slides on by
// itself as the clock passes an hour.
import { api } from '../api.js';
import { h, clear } from '../lib/dom.js';
import { duration, TERMINAL } from '../lib/format.js';
import { STATES, stackedBars, durationLines, legend, arrowKeys, replaceChart } from '../lib/charts.js';
import { coalesce } from '../lib/changes.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const RANGES = { '24h': { label: 'Last 24 h', hours: 24 }, '7d': { label: 'Last 7 d', days: 7 } };

export function dashboardCharts() {
  let range = '24h';
  const hours = new Map(); // bucket start (ms) → { counts, total, p50Ms, p95Ms }
  const dirty = new Set(); // starts of hours a run ended in since the last read
  const runsBox = h('div', { class: 'chart-box', id: 'runs-chart-box' });
  const durationsBox = h('div', { class: 'chart-box', id: 'durations-chart-box' });
  const totals = h('p', { id: 'runs-totals', class: 'chart-totals', 'aria-live': 'polite' });
  const toggles = Object.entries(RANGES).map(([key, r]) => h('button', { type: 'button', class: 'range',
    id: `range-${key}`, 'aria-pressed': String(key === range), onclick: () => choose(key) }, r.label));
  const runsCard = h('section', { class: 'card chart-card', id: 'runs-chart-card', 'aria-labelledby': 'd-over-time' },
    h('div', { class: 'chart-head' }, h('h2', { id: 'd-over-time' }, 'Runs over time'),
      h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Time range' }, toggles)),
    legend(STATES, 'runs-legend'), runsBox, totals);
  const durationsCard = h('section', { class: 'card chart-card', 'aria-labelledby': 'd-durations' },
    h('h2', { id: 'd-durations' }, 'Run durations per hour'),
    h('ul', { class: 'legend' }, h('li', {}, h('span', { class: 'key-p50', 'aria-hidden': 'true' }, '●'), ' p50 (median)'),
      h('li', {}, h('span', { class: 'key-p95', 'aria-hidden': 'true' }, '■'), ' p95')),
    durationsBox);
  const element = h('div', { class: 'charts', id: 'dashboard-charts' }, runsCard, durationsCard);

  // The first hour of the window: whole hours (24 h) or whole UTC days (7 d), the current one included.
  const windowStart = () => {
    const now = Date.now();
    const r = RANGES[range];
    return r.hours ? Math.floor(now / HOUR) * HOUR - (r.hours - 1) * HOUR : Math.floor(now / DAY) * DAY - (r.days - 1) * DAY;
  };

  const merge = stats => {
    for (const b of stats.buckets) {
      hours.set(Date.parse(b.start), { counts: b.counts, total: b.total, p50Ms: b.p50Ms, p95Ms: b.p95Ms });
    }
  };

  const fetchSince = since => api(`/stats/runs?bucket=hour&recent=0&since=${new Date(since).toISOString()}`);

  const draw = () => {
    const start = windowStart();
    const end = Math.floor(Date.now() / HOUR) * HOUR;
    const hourly = [];
    for (let t = start; t <= end; t += HOUR) {
      hourly.push({ start: t, ...(hours.get(t) ?? { counts: {}, total: 0, p50Ms: null, p95Ms: null }) });
    }
    const byDay = range === '7d';
    const columns = [];
    for (const b of hourly) {
      const key = byDay ? Math.floor(b.start / DAY) * DAY : b.start;
      let column = columns.at(-1);
      if (!column || column.key !== key) {
        column = { key, label: byDay ? dayLabel(key) : hourLabel(key), counts: {} };
        columns.push(column);
      }
      for (const [state, n] of Object.entries(b.counts)) column.counts[state] = (column.counts[state] ?? 0) + n;
    }
    const width = Math.max(240, runsBox.clientWidth || 960);
    runsCard.dataset.since = new Date(start).toISOString();
    replaceChart(runsBox, stackedBars({ columns, width, height: width < 500 ? 180 : 220, id: 'runs-chart',
      describe: (c, total) => `${byDay ? c.label : `${c.label}–${hourLabel(c.key + HOUR)}`}: ${countsText(c.counts, total)}`,
      onKey: arrowKeys('.col') }));
    const sum = {};
    for (const c of columns) for (const [state, n] of Object.entries(c.counts)) sum[state] = (sum[state] ?? 0) + n;
    const all = Object.values(sum).reduce((a, b) => a + b, 0);
    clear(totals, `${all} ${all === 1 ? 'run' : 'runs'} ended in the ${RANGES[range].label.toLowerCase()}`,
      all ? ': ' : '', STATES.filter(st => sum[st.state]).map((st, i) => [i ? ' · ' : '',
        h('span', { 'data-state': st.state, 'data-count': sum[st.state] }, `${sum[st.state]} ${st.label}`)]));
    const durationsWidth = Math.max(240, durationsBox.clientWidth || 960);
    replaceChart(durationsBox, durationLines({ id: 'durations-chart', width: durationsWidth, height: durationsWidth < 500 ? 160 : 200,
      points: hourly.map(b => ({ key: b.start, label: byDay ? (b.start % DAY === 0 ? dayLabel(b.start) : '') : hourLabel(b.start),
        p50: b.p50Ms, p95: b.p95Ms, total: b.total })),
      format: v => duration(Math.round(v)),
      describe: p => `${dayLabel(p.key)} ${hourLabel(p.key)}: p50 ${duration(p.p50)}, p95 ${duration(p.p95)} (${p.total} ${p.total === 1 ? 'run' : 'runs'})`,
      onKey: arrowKeys('.pt') }));
  };

  const choose = async key => {
    range = key;
    toggles.forEach(b => b.setAttribute('aria-pressed', String(b.id === `range-${key}`)));
    await reload();
  };

  // Everything in the window again: what is held is replaced only once the answer is in, so nothing blinks.
  const reload = async () => {
    dirty.clear();
    const stats = await fetchSince(windowStart());
    hours.clear();
    merge(stats);
    draw();
  };

  const readDirty = coalesce(async () => {
    if (dirty.size === 0) return;
    const since = Math.min(...dirty);
    dirty.clear();
    merge(await fetchSince(since));
    draw();
  });

  const onRun = run => {
    if (!TERMINAL.has(run.state) || !run.endedAt) return;
    const hour = Math.floor(Date.parse(run.endedAt) / HOUR) * HOUR;
    if (hour < windowStart()) return;
    dirty.add(hour);
    readDirty();
  };

  // The window slides with the clock; the picture is redrawn from what is held, nothing is read.
  const tick = setInterval(draw, 60_000);
  let width = 0;
  const resized = new ResizeObserver(() => {
    const now = runsBox.clientWidth + durationsBox.clientWidth;
    if (runsBox.clientWidth && Math.abs(now - width) > 8) {
      width = now;
      draw();
    }
  });
  resized.observe(runsBox);
  resized.observe(durationsBox);
  const stop = () => { clearInterval(tick); resized.disconnect(); };
  return { element, reload, onRun, stop };
}

function countsText(counts, total) {
  if (!total) return 'no runs ended';
  return `${total} ${total === 1 ? 'run' : 'runs'}: ${STATES.filter(st => counts[st.state]).map(st => `${counts[st.state]} ${st.label}`).join(', ')}`;
}

// Hours as 24-hour local times, short enough for an axis in any locale.
const hourLabel = ms => `${String(new Date(ms).getHours()).padStart(2, '0')}:${String(new Date(ms).getMinutes()).padStart(2, '0')}`;
const dayLabel = ms => new Date(ms).toLocaleDateString([], { timeZone: 'UTC', weekday: 'short', day: 'numeric' });
