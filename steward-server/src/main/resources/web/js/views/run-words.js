// A run's events in words, by kind: `phase → build` for a status value, `web-1 = up` for a script event, and so on.
// The raw JSON stays one click away on the run page.
import { json } from '../lib/format.js';
import { stripAnsi } from '../lib/ansi.js';

/** "thread 3" for run-<id>/3: the run's id says nothing on its own page. */
export function threadName(name) {
  const n = String(name ?? '').split('/').at(-1);
  return /^\d+$/.test(n) ? `thread ${n}` : String(name ?? '');
}

export function eventWords(e) {
  const d = e.data ?? {};
  switch (e.kind) {
    case 'status': return `${d.name} → ${json(d.value)}`;
    case 'event': return d.data === undefined || d.data === null ? String(d.name) : `${d.name} = ${json(d.data)}`;
    case 'progress': return `progress ${typeof d.fraction === 'number' ? Math.round(d.fraction * 100) + ' %' : '?'}${d.message ? ' · ' + d.message : ''}`;
    case 'state': return `state ${d.state}${d.error?.message ? ': ' + d.error.message : ''}`;
    case 'log': return `${d.level ?? 'info'}: ${d.message}`;
    case 'shared': return d.removed ? `shared ${d.key} removed` : `shared ${d.key} = ${json(d.value)}`;
    case 'thread':
      if (d.action === 'started') return `${threadName(d.name)} started${d.parent ? ' by ' + threadName(d.parent) : ''}`;
      return `${threadName(d.name)} ${d.error ? 'failed: ' + d.error : 'ended'}`;
    case 'process':
      if (d.action === 'started') return `process ${d.pid} started: ${stripAnsi(Array.isArray(d.command) ? d.command.join(' ') : json(d.command))}`;
      return `process ${d.pid} exited ${d.exitCode}${d.timedOut ? ' (timed out)' : d.killed ? ' (killed)' : ''} after ${d.durationMs} ms`;
    case 'output': return `${d.stream}: ${stripAnsi(String(d.line))}`;
    case 'message': return `message ${json(d.message)}`;
    default: return json(d);
  }
}
