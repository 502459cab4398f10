// Dashboard: what is alive (nodes), what is running (with progress), what failed lately, and the primary itself.
import { api } from '../api.js';
import { h, clear } from '../lib/dom.js';
import { ago, duration, bytes, badge } from '../lib/format.js';
import { progressBar } from '../lib/progress.js';
import { followChanges, liveStatus, coalesce } from '../lib/changes.js';
import { dashboardCharts } from './dashboard-charts.js';

export async function dashboard(main) {
  const body = h('div', { class: 'grid' });
  const status = liveStatus();
  const charts = dashboardCharts();
  clear(main, h('h1', {}, 'Dashboard'), status, charts.element, body);
  const read = async () => {
    const [server, nodes, running, failed] = await Promise.all([
      api('/server'), api('/nodes'), api('/runs?state=RUNNING&limit=50'), api('/runs?state=FAILED&limit=10'),
    ]);
    clear(body, nodeCard(nodes.nodes), runningCard(running.runs), failedCard(failed.runs), serverCard(server));
  };
  await Promise.all([read(), charts.reload()]);
  // Every card is a query (running, failed, counts): a change re-reads them all, folded so bursts cost little. The
  // charts re-read only the hours that changed.
  const refresh = coalesce(read);
  const stopFollowing = followChanges({ reload: () => Promise.all([refresh(), charts.reload()]),
    onRun: run => { refresh(); charts.onRun(run); }, onNode: refresh, status });
  return () => { stopFollowing(); charts.stop(); };
}

function nodeCard(nodes) {
  const count = state => nodes.filter(n => n.state === state).length;
  return h('section', { class: 'card', 'aria-labelledby': 'd-nodes' }, h('h2', { id: 'd-nodes' }, 'Nodes'),
    h('p', { class: 'big' }, h('span', { id: 'nodes-online' }, count('online')), ' online · ',
      h('span', { id: 'nodes-offline' }, count('offline')), ' offline',
      count('pending') ? ` · ${count('pending')} pending` : ''),
    h('a', { href: '#/nodes' }, 'All nodes'));
}

function runningCard(runs) {
  return h('section', { class: 'card wide', 'aria-labelledby': 'd-running' }, h('h2', { id: 'd-running' }, 'Running now'),
    runs.length === 0 ? h('p', { class: 'muted' }, 'Nothing is running.') :
      h('ul', { class: 'plain', id: 'running-runs' }, runs.map(run => h('li', {},
        h('a', { href: `#/runs/${run.id}` }, run.script), ' ', h('span', { class: 'muted' }, run.node ?? ''), ' ',
        progressBar(run.status?.progress, `Progress of ${run.script}`)))));
}

function failedCard(runs) {
  return h('section', { class: 'card wide', 'aria-labelledby': 'd-failed' }, h('h2', { id: 'd-failed' }, 'Recent failures'),
    runs.length === 0 ? h('p', { class: 'muted' }, 'No failures.') :
      h('ul', { class: 'plain' }, runs.map(run => h('li', {},
        h('a', { href: `#/runs/${run.id}` }, run.script), ' ', badge(run.state), ' ', ago(run.endedAt), ' — ',
        h('span', { class: 'muted' }, run.error?.message ?? '')))));
}

function serverCard(s) {
  const rows = [
    ['Name', s.name], ['Host', s.host], ['OS', `${s.os} ${s.arch}`], ['CPUs', s.cpus], ['Memory', bytes(s.memoryBytes)],
    ['Load', s.load?.toFixed?.(2) ?? s.load], ['JVM', s.jvm], ['Version', s.version], ['Up', duration(s.uptimeMs)],
    ['Active runs', s.runs?.active], ['Launcher', s.launcher?.loaded ? 'loaded' : `failed: ${s.launcher?.error?.message ?? ''}`],
    ['Labels', Object.entries(s.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(', ') || '—'],
  ];
  return h('section', { class: 'card', 'aria-labelledby': 'd-server' }, h('h2', { id: 'd-server' }, 'Primary'),
    h('dl', { class: 'facts', id: 'server-info' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')])));
}
