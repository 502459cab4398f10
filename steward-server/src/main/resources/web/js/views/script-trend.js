// A script's recent runs as a trend, as Jenkins draws a job's builds: one bar per run, newest on the right, as tall
// as the run took, filled with its state's colour and pattern; a bar is a link to its run. Above it, the success rate
// of the script's runs that ended in the last 30 days. Live: a change of one of this script's runs re-reads this
// script's statistics only.
import { api } from '../api.js';
import { h, clear } from '../lib/dom.js';
import { duration, ago } from '../lib/format.js';
import { s, STATES, ensurePatterns, fillOf, legend, niceMax, stateLabel, arrowKeys, replaceChart } from '../lib/charts.js';
import { followChanges, coalesce } from '../lib/changes.js';

const RECENT = 30;

export function scriptTrend(name) {
  const rate = h('p', { id: 'success-rate', class: 'big' }, 'Loading…');
  const box = h('div', { class: 'chart-box', id: 'trend-box' });
  const element = h('section', { class: 'card chart-card', id: 'script-trend', 'aria-labelledby': 'trend-h' },
    h('h2', { id: 'trend-h' }, `Recent runs (newest right, up to ${RECENT})`), rate,
    legend([...STATES, { state: 'RUNNING', label: 'running or queued' }], 'trend-legend'), box);
  let recent = [];

  // A trend that cannot be read says so in its card; the rest of the script page stays usable.
  const read = () => readStats().catch(e => clear(rate, h('span', { class: 'error', role: 'alert' },
    `Cannot read the runs of ${name}: ${e.message}`)));
  const readStats = async () => {
    const stats = await api(`/stats/runs?bucket=day&since=720h&recent=${RECENT}&script=${encodeURIComponent(name)}`);
    const mine = stats.scripts.find(x => x.script === name) ?? { runs: 0, succeeded: 0, successRate: null, recent: [] };
    recent = mine.recent;
    clear(rate, mine.successRate === null ? 'No runs ended in the last 30 days.'
      : [h('span', { id: 'success-rate-value' }, `${Math.round(mine.successRate * 100)} %`),
        h('span', { class: 'muted' }, ` succeeded (${mine.succeeded} of ${mine.runs} runs that ended in the last 30 days)`)]);
    draw();
  };

  const draw = () => {
    if (recent.length === 0) {
      clear(box, h('p', { class: 'muted' }, 'No runs yet.'));
      return;
    }
    // A live redraw keeps the keyboard on the bar it was on.
    replaceChart(box, trendChart([...recent].reverse(), Math.max(240, box.clientWidth || 600)));
  };

  const refresh = coalesce(read);
  const start = () => {
    const stopFollowing = followChanges({ reload: refresh, onRun: run => { if (run.script === name) refresh(); } });
    let width = 0;
    const resized = new ResizeObserver(() => {
      if (box.clientWidth && Math.abs(box.clientWidth - width) > 8) { width = box.clientWidth; draw(); }
    });
    resized.observe(box);
    return () => { stopFollowing(); resized.disconnect(); };
  };
  return { element, read, start };
}

/** The bars, oldest left: a run without a duration yet (live, or never started) is a short patterned stub. */
function trendChart(runs, width) {
  ensurePatterns();
  const height = 160;
  const pad = { left: 56, right: 8, top: 8, bottom: 8 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const top = niceMax(Math.max(1, ...runs.map(r => r.durationMs ?? 0)));
  // Newest on the right edge, as Jenkins draws it: a short history leaves the space on the left empty.
  const slots = Math.max(runs.length, 12);
  const step = innerW / slots;
  const first = slots - runs.length;
  const barW = Math.max(2, step * 0.75);
  const y = v => pad.top + innerH - (v / top) * innerH;
  const axis = [0, top / 2, top].map(v => s('g', { class: 'tick' },
    s('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }),
    s('text', { x: pad.left - 4, y: y(v) + 4, 'text-anchor': 'end' }, duration(Math.round(v)))));
  const bars = runs.map((run, i) => {
    const ms = run.durationMs;
    // At least 6 px, so that even a run of a few ms shows its state's pattern.
    const barH = ms === null || ms === undefined ? 6 : Math.max(6, innerH - (y(ms) - pad.top));
    const x = pad.left + (first + i) * step + (step - barW) / 2;
    const words = `Run ${run.id}: ${stateLabel(run.state)}, ${ms === null || ms === undefined ? 'no duration yet' : duration(ms)}`
      + `${run.startedAt ? `, started ${ago(run.startedAt)}` : ''}`;
    const live = run.state === 'RUNNING' || run.state === 'QUEUED';
    // One Tab stop for the chart, the newest bar; the arrows move it along (a roving tabindex, as the dashboard's).
    return s('a', { href: `#/runs/${run.id}`, class: 'bar', 'data-run': run.id, 'data-key': run.id, 'data-state': run.state,
      tabindex: i === runs.length - 1 ? 0 : -1, 'aria-label': words, onkeydown: arrowKeys('a.bar') },
      s('title', {}, words),
      s('rect', { x: pad.left + (first + i) * step, width: step, y: pad.top, height: innerH, class: 'hit' }),
      s('rect', { x, width: barW, y: pad.top + innerH - barH, height: barH, fill: fillOf(live ? 'RUNNING' : run.state),
        class: `seg${live ? ' live' : ''}` }));
  });
  return s('svg', { id: 'trend-chart', class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group',
    'aria-label': `The last ${runs.length} runs, oldest first` }, axis, bars);
}
