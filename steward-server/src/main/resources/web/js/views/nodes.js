// Nodes: the primary and every agent with state, labels, last seen and machine info; admins approve or revoke.
import { api, can } from '../api.js';
import { h, clear, toast } from '../lib/dom.js';
import { ago, bytes, badge } from '../lib/format.js';
import { followChanges, liveStatus, coalesce } from '../lib/changes.js';
import { nodeGrid, labelKeys } from './node-grid.js';

// The label the grid is grouped by, kept while the tab lives so that coming back shows the same grouping.
const GROUP_KEY = 'steward.nodes.groupBy';

export async function nodesPage(main) {
  // At phone width the table scrolls within itself rather than push the page sideways.
  const table = h('div', { class: 'table-scroll' });
  const runs = h('section', { id: 'node-runs', 'aria-live': 'polite' });
  let shown = null;
  const status = liveStatus();
  const groupBy = h('select', { id: 'group-by', onchange: () => {
    sessionStorage.setItem(GROUP_KEY, groupBy.value);
    drawGrid();
  } });
  const grid = h('div', { id: 'node-grid-box' });
  let latest = [];
  const pick = name => { shown = name; showRuns(runs, name); runs.scrollIntoView?.({ block: 'nearest' }); };
  const drawGrid = () => {
    const keys = labelKeys(latest);
    const chosen = groupBy.value || sessionStorage.getItem(GROUP_KEY) || '';
    clear(groupBy, h('option', { value: '' }, 'nothing'), keys.map(k => h('option', { value: k }, k)));
    groupBy.value = keys.includes(chosen) ? chosen : '';
    // A live redraw must not take the keyboard focus away from the cell it is on.
    const focused = grid.contains(document.activeElement) ? document.activeElement.dataset.node : null;
    clear(grid, nodeGrid(latest, groupBy.value, pick));
    if (focused) grid.querySelector(`[data-node="${CSS.escape(focused)}"]`)?.focus();
  };
  clear(main, h('h1', {}, 'Nodes'), status,
    h('section', { class: 'card', 'aria-labelledby': 'grid-h' }, h('h2', { id: 'grid-h' }, 'Grid'),
      h('p', { class: 'inline' }, h('label', { for: 'group-by' }, 'Group by label'), groupBy,
        h('span', { class: 'muted' }, 'Colour and pattern: state · shade: load per CPU · choose a node to see its runs')),
      grid),
    h('h2', {}, 'Table'), table, runs);
  // The primary cannot be revoked, so it gets no button.
  const primary = (await api('/server')).name;
  const read = async () => {
    const { nodes } = await api('/nodes');
    latest = nodes;
    drawGrid();
    clear(table, h('table', { class: 'table', id: 'nodes' },
      h('thead', {}, h('tr', {}, ['Name', 'State', 'Labels', 'Last seen', 'Machine', can('admin') ? 'Actions' : null]
        .filter(Boolean).map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, nodes.map(n => h('tr', { 'data-node': n.name },
        h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link node-runs', 'aria-controls': 'node-runs',
          onclick: () => { shown = n.name; showRuns(runs, n.name); } }, n.name)),
        h('td', {}, badge(n.state)),
        h('td', {}, Object.entries(n.labels ?? {}).map(([k, v]) => h('span', { class: 'label' }, `${k}=${v}`))),
        h('td', {}, ago(n.lastSeen)), h('td', { class: 'muted' }, machine(n.info)),
        can('admin') ? h('td', {}, actions(n, n.name === primary, refresh)) : null)))));
  };
  const refresh = coalesce(read);
  await read();
  const refreshRuns = coalesce(() => shown ? showRuns(runs, shown) : Promise.resolve());
  return followChanges({
    reload: () => Promise.all([refresh(), refreshRuns()]),
    onNode: refresh,
    onRun: run => { if (run.node === shown) refreshRuns(); },
    status,
  });
}

// A node's runs, newest first: the runs it executed itself (children of fan-outs on agents included).
async function showRuns(section, node) {
  const { runs } = await api(`/runs?node=${encodeURIComponent(node)}&limit=20`);
  clear(section, h('h2', {}, `Runs on ${node}`), runs.length === 0 ? h('p', { class: 'muted' }, 'No runs yet.')
    : h('div', { class: 'table-scroll' }, h('table', { class: 'table', id: 'runs-of-node' },
      h('thead', {}, h('tr', {}, ['Run', 'Script', 'State', 'Started'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, runs.map(r => h('tr', {},
        h('td', { class: 'mono' }, h('a', { href: `#/runs/${r.id}` }, r.id)), h('td', {}, r.script),
        h('td', {}, badge(r.state)), h('td', {}, ago(r.startedAt))))))));
}

function machine(info) {
  if (!info) return '—';
  return [info.host, info.os && `${info.os} ${info.arch ?? ''}`, info.cpus && `${info.cpus} CPUs`,
    info.memoryBytes && bytes(info.memoryBytes), info.version && `v${info.version}`].filter(Boolean).join(' · ');
}

function actions(node, isPrimary, refresh) {
  const act = verb => async () => {
    try {
      await api(`/nodes/${encodeURIComponent(node.name)}/${verb}`, { method: 'POST' });
      toast(`${node.name}: ${verb}d`);
      await refresh();
    } catch (e) {
      toast(e.message);
    }
  };
  const buttons = [];
  if (node.state === 'pending') buttons.push(h('button', { type: 'button', class: 'approve', onclick: act('approve') }, `Approve ${node.name}`));
  if (!isPrimary && node.state !== 'revoked') {
    buttons.push(h('button', { type: 'button', class: 'danger revoke', onclick: act('revoke') }, `Revoke ${node.name}`));
  }
  return buttons;
}
