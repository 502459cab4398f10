// A fan-out parent's children as a grid: one cell per node, coloured by the child's state and saying it in words,
// counts per state, filters by state and by the node's labels (from /api/v1/nodes). A cell is a link to the child.
import { api } from '../api.js';
import { h, clear } from '../lib/dom.js';

const ORDER = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'LOST'];

export function fanOutGrid() {
  let children = [];
  let labels = new Map(); // node name → {key: value}
  const stateFilter = h('select', { id: 'fanout-state', 'aria-label': 'Show children in state' }, h('option', { value: '' }, 'every state'));
  const labelFilter = h('select', { id: 'fanout-label', 'aria-label': 'Show children on nodes with label' }, h('option', { value: '' }, 'every label'));
  const countList = h('ul', { id: 'fanout-counts', class: 'fo-counts', 'aria-label': 'Children per state' });
  const grid = h('ul', { id: 'fanout-grid', class: 'fo-grid', 'aria-label': 'Child runs by node' });
  const shown = h('p', { id: 'fanout-shown', class: 'muted', 'aria-live': 'polite' });
  const section = h('section', { 'aria-labelledby': 'fanout-h', hidden: true },
    h('h2', { id: 'fanout-h' }, 'Nodes'), countList,
    h('p', { class: 'toolbar' }, h('label', { for: 'fanout-state' }, 'State'), stateFilter,
      h('label', { for: 'fanout-label' }, 'Label'), labelFilter), shown, grid);
  stateFilter.addEventListener('change', () => paint());
  labelFilter.addEventListener('change', () => paint());
  let labelsAsked = false;

  // Lists are rebuilt only when what they hold changes: the page polls the run often, and an open drop-down or a
  // cell under the pointer must not be replaced beneath the user.
  const options = (select, values, text) => {
    const signature = JSON.stringify(values.map(v => [v, text(v)]));
    if (select.dataset.signature === signature) return;
    select.dataset.signature = signature;
    const chosen = select.value;
    clear(select, select.options[0], values.map(v => h('option', { value: v }, text(v))));
    select.value = values.includes(chosen) ? chosen : '';
  };

  function paint() {
    const byState = {};
    for (const c of children) byState[c.state] = (byState[c.state] ?? 0) + 1;
    const states = Object.keys(byState).sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
    const countsSignature = JSON.stringify(byState);
    if (countList.dataset.signature !== countsSignature) {
      countList.dataset.signature = countsSignature;
      clear(countList, states.map(st => h('li', { class: `fo-count state-${st.toLowerCase()}`, 'data-state': st },
        h('strong', {}, String(byState[st])), ` ${st.toLowerCase()}`)));
    }
    options(stateFilter, states, st => `${st.toLowerCase()} (${byState[st]})`);
    const pairs = new Set();
    for (const c of children) for (const [k, v] of Object.entries(labels.get(c.node) ?? {})) pairs.add(`${k}=${v}`);
    options(labelFilter, [...pairs].sort(), p => p);
    const [lk, lv] = labelFilter.value ? labelFilter.value.split(/=(.*)/) : [];
    const visible = children.filter(c => (!stateFilter.value || c.state === stateFilter.value)
      && (!lk || String((labels.get(c.node) ?? {})[lk]) === lv));
    shown.textContent = visible.length === children.length ? `${children.length} nodes` : `${visible.length} of ${children.length} nodes shown`;
    const cells = JSON.stringify(visible.map(c => [c.id, c.node, c.state, c.error?.message ?? null]));
    if (grid.dataset.signature === cells) return;
    grid.dataset.signature = cells;
    clear(grid, visible.map(c => h('li', {}, h('a', { href: `#/runs/${c.id}`, class: `fo-cell state-${String(c.state).toLowerCase()}`,
      'data-node': c.node, 'data-state': c.state, title: `${c.node}: ${c.state}${c.error?.message ? ' — ' + c.error.message : ''}` },
    h('span', { class: 'fo-node' }, c.node), h('span', { class: 'fo-state' }, String(c.state).toLowerCase())))));
  }

  return {
    element: section,
    async set(kids) {
      children = kids ?? [];
      section.hidden = children.length === 0;
      if (children.length && !labelsAsked) {
        labelsAsked = true;
        try {
          const { nodes } = await api('/nodes');
          labels = new Map(nodes.map(n => [n.name, n.info?.labels ?? n.labels ?? {}]));
        } catch {
          // Without the nodes' labels the grid still shows states; the label filter stays empty.
        }
      }
      paint();
    },
  };
}
