// The run page's panels built from the run's JSON: status values, shared data, threads, processes.
import { h } from '../lib/dom.js';
import { duration, json } from '../lib/format.js';

export function keyValueTable(id, caption, values) {
  const entries = Object.entries(values ?? {});
  return h('table', { class: 'table', id },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Value'))),
    h('tbody', {}, entries.length === 0 ? h('tr', {}, h('td', { colspan: 2, class: 'muted' }, 'none')) :
      entries.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'mono' }, shown(v))))));
}

/**
 * A key/value table updated in place: a row per key that stays the same element while its value changes (so the
 * eye, a screen reader and a selection stay where they were), with the time of each key's last change.
 */
export function liveKeyValueTable(id, caption) {
  const rows = new Map();
  const body = h('tbody', {});
  const empty = h('tr', { class: 'empty' }, h('td', { colspan: 3, class: 'muted' }, 'none'));
  body.append(empty);
  const table = h('table', { class: 'table kv-live', id },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ['Key', 'Value', 'Changed'].map(t => h('th', { scope: 'col' }, t)))), body);
  return {
    element: table,
    /** values: the current map; changed: key → ISO time of its last change (when known). */
    update(values, changed = {}) {
      const entries = Object.entries(values ?? {});
      for (const [key, row] of rows) {
        if (!(key in (values ?? {}))) {
          row.tr.remove();
          rows.delete(key);
        }
      }
      for (const [key, value] of entries) {
        let row = rows.get(key);
        if (!row) {
          const valueCell = h('td', { class: 'mono kv-value' });
          const timeCell = h('td', { class: 'muted kv-time' });
          row = { tr: h('tr', { 'data-key': key }, h('th', { scope: 'row' }, key), valueCell, timeCell), valueCell, timeCell, shown: undefined, at: undefined };
          rows.set(key, row);
          body.append(row.tr);
        }
        const text = JSON.stringify(value);
        if (row.shown !== text) {
          row.shown = text;
          row.valueCell.replaceChildren(...[shown(value)].flat());
          row.tr.classList.remove('kv-flash');
          void row.tr.offsetWidth; // restart the highlight of a changed row
          row.tr.classList.add('kv-flash');
        }
        const at = changed[key];
        if (at && row.at !== at) {
          row.at = at;
          row.timeCell.textContent = new Date(at).toLocaleTimeString();
          row.timeCell.title = at;
        }
      }
      empty.hidden = entries.length > 0;
    },
  };
}

/** The server masks secret values as "***" before they ever reach a client; show that one with a lock. */
export const MASK = '***';

export function secretMark() {
  return h('span', { class: 'secret', title: 'secret: masked by the server, only the run itself sees the value' }, '🔒 secret');
}

function shown(value) {
  return value === MASK ? [json(value), ' ', secretMark()] : json(value);
}

export function threadsTable(run) {
  const threads = run.threads ?? [];
  return h('table', { class: 'table', id: 'threads' },
    h('caption', {}, `Threads (${threads.length} live, ${run.threadsStarted ?? 0} started)`),
    h('thead', {}, h('tr', {}, ['Name', 'State'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, threads.length === 0 ? h('tr', {}, h('td', { colspan: 2, class: 'muted' }, 'none')) :
      threads.map(t => h('tr', {}, h('td', {}, t.name ?? json(t)), h('td', {}, t.state ?? t.action ?? '')))));
}

export function processesTable(run) {
  const processes = run.processes ?? [];
  return h('table', { class: 'table', id: 'processes' },
    h('caption', {}, `Processes (${processes.length})`),
    h('thead', {}, h('tr', {}, ['PID', 'Command', 'Running for'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, processes.length === 0 ? h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'none')) :
      processes.map(p => h('tr', {}, h('td', { class: 'mono' }, p.pid), h('td', { class: 'mono' }, json(p.command ?? p.cmd ?? '')),
        h('td', {}, p.startedAt ? duration(Date.now() - Date.parse(p.startedAt)) : duration(p.runningMs))))));
}
