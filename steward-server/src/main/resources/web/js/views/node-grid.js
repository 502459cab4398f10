// The nodes as a grid, as AWX shows hosts: one cell per node, coloured and patterned by state, shaded by load
// (the 1-minute load average per CPU), with its name, state, load and running runs as text, grouped by the values of
// a label chosen in a select (or not grouped). A click, Enter or Space on a cell shows that node's runs.
import { h, clear } from '../lib/dom.js';

const STATE_WORDS = { online: 'online', offline: 'offline', pending: 'pending approval', revoked: 'revoked' };

/** The label keys any node has, sorted: the choices of "Group by". */
export function labelKeys(nodes) {
  return [...new Set(nodes.flatMap(n => Object.keys(n.labels ?? {})))].sort();
}

/** low / medium / high / unknown: the load per CPU, for the cell's shade (and said in words too). */
export function loadLevel(node) {
  const load = node.info?.load;
  const cpus = node.info?.cpus;
  if (typeof load !== 'number' || load < 0 || !cpus) return 'unknown';
  const perCpu = load / cpus;
  return perCpu < 0.5 ? 'low' : perCpu < 1 ? 'medium' : 'high';
}

/**
 * The grid element. `groupBy` is a label key or '' for one group of all; nodes without that label form the last
 * group, "no <key>". `onPick(name)` is called when a cell is chosen.
 */
export function nodeGrid(nodes, groupBy, onPick) {
  const groups = new Map();
  for (const n of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    const value = groupBy ? n.labels?.[groupBy] : '';
    const key = value === undefined ? null : value;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(n);
  }
  const order = [...groups.keys()].sort((a, b) => (a === null) - (b === null) || String(a).localeCompare(String(b)));
  return h('div', { class: 'node-grid', id: 'node-grid' }, order.map(key => {
    const members = groups.get(key);
    const title = !groupBy ? 'All nodes' : key === null ? `no ${groupBy}` : `${groupBy}=${key}`;
    const counts = Object.entries(members.reduce((c, n) => ({ ...c, [n.state]: (c[n.state] ?? 0) + 1 }), {}))
      .map(([state, n]) => `${n} ${STATE_WORDS[state] ?? state}`).join(', ');
    const headingId = `grid-group-${groupId(title)}`;
    return h('section', { class: 'grid-group', 'data-group': title, 'aria-labelledby': headingId },
      h('h3', { id: headingId }, title, ' ', h('span', { class: 'muted' }, `(${members.length}: ${counts})`)),
      h('ul', { class: 'cells' }, members.map(n => h('li', {}, cell(n, onPick)))));
  }));
}

function cell(n, onPick) {
  const level = loadLevel(n);
  const load = typeof n.info?.load === 'number' && n.info.load >= 0 ? n.info.load.toFixed(2) : '—';
  const words = `${n.name}: ${STATE_WORDS[n.state] ?? n.state}, load ${load}${n.info?.cpus ? ` on ${n.info.cpus} CPUs` : ''} `
    + `(${level}), ${n.running} running`;
  return h('button', { type: 'button', class: `cell node-${n.state} load-${level}`, 'data-node': n.name,
    'data-state': n.state, 'data-load': level, title: words, 'aria-label': words, onclick: () => onPick(n.name) },
  h('span', { class: 'cell-name' }, n.name),
  h('span', { class: 'cell-state' }, STATE_WORDS[n.state] ?? n.state),
  h('span', { class: 'cell-load' }, `load ${load} · ${level}`),
  h('span', { class: 'cell-running' }, `${n.running} running`));
}

const groupId = text => text.replace(/[^A-Za-z0-9_-]+/g, '-');
