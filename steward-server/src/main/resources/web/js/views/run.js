// Runs: the recent list, and one run live. Events arrive over SSE (the browser resumes after Last-Event-ID on
// reconnect, so nothing repeats or goes missing); the panels built from the run's JSON are refreshed from a poll
// the events trigger, at most a few times a second.
import { api, can, eventStream } from '../api.js';
import { h, clear, toast } from '../lib/dom.js';
import { ago, duration, badge, json, TERMINAL } from '../lib/format.js';
import { progressBar } from '../lib/progress.js';
import { windowedList } from '../lib/windowed-list.js';
import { liveKeyValueTable, threadsTable, processesTable, secretMark, MASK } from './run-panels.js';
import { outputConsole } from './run-output.js';
import { timelineChart } from './run-timeline.js';
import { fanOutGrid } from './run-fanout.js';
import { eventWords } from './run-words.js';

const KINDS = ['state', 'progress', 'status', 'event', 'log', 'shared', 'thread', 'process', 'output'];

export async function runList(main) {
  const { runs } = await api('/runs?limit=100');
  clear(main, h('h1', {}, 'Runs'), h('div', { class: 'table-scroll' }, h('table', { class: 'table', id: 'runs' },
    h('thead', {}, h('tr', {}, ['Run', 'Script', 'State', 'Node', 'Invoker', 'Created', 'Duration'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, runs.map(r => h('tr', {},
      h('td', { class: 'mono' }, h('a', { href: `#/runs/${r.id}` }, r.id)), h('td', {}, r.script), h('td', {}, badge(r.state)),
      h('td', {}, r.node ?? ''), h('td', {}, r.invoker ?? ''), h('td', {}, ago(r.createdAt)), h('td', {}, duration(r.durationMs))))))));
}

export async function runPage(main, id) {
  // The timeline summary is asked for at once, beside the run: the chart draws from it, then from live events.
  const summary = api(`/runs/${id}/timeline`).catch(e => ({ failed: e }));
  let run = await api(`/runs/${id}`);
  const head = h('div', { id: 'run-head' });
  const panels = h('div', { class: 'grid' });
  const tables = h('div', { class: 'grid' });
  const statusTable = liveKeyValueTable('status-values', 'Status values');
  const sharedTable = liveKeyValueTable('shared', 'Shared data');
  tables.append(statusTable.element, sharedTable.element);
  // When each status value and shared key last changed, from their events.
  const statusAt = {};
  const sharedAt = {};
  const chart = timelineChart({ onOpenRaw: m => showRaw({ seq: m.seq, kind: m.kind, time: new Date(m.t).toISOString(), data: m.data }) });
  const grid = fanOutGrid();
  const children = windowedList({ id: 'children', label: 'Child runs', rowHeight: 28, height: 240,
    render: c => h('div', { class: 'child' }, h('span', { class: 'child-node' }, c.node), ' ', badge(c.state), ' ',
      h('a', { href: `#/runs/${c.id}` }, c.id), ' ', h('span', { class: 'muted' }, c.result === undefined ? '' : json(c.result))) });
  const childSection = h('section', { 'aria-labelledby': 'children-h', hidden: true },
    h('h2', { id: 'children-h' }, 'Children'), h('p', { id: 'children-count', class: 'muted' }), children.element);

  // Timeline: every event kept in order; the filter picks which kinds are shown.
  const events = [];
  const filter = h('select', { id: 'event-filter' }, h('option', { value: '' }, 'all kinds'), KINDS.map(k => h('option', { value: k }, k)));
  // Each event in words; its raw JSON one click away, in the pane under the list. The same button (or mark) again
  // hides it: each button says whether its event's JSON is the one shown.
  const raw = h('pre', { class: 'code ev-raw', id: 'event-raw', tabindex: 0, 'aria-label': 'Raw event', 'aria-live': 'polite', hidden: true });
  let rawSeq = null;
  const showRaw = e => {
    rawSeq = rawSeq === e.seq ? null : e.seq;
    raw.hidden = rawSeq === null;
    raw.textContent = rawSeq === null ? '' : JSON.stringify(e, null, 2);
    timeline.repaint();
  };
  const timeline = windowedList({ id: 'timeline', label: 'Event timeline', rowHeight: 24, height: 260,
    render: e => h('div', { class: `ev ev-${e.kind}` }, h('span', { class: 'mono muted' }, `#${e.seq} ${e.time.slice(11, 23)} `),
      h('span', { class: 'ev-kind' }, e.kind), ' ', h('span', { class: 'ev-words' }, eventWords(e)),
      e.data?.secret === true ? [' ', secretMark()] : null, ' ',
      h('button', { type: 'button', class: 'link ev-json', 'aria-label': `Raw JSON of event ${e.seq}`, 'aria-controls': 'event-raw',
        'aria-expanded': String(rawSeq === e.seq), onclick: () => showRaw(e) }, 'JSON')) });
  timeline.follow(true);
  const refilter = () => timeline.set(filter.value ? events.filter(e => e.kind === filter.value) : events.slice());
  filter.addEventListener('change', refilter);
  const console = outputConsole(id);

  const render = () => {
    const live = !TERMINAL.has(run.state);
    clear(head,
      h('h1', {}, run.script, ' ', h('span', { class: 'muted' }, `v${run.version}`), ' ', h('span', { id: 'run-state' }, badge(run.state))),
      h('p', { class: 'muted' }, h('span', { class: 'mono' }, run.id), ` · node ${run.node ?? '—'} · by ${run.invoker ?? '?'}`,
        ` · ${duration(run.durationMs)}`, run.parent ? [' · parent ', h('a', { href: `#/runs/${run.parent}` }, run.parent)] : ''),
      h('div', { id: 'run-progress' }, progressBar(run.status?.progress, 'Run progress')),
      h('p', { class: 'toolbar' },
        can('operator') && live ? h('button', { type: 'button', id: 'cancel', class: 'danger', onclick: cancel }, 'Cancel') : null,
        can('operator') ? h('button', { type: 'button', id: 'rerun', onclick: rerun }, 'Re-run') : null),
      run.error ? h('p', { class: 'error', role: 'alert' }, `${run.error.script ?? ''}${run.error.line ? ':' + run.error.line : ''} ${run.error.message}`) : null,
      run.result !== null && run.result !== undefined ? h('p', {}, 'Result: ', h('code', { id: 'run-result' }, json(run.result))) : null);
    statusTable.update(run.status?.values, statusAt);
    sharedTable.update(run.shared, sharedAt);
    clear(panels, threadsTable(run), processesTable(run));
    const kids = run.children ?? [];
    grid.set(kids);
    childSection.hidden = kids.length === 0;
    document.getElementById('children-count') && (document.getElementById('children-count').textContent =
      `${kids.length} children: ` + Object.entries(count(kids)).map(([s, n]) => `${n} ${s}`).join(', '));
    children.set(kids);
  };
  const cancel = async () => {
    try {
      run = await api(`/runs/${id}/cancel`, { method: 'POST' });
      render();
    } catch (e) {
      toast(e.message);
    }
  };
  const rerun = async () => {
    // Secret args reach the console masked: re-running with "***" in their place would run with the wrong values.
    if (Object.values(run.args ?? {}).includes(MASK)) {
      toast(`This run had secret args, which the console never sees: run it again with steward run ${run.script} --secret-arg-env NAME=VARIABLE`);
      return;
    }
    // A fan-out's parent publishes its selector and options as the status value 'fanOut': repeat them too.
    const fanOut = run.status?.values?.fanOut ?? {};
    const again = await api('/runs', { method: 'POST', body: { script: run.script, version: run.version, args: run.args ?? {}, ...fanOut } });
    location.hash = `#/runs/${again.id}`;
  };

  clear(main, head, chart.element, grid.element, tables, h('section', { 'aria-labelledby': 'timeline-h' }, h('h2', { id: 'timeline-h' }, 'Events'),
    h('p', { class: 'toolbar' }, h('label', { for: 'event-filter' }, 'Show'), filter), timeline.element, raw),
  console.element, childSection, panels);
  render();
  const first = await summary;
  if (first.failed) toast(`The timeline could not be read: ${first.failed.message}`);
  else chart.load(first);

  // Poll the run's JSON after events, throttled: one request in flight, another only if events came meanwhile.
  let polling = false;
  let again = false;
  const refresh = async () => {
    if (polling) { again = true; return; }
    polling = true;
    try {
      do {
        again = false;
        run = await api(`/runs/${id}`);
        render();
        await new Promise(resolve => setTimeout(resolve, 250));
      } while (again);
    } finally {
      polling = false;
    }
  };

  // The server resumes after Last-Event-ID, so repeats should not happen; the guard keeps the timeline exact even
  // if a proxy replays a stretch.
  let lastSeq = 0;
  let ended = false;
  let stream = null;
  let retry = null;
  let delay = 1000;
  const onEvent = message => {
    const event = JSON.parse(message.data);
    if (event.seq <= lastSeq) return;
    lastSeq = event.seq;
    delay = 1000;
    events.push(event);
    if (!filter.value || filter.value === event.kind) timeline.push(event);
    if (event.kind === 'output') console.line(event.data);
    if (event.kind === 'status') statusAt[event.data.name] = event.time;
    if (event.kind === 'shared') sharedAt[event.data.key] = event.time;
    chart.event(event);
    if (event.kind === 'progress') run.status = { ...run.status, progress: event.data };
    if (event.kind === 'progress') clear(document.getElementById('run-progress') ?? h('div'), progressBar(event.data, 'Run progress'));
    if (event.kind === 'state' && TERMINAL.has(event.data.state)) {
      ended = true;
      stream.close();
    }
    refresh();
  };
  // A dropped connection: EventSource reconnects by itself and sends Last-Event-ID. A stream the browser gave up
  // on (the server answered an error): a new one from the last event seen, after a growing delay.
  const open = () => {
    stream = eventStream(id, lastSeq);
    for (const kind of KINDS) stream.addEventListener(kind, onEvent);
    stream.addEventListener('message', onEvent);
    stream.onerror = () => {
      if (ended || stream.readyState !== EventSource.CLOSED) return;
      refresh();
      retry = setTimeout(open, delay);
      delay = Math.min(delay * 2, 30000);
    };
  };
  open();
  return () => {
    ended = true;
    clearTimeout(retry);
    stream.close();
    chart.stop();
  };
}

function count(children) {
  const out = {};
  for (const c of children) out[c.state] = (out[c.state] ?? 0) + 1;
  return out;
}
