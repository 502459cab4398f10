// Invoke: script and version, arguments as key/value rows or JSON, an optional node selector with a live preview
// of the nodes it matches, and a timeout. On success it opens the run page.
import { api, encodeScript } from '../api.js';
import { h, clear } from '../lib/dom.js';
import { matchNodes } from '../lib/selector.js';

export async function invokePage(main, preset) {
  const [{ scripts }, { nodes }] = await Promise.all([api('/scripts'), api('/nodes')]);
  const script = h('select', { id: 'invoke-script', required: true },
    scripts.map(s => h('option', { value: s.name }, s.name)));
  if (preset) script.value = preset;
  const version = h('select', { id: 'invoke-version' });
  const loadVersions = async () => {
    const { versions } = await api(`/scripts/${encodeScript(script.value)}/history`);
    clear(version, h('option', { value: '' }, 'latest'), versions.map(v => h('option', { value: v.version }, `v${v.version}`)).reverse());
  };
  script.addEventListener('change', loadVersions);
  if (scripts.length) await loadVersions();

  const args = argsEditor();
  const on = h('input', { id: 'invoke-on', placeholder: 'here (the primary) — or all, web-*, role=web', 'aria-describedby': 'on-preview' });
  const preview = h('p', { id: 'on-preview', class: 'muted', 'aria-live': 'polite' }, 'Runs on the primary.');
  const online = nodes.filter(n => n.state === 'online');
  on.addEventListener('input', () => {
    const text = on.value.trim();
    if (!text) { preview.textContent = 'Runs on the primary.'; return; }
    try {
      const names = matchNodes(text, online);
      preview.textContent = names.length ? `Matches ${names.length} online node${names.length > 1 ? 's' : ''}: ${names.join(', ')}`
        : 'Matches no online node.';
    } catch (e) {
      preview.textContent = `Not a valid selector: ${e.message}`;
    }
  });
  const timeout = h('input', { id: 'invoke-timeout', placeholder: 'e.g. 30s, 5m (optional)', pattern: '\\d+(ms|s|m|h)' });
  const error = h('p', { class: 'error', role: 'alert' });
  const submit = async e => {
    e.preventDefault();
    error.textContent = '';
    try {
      const body = { script: script.value, args: args.value() };
      if (version.value) body.version = Number(version.value);
      if (on.value.trim()) body.on = on.value.trim();
      if (timeout.value.trim()) body.timeout = timeout.value.trim();
      const run = await api('/runs', { method: 'POST', body });
      location.hash = `#/runs/${run.id}`;
    } catch (err) {
      error.textContent = err.message;
    }
  };
  clear(main, h('h1', {}, 'Invoke a script'),
    scripts.length === 0 ? h('p', {}, 'No scripts yet: push one first.') :
      h('form', { class: 'stack', id: 'invoke-form', onsubmit: submit },
        h('label', { for: 'invoke-script' }, 'Script'), script,
        h('label', { for: 'invoke-version' }, 'Version'), version,
        h('fieldset', {}, h('legend', {}, 'Arguments'), args.element),
        h('label', { for: 'invoke-on' }, 'Nodes'), on, preview,
        h('label', { for: 'invoke-timeout' }, 'Timeout'), timeout,
        h('p', {}, h('button', { type: 'submit', id: 'invoke' }, 'Invoke')),
        error));
}

/** Arguments as key/value rows, or as a JSON object for structured values; switching converts between them. */
function argsEditor() {
  const rows = h('div', { class: 'rows' });
  const jsonBox = h('textarea', { id: 'args-json', rows: 6, class: 'mono', hidden: true, 'aria-label': 'Arguments as JSON' });
  const mode = h('input', { type: 'checkbox', id: 'args-mode' });
  let count = 0;
  const addRow = (key = '', value = '') => {
    const n = ++count;
    const row = h('div', { class: 'row' },
      h('input', { 'aria-label': `Argument ${n} name`, class: 'arg-key', value: key }),
      h('input', { 'aria-label': `Argument ${n} value`, class: 'arg-value', value: typeof value === 'string' ? value : JSON.stringify(value) }),
      h('button', { type: 'button', 'aria-label': `Remove argument ${n}`, onclick: () => row.remove() }, '×'));
    rows.append(row);
  };
  const fromRows = () => {
    const out = {};
    for (const row of rows.children) {
      const key = row.querySelector('.arg-key').value.trim();
      if (key) out[key] = row.querySelector('.arg-value').value;
    }
    return out;
  };
  const add = h('button', { type: 'button', id: 'add-arg', onclick: () => addRow() }, 'Add argument');
  mode.addEventListener('change', () => {
    if (mode.checked) {
      jsonBox.value = JSON.stringify(fromRows(), null, 2);
    } else {
      rows.replaceChildren();
      for (const [k, v] of Object.entries(JSON.parse(jsonBox.value || '{}'))) addRow(k, v);
    }
    rows.hidden = add.hidden = mode.checked;
    jsonBox.hidden = !mode.checked;
  });
  return {
    element: [h('label', { class: 'check' }, mode, ' Edit as JSON'), rows, add, jsonBox],
    value: () => {
      if (!mode.checked) return fromRows();
      const parsed = JSON.parse(jsonBox.value || '{}');
      if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('arguments must be a JSON object');
      return parsed;
    },
  };
}
