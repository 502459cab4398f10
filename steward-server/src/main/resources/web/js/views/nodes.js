// Nodes: the primary and every agent with state, labels, last seen and machine info; admins approve or revoke.
import { api, can } from '../api.js';
import { h, clear, toast } from '../lib/dom.js';
import { ago, bytes, badge } from '../lib/format.js';

export async function nodesPage(main) {
  const table = h('div');
  clear(main, h('h1', {}, 'Nodes'), table);
  // The primary cannot be revoked, so it gets no button.
  const primary = (await api('/server')).name;
  const refresh = async () => {
    const { nodes } = await api('/nodes');
    clear(table, h('table', { class: 'table', id: 'nodes' },
      h('thead', {}, h('tr', {}, ['Name', 'State', 'Labels', 'Last seen', 'Machine', can('admin') ? 'Actions' : null]
        .filter(Boolean).map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, nodes.map(n => h('tr', { 'data-node': n.name },
        h('th', { scope: 'row' }, n.name), h('td', {}, badge(n.state)),
        h('td', {}, Object.entries(n.labels ?? {}).map(([k, v]) => h('span', { class: 'label' }, `${k}=${v}`))),
        h('td', {}, ago(n.lastSeen)), h('td', { class: 'muted' }, machine(n.info)),
        can('admin') ? h('td', {}, actions(n, n.name === primary, refresh)) : null)))));
  };
  await refresh();
  const timer = setInterval(() => refresh().catch(() => {}), 5000);
  return () => clearInterval(timer);
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
