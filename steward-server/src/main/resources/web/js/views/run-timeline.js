// The run's timeline as a Gantt chart in SVG, drawn here (no library: a few hundred lines of rectangles and text
// do not need one). One lane per script thread and local process, bars from start to end coloured by outcome and
// labelled in words, with a pattern for the bad ones, so that colour is never the only sign; status changes,
// script events and state changes as marks on the time axis and progress as a line under them.
//
// It starts from GET /runs/{id}/timeline (computed by the store) and then applies the run's live events after the
// summary's `throughSeq`, so a running run's bars grow without re-reading anything. A parent whose children are
// more than FOLD lanes shows them as one group lane that opens on click: a 1,000-thread run is a handful of lanes.
import { h, clear } from '../lib/dom.js';
import { json, duration } from '../lib/format.js';
import { threadName, eventWords } from './run-words.js';
import { stripAnsi } from '../lib/ansi.js';

const SVG = 'http://www.w3.org/2000/svg';
const FOLD = 12;
const LANE = 22;
const AXIS = 22;
const MARKS = 26;
const PROGRESS = 30;
const MAX_ZOOM = 1024;

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** Lanes by id, marks, start/end in epoch ms; `apply` folds a live event in. */
export function timelineModel(summary) {
  const model = {
    start: summary.start ? Date.parse(summary.start) : null,
    end: summary.end ? Date.parse(summary.end) : null,
    throughSeq: summary.throughSeq ?? 0,
    lanesTotal: summary.lanesTotal ?? 0,
    lanes: new Map(),
    marks: (summary.marks ?? []).map(m => ({ ...m, t: Date.parse(m.time) })),
    apply(e) {
      if (e.seq <= model.throughSeq) return false;
      model.throughSeq = e.seq;
      const t = Date.parse(e.time);
      model.start ??= t;
      const d = e.data ?? {};
      if (e.kind === 'thread' || e.kind === 'process') {
        const id = e.kind === 'thread' ? String(d.name) : String(d.pid);
        const key = `${e.kind}:${id}`;
        if (d.action === 'started') {
          model.lanesTotal++;
          model.lanes.set(key, { kind: e.kind, id, name: e.kind === 'thread' ? id : (d.command ?? []).join(' '),
            parent: e.kind === 'thread' ? d.parent ?? null : d.thread ?? null, s: t, e: null, outcome: 'running', detail: null });
        } else {
          const lane = model.lanes.get(key);
          if (lane) Object.assign(lane, ended(e.kind, d, t));
        }
      } else if (['status', 'event', 'progress', 'state'].includes(e.kind)) {
        model.marks.push({ seq: e.seq, kind: e.kind, t, data: d });
        if (e.kind === 'state' && !['QUEUED', 'RUNNING'].includes(d.state)) {
          model.end = t;
          for (const lane of model.lanes.values()) if (lane.e === null) lane.outcome = 'unknown';
        }
      } else return false;
      return true;
    },
  };
  for (const l of summary.lanes ?? []) {
    model.lanes.set(`${l.kind}:${l.id}`, { ...l, s: Date.parse(l.start), e: l.end ? Date.parse(l.end) : null });
  }
  return model;
}

function ended(kind, d, t) {
  if (kind === 'thread') return { e: t, outcome: d.error ? 'failed' : 'ok', detail: d.error ?? null };
  return { e: t, detail: `exit ${d.exitCode}`,
    outcome: d.timedOut ? 'timed_out' : d.killed ? 'killed' : d.exitCode === 0 ? 'ok' : 'failed' };
}

const OUTCOME_TEXT = { ok: 'ok', failed: 'failed', running: 'running', timed_out: 'timed out', killed: 'killed', unknown: 'no end' };

/**
 * The rows to draw: lanes in start order, except that the children of a parent with more than FOLD of them are one
 * group row (at its first child's place) until opened.
 */
function rows(model, open) {
  const threads = new Map();
  const siblings = new Map();
  const add = (map, key, lane) => { if (!map.has(key)) map.set(key, []); map.get(key).push(lane); };
  for (const lane of model.lanes.values()) {
    if (lane.kind === 'thread') {
      threads.set(lane.id, lane);
      if (lane.parent) add(siblings, `thread:${lane.parent}`, lane);
    }
  }
  const folded = key => (siblings.get(key)?.length ?? 0) > FOLD;
  // Where a lane folds into: its siblings by parent; the processes of threads that fold go with them, so a
  // thousand threads that each ran a process are two group lanes, not a thousand process lanes.
  const groupOf = lane => {
    if (!lane.parent) return null;
    if (lane.kind === 'thread') return `thread:${lane.parent}`;
    const launcher = threads.get(lane.parent);
    if (launcher?.parent && folded(`thread:${launcher.parent}`)) return `process:of:${launcher.parent}`;
    return `process:${lane.parent}`;
  };
  const groups = new Map();
  for (const lane of model.lanes.values()) {
    const key = groupOf(lane);
    if (key && key.startsWith('process')) add(siblings, key, lane);
  }
  const label = (key, n) => {
    const [kind, a] = key.split(':');
    if (kind === 'thread') return `${n} threads of ${threadName(key.slice(7))}`;
    if (a === 'of') return `${n} processes of the threads of ${threadName(key.slice(11))}`;
    return `${n} processes of ${threadName(key.slice(8))}`;
  };
  const out = [];
  for (const lane of model.lanes.values()) {
    const key = groupOf(lane);
    if (key && folded(key)) {
      if (!groups.has(key)) {
        const row = { group: true, key, lanes: siblings.get(key), open: open.has(key), label: label(key, siblings.get(key).length), members: [] };
        groups.set(key, row);
        out.push(row);
      }
      // An open group's members follow its row, not their own start places among the others.
      if (open.has(key)) groups.get(key).members.push({ lane, nested: true });
    } else out.push({ lane });
  }
  return out.flatMap(r => (r.group && r.open ? [r, ...r.members] : [r]));
}

function counts(lanes) {
  const c = {};
  for (const l of lanes) c[l.outcome] = (c[l.outcome] ?? 0) + 1;
  return c;
}

function laneLabel(lane) {
  return lane.kind === 'thread' ? threadName(lane.name) : `pid ${lane.id} ${stripAnsi(lane.name)}`;
}

// Tick spacing: the first of these that gives at most ~8 ticks across the view.
const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 3e4, 6e4, 12e4, 3e5, 6e5, 18e5, 36e5, 72e5, 216e5, 432e5, 864e5];

export function timelineChart({ onOpenRaw } = {}) {
  let model = null;
  let zoom = 1;
  let pan = 0; // fraction of the whole span at the view's left edge
  const open = new Set();
  let scheduled = false;
  const svgHolder = h('div', { class: 'tl-scroll', id: 'timeline-chart', tabindex: 0, role: 'group',
    'aria-label': 'Run timeline: + and − zoom, ← and → move, 0 resets' });
  const summary = h('p', { id: 'timeline-summary', class: 'muted', 'aria-live': 'polite' });
  const zoomText = h('span', { id: 'timeline-zoom', class: 'muted' }, '1×');
  const setZoom = (z, anchor = 0.5) => {
    const before = pan + anchor / zoom;
    zoom = Math.min(MAX_ZOOM, Math.max(1, z));
    pan = Math.min(Math.max(0, before - anchor / zoom), 1 - 1 / zoom);
    zoomText.textContent = `${zoom >= 10 ? Math.round(zoom) : zoom.toFixed(zoom % 1 ? 1 : 0)}×`;
    draw();
  };
  const move = by => { pan = Math.min(Math.max(0, pan + by / zoom), 1 - 1 / zoom); draw(); };
  const toolbar = h('p', { class: 'toolbar' },
    h('button', { type: 'button', id: 'timeline-zoom-in', 'aria-label': 'Zoom in', onclick: () => setZoom(zoom * 2) }, '+'),
    h('button', { type: 'button', id: 'timeline-zoom-out', 'aria-label': 'Zoom out', onclick: () => setZoom(zoom / 2) }, '−'),
    h('button', { type: 'button', id: 'timeline-zoom-reset', onclick: () => setZoom(1) }, 'Whole run'),
    h('button', { type: 'button', 'aria-label': 'Earlier', onclick: () => move(-0.25) }, '←'),
    h('button', { type: 'button', 'aria-label': 'Later', onclick: () => move(0.25) }, '→'),
    zoomText,
    h('span', { class: 'tl-legend', 'aria-hidden': 'true' }, ['ok', 'failed', 'running', 'killed'].map(o =>
      h('span', { class: `tl-key o-${o}` }, OUTCOME_TEXT[o]))));
  svgHolder.addEventListener('keydown', e => {
    if (e.target !== svgHolder) return;
    if (e.key === '+' || e.key === '=') setZoom(zoom * 2);
    else if (e.key === '-' || e.key === '_') setZoom(zoom / 2);
    else if (e.key === '0') setZoom(1);
    else if (e.key === 'ArrowLeft') move(-0.25);
    else if (e.key === 'ArrowRight') move(0.25);
    else return;
    e.preventDefault();
  });
  // Ctrl+wheel (and a trackpad's pinch, which Chromium sends as one) zooms at the pointer; a plain wheel scrolls.
  svgHolder.addEventListener('wheel', e => {
    if (!e.ctrlKey && !e.metaKey) return;
    e.preventDefault();
    const box = svgHolder.getBoundingClientRect();
    const left = labelWidth();
    const anchor = Math.min(1, Math.max(0, (e.clientX - box.left - left) / Math.max(1, box.width - left - 8)));
    setZoom(zoom * (e.deltaY < 0 ? 1.25 : 0.8), anchor);
  }, { passive: false });

  const labelWidth = () => (svgHolder.clientWidth < 560 ? 96 : 200);

  function draw() {
    if (scheduled || !model) return;
    scheduled = true;
    requestAnimationFrame(paint);
  }

  function paint() {
    scheduled = false;
    // Every paint draws a new SVG (a live run's every second): a group lane that had the keyboard focus gets it back.
    const focused = svgHolder.contains(document.activeElement) ? document.activeElement.getAttribute('data-group') : null;
    const width = Math.max(320, svgHolder.clientWidth || 800);
    const left = labelWidth();
    const plotW = width - left - 8;
    const now = Date.now();
    const t0 = model.start ?? now;
    const t1 = Math.max(model.end ?? now, t0 + 1);
    const span = t1 - t0;
    const v0 = t0 + pan * span;
    const vSpan = span / zoom;
    const x = t => left + ((t - v0) / vSpan) * plotW;
    const clampX = t => Math.min(left + plotW, Math.max(left, x(t)));
    const list = rows(model, open);
    const top = AXIS + MARKS + PROGRESS;
    const height = top + list.length * LANE + 6;
    const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'tl', role: 'img',
      'aria-labelledby': 'timeline-summary' });
    svg.append(s('defs', {},
      s('pattern', { id: 'tl-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        s('rect', { width: 6, height: 6, class: 'tl-hatch-bg' }), s('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'tl-hatch-line' })),
      s('pattern', { id: 'tl-hatch-killed', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(-45)' },
        s('rect', { width: 6, height: 6, class: 'tl-hatchk-bg' }), s('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'tl-hatchk-line' })),
      s('pattern', { id: 'tl-dots', width: 6, height: 6, patternUnits: 'userSpaceOnUse' },
        s('rect', { width: 6, height: 6, class: 'tl-dots-bg' }), s('circle', { cx: 3, cy: 3, r: 1.2, class: 'tl-dots-dot' })),
      s('clipPath', { id: 'tl-plot' }, s('rect', { x: left, y: 0, width: plotW, height }))));

    // Axis: ticks at a round step, labelled from the run's start.
    const step = STEPS.find(st => vSpan / st <= 8) ?? STEPS.at(-1);
    const axis = s('g', { class: 'tl-axis' });
    for (let t = Math.ceil((v0 - t0) / step) * step; t <= v0 - t0 + vSpan; t += step) {
      const tx = x(t0 + t);
      axis.append(s('line', { x1: tx, x2: tx, y1: AXIS - 4, y2: height, class: 'tl-grid' }),
        s('text', { x: tx + 2, y: AXIS - 8, class: 'tl-tick' }, `+${duration(Math.round(t))}`));
    }
    svg.append(axis);

    // Marks: status changes (◆), script events (▲), state changes (a line across), with their words as titles.
    const marks = s('g', { class: 'tl-marks', 'clip-path': 'url(#tl-plot)' });
    svg.append(s('text', { x: 4, y: AXIS + 16, class: 'tl-rowlabel' }, 'status · events'));
    let lastLabelEnd = -Infinity;
    // Whether a later mark's shape would sit on a label that reaches to px `until`.
    const labelled = model.marks.filter(m => m.kind === 'status' || m.kind === 'event');
    const place = new Map(labelled.map((m, i) => [m, i]));
    const nextMarkWithin = (m, until) => {
      const next = labelled[place.get(m) + 1];
      return next !== undefined && x(next.t) - 7 < until && x(next.t) > x(m.t);
    };
    for (const m of model.marks) {
      if (m.kind === 'progress') continue;
      const mx = x(m.t);
      if (mx < left - 4 || mx > left + plotW + 4) continue;
      const words = eventWords({ kind: m.kind, data: m.data });
      const y = AXIS + 12;
      const shape = m.kind === 'state' ? s('line', { x1: mx, x2: mx, y1: AXIS, y2: height, class: 'tl-state' })
        : m.kind === 'status' ? s('path', { d: `M${mx} ${y - 6}l6 6l-6 6l-6 -6z`, class: 'tl-status' })
          : s('path', { d: `M${mx} ${y - 6}l6 11h-12z`, class: 'tl-event' });
      const g = s('g', { class: `tl-mark tl-mark-${m.kind}`, 'data-seq': m.seq }, s('title', {}, words), shape);
      if (onOpenRaw) g.addEventListener('click', () => onOpenRaw(m));
      // A label where there is room for it, so the common case reads without hovering.
      // (Widths are estimated at 6.5 px a character: measuring every label would cost a layout each.)
      const short = words.length > 22 ? words.slice(0, 21) + '…' : words;
      const wide = short.length * 6.5;
      const right = mx + 160 < left + plotW;
      const from = right ? mx + 8 : mx - 8 - wide;
      if (m.kind !== 'state' && from > lastLabelEnd + 8 && !nextMarkWithin(m, right ? from + wide : mx)) {
        g.append(right ? s('text', { x: mx + 8, y: y + 4, class: 'tl-marktext' }, short)
          : s('text', { x: mx - 8, y: y + 4, class: 'tl-marktext', 'text-anchor': 'end' }, short));
        lastLabelEnd = right ? from + wide : mx;
      }
      marks.append(g);
    }
    svg.append(marks);

    // Progress: a step line from 0 % to 100 % in its own band.
    const pTop = AXIS + MARKS;
    svg.append(s('text', { x: 4, y: pTop + 18, class: 'tl-rowlabel' }, 'progress'),
      s('rect', { x: left, y: pTop + 2, width: plotW, height: PROGRESS - 6, class: 'tl-band' }));
    const progress = model.marks.filter(m => m.kind === 'progress' && typeof m.data?.fraction === 'number');
    if (progress.length) {
      const py = f => pTop + PROGRESS - 4 - f * (PROGRESS - 8);
      let d = `M${left} ${py(0)}`;
      let last = 0;
      for (const p of progress) {
        d += `H${clampX(p.t)}V${py(p.data.fraction)}`;
        last = p.data.fraction;
      }
      d += `H${clampX(model.end ?? now)}`;
      svg.append(s('path', { d, class: 'tl-progress', id: 'timeline-progress' },
        s('title', {}, `progress ${Math.round(last * 100)} %`)));
    }

    // Lanes.
    const lanesG = s('g', { class: 'tl-lanes' });
    list.forEach((row, i) => {
      const y = top + i * LANE;
      if (row.group) {
        const c = counts(row.lanes);
        const gs = Math.min(...row.lanes.map(l => l.s));
        const ge = Math.max(...row.lanes.map(l => l.e ?? model.end ?? now));
        const text = `${row.open ? '▾' : '▸'} ${row.label}`;
        const said = Object.entries(c).map(([o, n]) => `${n} ${OUTCOME_TEXT[o] ?? o}`).join(', ');
        const g = s('g', { class: 'tl-group', tabindex: 0, role: 'button', 'aria-expanded': String(row.open),
          'data-group': row.key, 'aria-label': `${text.slice(2)}: ${said}. ${row.open ? 'Close' : 'Open'} the group.` },
        s('rect', { x: 0, y, width, height: LANE, class: 'tl-grouprow' }),
        s('text', { x: 4, y: y + 15, class: 'tl-label' }, fit(text, left)),
        s('rect', { x: clampX(gs), y: y + 3, width: Math.max(2, clampX(ge) - clampX(gs)), height: LANE - 6,
          class: `tl-bar o-${c.failed || c.timed_out || c.killed ? 'failed' : c.running ? 'running' : 'ok'}` }),
        clampX(ge) + 160 < left + plotW
          ? s('text', { x: clampX(ge) + 4, y: y + 15, class: 'tl-bartext' }, said)
          : s('text', { x: clampX(gs) + 4, y: y + 15, class: 'tl-bartext tl-inside' }, said),
        s('title', {}, `${row.label}: ${said}`));
        const toggle = () => { row.open ? open.delete(row.key) : open.add(row.key); paint(); };
        g.addEventListener('click', toggle);
        g.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
        lanesG.append(g);
        return;
      }
      const lane = row.lane;
      const xs = clampX(lane.s);
      const xe = clampX(lane.e ?? model.end ?? now);
      const outcome = OUTCOME_TEXT[lane.outcome] ?? lane.outcome;
      const took = duration((lane.e ?? model.end ?? now) - lane.s);
      const label = laneLabel(lane);
      const g = s('g', { class: `tl-lane tl-${lane.kind}${row.nested ? ' tl-nested' : ''}`, 'data-kind': lane.kind,
        'data-id': lane.id, 'data-outcome': lane.outcome, 'data-start': lane.s },
      s('text', { x: row.nested ? 16 : 4, y: y + 15, class: 'tl-label' }, fit(label, left - (row.nested ? 16 : 4))),
      s('rect', { x: xs, y: y + 3, width: Math.max(2, xe - xs), height: LANE - 6, class: `tl-bar o-${lane.outcome}` }),
      // The words after the bar, or inside its end when the bar reaches the right edge.
      xe + 110 < left + plotW
        ? s('text', { x: xe + 4, y: y + 15, class: 'tl-bartext' }, `${outcome} · ${took}`)
        : s('text', { x: xe - 4, y: y + 15, class: 'tl-bartext tl-inside', 'text-anchor': 'end' }, `${outcome} · ${took}`),
      s('title', {}, `${label}: ${outcome}${lane.detail ? ' (' + lane.detail + ')' : ''}, ${took}`));
      lanesG.append(g);
    });
    svg.append(lanesG);
    svgHolder.replaceChildren(svg);
    if (focused) svgHolder.querySelector(`[data-group="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });

    const shown = model.lanes.size;
    const threads = [...model.lanes.values()].filter(l => l.kind === 'thread').length;
    summary.textContent = `${threads} threads and ${shown - threads} processes` +
      (model.lanesTotal > shown ? ` (the first ${shown} of ${model.lanesTotal} shown)` : '') +
      `, ${model.marks.filter(m => m.kind !== 'progress').length} marks, over ${duration(t1 - t0)}` +
      (model.end ? '' : ' so far');
  }

  function fit(text, px) {
    const chars = Math.floor(px / 7);
    return text.length > chars ? text.slice(0, Math.max(1, chars - 1)) + '…' : text;
  }

  // A live run's bars grow with the clock; and a resize redraws at the new width.
  let ticker = null;
  const resize = new ResizeObserver(() => draw());
  resize.observe(svgHolder);

  return {
    element: h('section', { 'aria-labelledby': 'gantt-h', class: 'tl-section' }, h('h2', { id: 'gantt-h' }, 'Timeline'),
      toolbar, summary, svgHolder),
    load(summaryJson) {
      model = timelineModel(summaryJson);
      draw();
      clearInterval(ticker);
      if (!model.end) ticker = setInterval(() => { if (model.end) clearInterval(ticker); draw(); }, 1000);
    },
    event(e) {
      if (model && model.apply(e)) draw();
    },
    get model() { return model; },
    stop() {
      clearInterval(ticker);
      resize.disconnect();
    },
  };
}
