// Scripts: the list, one script's source (highlighted, numbered), editing and pushing (admin), and its history
// with a diff between any two versions.
import { api, can, encodeScript } from '../api.js';
import { h, clear, toast } from '../lib/dom.js';
import { ago } from '../lib/format.js';
import { codeView } from '../lib/highlight.js';
import { diffLines } from '../lib/diff.js';
import { scriptTrend } from './script-trend.js';

// The trend of the script page shown now: showing another version (or another script) stops the old one's stream.
let stopTrend = null;

export async function scriptList(main) {
  const { scripts } = await api('/scripts');
  clear(main, h('h1', {}, 'Scripts'),
    can('admin') ? h('p', {}, h('button', { type: 'button', id: 'new-script', onclick: () => editor(main, '', '') }, 'New script')) : null,
    scripts.length === 0 ? h('p', { class: 'muted' }, 'No scripts yet.') :
      h('div', { class: 'table-scroll' }, h('table', { class: 'table', id: 'scripts' },
        h('thead', {}, h('tr', {}, ['Name', 'Language', 'Latest version', 'Author', 'Pushed'].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, scripts.map(s => h('tr', {},
          h('td', {}, h('a', { href: `#/scripts/${encodeURIComponent(s.name)}` }, s.name)),
          h('td', {}, s.language), h('td', {}, `v${s.version}`), h('td', {}, s.author ?? ''), h('td', {}, ago(s.createdAt))))))));
}

export async function scriptPage(main, name, version) {
  const script = await api(`/scripts/${encodeScript(name)}${version ? `?version=${version}` : ''}`);
  const { versions } = await api(`/scripts/${encodeScript(name)}/history`);
  const latest = Math.max(...versions.map(v => v.version));
  stopTrend?.();
  const trend = scriptTrend(name);
  clear(main,
    h('h1', {}, name, ' ', h('span', { class: 'muted' }, `v${script.version}${script.version === latest ? ' (latest)' : ''}`)),
    h('p', { class: 'toolbar' },
      can('operator') ? h('a', { class: 'button', id: 'invoke-this', href: `#/invoke/${encodeURIComponent(name)}` }, 'Invoke') : null,
      can('admin') ? h('button', { type: 'button', id: 'edit', onclick: () => editor(main, name, script.source) }, 'Edit') : null,
      h('span', { class: 'muted' }, `${script.language} · by ${script.author ?? '?'} · ${ago(script.createdAt)}`,
        script.deleted ? ' · deleted' : '')),
    trend.element,
    codeView(script.source, `Source of ${name}`),
    history(name, versions, script.version, v => scriptPage(main, name, v)));
  await trend.read();
  stopTrend = trend.start();
  // What the router calls on leaving: whichever trend shows then (History's version links replace it in place).
  return () => { stopTrend?.(); stopTrend = null; };
}

function history(name, versions, shown, open) {
  const options = () => versions.map(v => h('option', { value: v.version }, `v${v.version}`));
  const left = h('select', { id: 'diff-left' }, options());
  const right = h('select', { id: 'diff-right' }, options());
  left.value = String(versions.length > 1 ? versions.at(-2)?.version ?? versions[0].version : versions[0].version);
  right.value = String(Math.max(...versions.map(v => v.version)));
  const out = h('div', { id: 'diff' });
  const show = async () => {
    const [a, b] = await Promise.all([left.value, right.value].map(v => api(`/scripts/${encodeScript(name)}?version=${v}`)));
    clear(out, diffView(diffLines(a.source, b.source)));
  };
  return h('section', { 'aria-labelledby': 'history-h' }, h('h2', { id: 'history-h' }, 'History'),
    h('div', { class: 'table-scroll' }, h('table', { class: 'table', id: 'history' },
      h('thead', {}, h('tr', {}, ['Version', 'Author', 'Pushed', 'sha256'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, versions.map(v => h('tr', { class: v.version === shown ? 'current' : '' },
        h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => open(v.version) }, `v${v.version}`)),
        h('td', {}, v.author ?? ''), h('td', {}, ago(v.createdAt)), h('td', { class: 'mono' }, v.sha256.slice(0, 12))))))),
    h('form', { class: 'inline', onsubmit: e => { e.preventDefault(); show(); } },
      h('label', { for: 'diff-left' }, 'Compare'), left, h('label', { for: 'diff-right' }, 'with'), right,
      h('button', { type: 'submit', id: 'show-diff' }, 'Show diff')),
    out);
}

function diffView(lines) {
  const changed = lines.filter(l => l.op !== ' ').length;
  return [h('p', { class: 'muted' }, changed ? `${changed} changed lines` : 'The versions are identical.'),
    h('pre', { class: 'code diff', tabindex: 0, 'aria-label': 'Diff' }, lines.map(l => h('span', {
      class: l.op === '+' ? 'add' : l.op === '-' ? 'del' : '' },
    `${String(l.left ?? '').padStart(4)} ${String(l.right ?? '').padStart(4)} ${l.op} ${l.text}\n`)))];
}

function editor(main, name, source) {
  const nameInput = h('input', { id: 'script-name', value: name, required: true, placeholder: 'deploy/web.groovy',
    readOnly: Boolean(name) });
  const text = h('textarea', { id: 'script-source', rows: 20, spellcheck: false, class: 'mono' });
  text.value = source;
  const error = h('p', { class: 'error', role: 'alert' });
  clear(main, h('h1', {}, name ? `Edit ${name}` : 'New script'),
    h('form', { class: 'stack', onsubmit: async e => {
      e.preventDefault();
      try {
        const pushed = await api('/scripts', { method: 'POST', body: { name: nameInput.value.trim(), source: text.value } });
        toast(pushed.created ? `Pushed ${pushed.name} v${pushed.version}` : `No change: ${pushed.name} is already v${pushed.version}`);
        location.hash = `#/scripts/${encodeURIComponent(pushed.name)}`;
        if (name) scriptPage(main, pushed.name);
      } catch (err) {
        error.textContent = err.details?.line ? `Line ${err.details.line}: ${err.message}` : err.message;
      }
    } },
    h('label', { for: 'script-name' }, 'Name'), nameInput,
    h('label', { for: 'script-source' }, 'Source'), text,
    h('p', { class: 'toolbar' }, h('button', { type: 'submit', id: 'push' }, 'Push new version'),
      h('button', { type: 'button', onclick: () => window.history.back() }, 'Cancel')),
    error));
  (name ? text : nameInput).focus();
}
