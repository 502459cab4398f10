// Coordination: the locks and semaphores, events, queues, pools and variables that runs share, live.
//
// Polled (GET /coordination and /vars, once a second) rather than driven by the change stream: /api/v1/changes
// speaks of runs and nodes only, and a lock taken, a message put or a variable set changes no run, so the stream
// would never say when to re-read. Two small reads a second per open page cost the primary little. The next poll
// is due a second after the previous one began, but never starts while one is still out, so a slow primary gets no
// pile-up. A section is redrawn only when what it shows changed, so keyboard focus and a text selection stay put
// between changes; the relative times ("12 s ago") are refreshed in place.
import { api } from '../api.js';
import { h, clear } from '../lib/dom.js';
import { ago } from '../lib/format.js';

const EVERY_MS = 1000;

export async function coordinationPage(main) {
  const status = h('p', { id: 'live-status', class: 'live muted', role: 'status', 'data-state': 'connecting' }, 'Connecting…');
  const sections = {
    locks: section('locks', 'Locks and semaphores'),
    events: section('events', 'Events'),
    queues: section('queues', 'Queues'),
    pools: section('pools', 'Resource pools'),
    vars: section('vars', 'Variables'),
  };
  clear(main, h('div', { class: 'coord' }, h('h1', {}, 'Coordination'), status,
    h('p', { class: 'muted' }, 'What runs on every node share and wait on: held, awaited, queued and set.'),
    Object.values(sections).map(s => s.element)));

  const draw = (coordination, vars) => {
    sections.locks.show(coordination.locks, locksTable);
    sections.events.show(coordination.events, eventsTable);
    sections.queues.show(coordination.queues, queuesTable);
    sections.pools.show(coordination.pools, poolsList);
    sections.vars.show(vars.vars, varsTable);
    refreshTimes(main);
  };
  const read = () => Promise.all([api('/coordination'), api('/vars')]);
  // The first read is awaited, so that a token without access shows the router's error instead of an empty page.
  draw(...await read());
  showStatus(status, null);

  let stopped = false;
  let timer = null;
  const tick = async () => {
    const began = Date.now();
    try {
      const answers = await read();
      if (stopped) return;
      draw(...answers);
      showStatus(status, null);
    } catch (e) {
      if (stopped) return;
      showStatus(status, e);
    }
    timer = setTimeout(tick, Math.max(0, EVERY_MS - (Date.now() - began)));
  };
  timer = setTimeout(tick, EVERY_MS);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

// The indicator changes only when the state does: it is a live region, and a text that changed every second
// would be read out every second.
function showStatus(status, error) {
  const state = error ? 'polling' : 'live';
  const text = error ? `Cannot refresh (${error.message}); trying again every second.` : 'Live: refreshed every second.';
  if (status.dataset.state === state && status.textContent === text) return;
  status.dataset.state = state;
  status.textContent = text;
}

/** A titled card whose body is rebuilt only when its data differ from what it shows. */
function section(id, title) {
  const body = h('div', { id });
  const element = h('section', { class: 'card', 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), body);
  let shown = null;
  return {
    element,
    show(items, build) {
      const key = JSON.stringify(items ?? []);
      if (key === shown) return;
      shown = key;
      // A link that had focus is focused again after the redraw (same target), so keyboard users keep their place.
      const focused = body.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
      clear(body, build(items ?? []));
      if (focused) body.querySelector(`a[href="${CSS.escape(focused)}"]`)?.focus();
    },
  };
}

function table(id, columns, rows) {
  return h('table', { class: 'table stacking', id: `${id}-table` },
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows));
}

/** A cell that names its column, for the stacked layout of narrow screens (see coordination.css). */
const cell = (label, attrs, ...content) => h('td', { 'data-label': label, ...attrs }, ...content);
const nameCell = name => h('th', { scope: 'row', class: 'mono', 'data-label': 'Name' }, name);
const empty = (...text) => h('p', { class: 'muted empty' }, ...text);

function locksTable(locks) {
  if (locks.length === 0) return empty('No lock or semaphore is held or awaited.');
  return table('locks', ['Name', 'Kind', 'Held', 'Holders', 'Waiters (in serving order)'], locks.map(lock =>
    h('tr', { 'data-lock': lock.name },
      nameCell(lock.name),
      cell('Kind', {}, lock.kind),
      cell('Held', { class: 'held' }, `${lock.holders.length} of ${lock.permits}`),
      cell('Holders', { class: 'holders' }, people(lock.holders, 'none', false)),
      cell('Waiters', { class: 'waiters' }, people(lock.waiters, 'none', true)))));
}

function eventsTable(events) {
  if (events.length === 0) return empty('No event is posted or awaited.');
  return table('events', ['Name', 'State', 'Waiting'], events.map(event =>
    h('tr', { 'data-event': event.name },
      nameCell(event.name),
      cell('State', {}, h('span', { class: `badge ${event.posted ? 'state-posted' : 'state-unposted'}` },
        event.posted ? 'posted' : 'not posted')),
      cell('Waiting', { class: 'waiting' }, `${event.waiters.length} waiting`))));
}

function queuesTable(queues) {
  if (queues.length === 0) return empty('No queue has messages or takers.');
  return table('queues', ['Name', 'Depth', 'Takers waiting'], queues.map(queue =>
    h('tr', { 'data-queue': queue.name },
      nameCell(queue.name),
      cell('Depth', { class: 'depth' }, `${queue.depth} ${queue.depth === 1 ? 'message' : 'messages'}`),
      cell('Takers waiting', { class: 'takers' }, `${queue.waiters.length} waiting`))));
}

function poolsList(pools) {
  if (pools.length === 0) return empty('No resource pool exists: add an entry with ', h('code', {}, 'steward pool add POOL ENTRY'), '.');
  return pools.map(pool => h('div', { class: 'pool', 'data-pool': pool.name },
    h('h3', {}, h('span', { class: 'mono' }, pool.name), ' ',
      h('span', { class: 'muted' }, `${pool.free} of ${pool.entries.length} free`)),
    pool.entries.length === 0 ? empty('No entries.') : table(`pool-${pool.name}`, ['Entry', 'Value', 'Holder'],
      pool.entries.map(entry => h('tr', { 'data-entry': entry.entry },
        h('th', { scope: 'row', class: 'mono', 'data-label': 'Entry' }, entry.entry),
        cell('Value', { class: 'mono value' }, compact(entry.value)),
        cell('Holder', { class: 'holder' }, entry.holder ? holder(entry.holder, false) : h('span', { class: 'badge state-free' }, 'free'),
          entry.leaving ? h('span', { class: 'muted' }, ' (removed: leaves when released)') : null)))),
    h('p', { class: 'pool-waiters' }, h('span', { class: 'muted' }, 'Waiters (by priority, then arrival): '),
      people(pool.waiters, 'none', true))));
}

function varsTable(vars) {
  if (vars.length === 0) return empty('No variable is set.');
  const sorted = [...vars].sort((a, b) => a.scope.localeCompare(b.scope) || a.name.localeCompare(b.name));
  return table('vars', ['Scope', 'Name', 'Value', 'Version', 'Expires'], sorted.map(v =>
    h('tr', { 'data-var': `${v.scope}/${v.name}` },
      cell('Scope', { class: 'mono' }, v.scope),
      h('th', { scope: 'row', class: 'mono', 'data-label': 'Name' }, v.name),
      cell('Value', { class: 'mono value' }, compact(v.value)),
      cell('Version', { class: 'version' }, v.version),
      cell('Expires', {}, v.expiresAt ? when(v.expiresAt, 'until') : 'never'))));
}

/** Holders or waiters: an ordered list when the order is the serving order. */
function people(list, none, ordered) {
  if (list.length === 0) return h('span', { class: 'muted' }, none);
  return h(ordered ? 'ol' : 'ul', { class: 'people' }, list.map(x => h('li', {}, holder(x, ordered))));
}

// A run holds or waits (linked to its page), or a client of the API does (run is null; thread names the client).
function holder(x, waiting) {
  const who = x.run ? h('a', { href: `#/runs/${encodeURIComponent(x.run)}`, class: 'mono' }, x.run)
    : ['client ', h('span', { class: 'mono' }, x.thread ?? '?')];
  return h('span', { class: 'who' }, who, x.node ? ` on ${x.node}` : '',
    x.priority !== undefined && x.priority !== null ? ` · priority ${x.priority}` : '',
    waiting ? ' · waiting since ' : ' · since ', when(x.since, 'ago'));
}

// Compact JSON for any value (strings keep their quotes, so "42" and 42 differ); long ones are cut, with the
// cut said in the text rather than only by an ellipsis glyph.
function compact(value) {
  const text = JSON.stringify(value) ?? 'null';
  return text.length <= 200 ? text : `${text.slice(0, 200)}… (${text.length} characters)`;
}

/** A time shown relative to now; refreshTimes keeps the text current between redraws. */
function when(iso, direction) {
  if (!iso) return '—';
  const el = h('time', { datetime: iso, 'data-relative': direction, title: new Date(iso).toLocaleString() });
  el.textContent = relative(iso, direction);
  return el;
}

function refreshTimes(root) {
  for (const el of root.querySelectorAll('time[data-relative]')) {
    const text = relative(el.getAttribute('datetime'), el.dataset.relative);
    if (el.textContent !== text) el.textContent = text;
  }
}

function relative(iso, direction) {
  if (direction === 'ago') return ago(iso);
  const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
  if (seconds <= 0) return 'now';
  if (seconds < 60) return `in ${seconds} s`;
  if (seconds < 3600) return `in ${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `in ${Math.round(seconds / 3600)} h`;
  return new Date(iso).toLocaleString();
}
