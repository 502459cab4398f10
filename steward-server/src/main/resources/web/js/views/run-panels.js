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
