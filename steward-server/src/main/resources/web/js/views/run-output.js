// The output console: follows the run live from its `output` events, with ANSI colours rendered and a search that
// highlights matches and steps through them; pages through the stored log by byte offset (GET /output) for logs
// too big to replay, and downloads the whole of it as a file (GET /output/download).
import { output, session } from '../api.js';
import { h, clear, toast } from '../lib/dom.js';
import { windowedList } from '../lib/windowed-list.js';
import { ansiNodes, parseAnsi, stripAnsi } from '../lib/ansi.js';

const PAGE = 64 * 1024;

export function outputConsole(runId) {
  let query = '';
  let matches = [];
  let current = -1;
  const live = windowedList({ id: 'console', label: 'Process output', rowHeight: 20, height: 300,
    render: (line, i) => h('div', { class: `out${line.stream === 'stderr' ? ' err' : ''}${matches[current] === i ? ' current' : ''}`,
      'data-line': i }, query ? highlighted(line.text, query) : ansiNodes(line.text)) });
  live.follow(true);
  const followBox = h('input', { type: 'checkbox', id: 'follow', checked: true });
  followBox.addEventListener('change', () => live.follow(followBox.checked));

  // Search: matches are line numbers, found again as lines arrive; Enter / Shift+Enter step through them.
  const search = h('input', { type: 'search', id: 'output-search', placeholder: 'Search output', 'aria-label': 'Search output' });
  const matchInfo = h('span', { id: 'output-matches', class: 'muted', 'aria-live': 'polite' });
  const find = () => {
    query = search.value.toLowerCase();
    matches = [];
    if (query) live.items.forEach((line, i) => { if (line.plain.toLowerCase().includes(query)) matches.push(i); });
    current = matches.length ? Math.min(Math.max(current, 0), matches.length - 1) : -1;
    showMatch();
  };
  const showMatch = () => {
    matchInfo.textContent = !query ? '' : matches.length ? `${current + 1} of ${matches.length}` : 'no match';
    if (current >= 0) {
      followBox.checked = false;
      live.follow(false);
      live.show(matches[current]);
    }
    live.repaint();
  };
  const step = by => {
    if (!matches.length) return;
    current = (current + by + matches.length) % matches.length;
    showMatch();
  };
  search.addEventListener('input', () => { current = 0; find(); });
  search.addEventListener('keydown', e => {
    if (e.key === 'Enter') { e.preventDefault(); step(e.shiftKey ? -1 : 1); }
  });
  const prevMatch = h('button', { type: 'button', id: 'search-prev', 'aria-label': 'Previous match', onclick: () => step(-1) }, '↑');
  const nextMatch = h('button', { type: 'button', id: 'search-next', 'aria-label': 'Next match', onclick: () => step(1) }, '↓');

  // Paging view: offsets of the pages seen so far, so Previous can step back.
  const pageText = h('pre', { class: 'code page', id: 'output-page', tabindex: 0, 'aria-label': 'Output page', hidden: true });
  const pageInfo = h('span', { class: 'muted', 'aria-live': 'polite' });
  const offsets = [];
  let next = 0;
  const load = async offset => {
    const chunk = await output(runId, offset, PAGE);
    pageText.hidden = false;
    clear(pageText, chunk.text ? chunk.text.split('\n').map((l, i) => [i ? '\n' : '', ansiNodes(l)]) : '(no output at this offset)');
    next = chunk.next;
    clear(pageInfo, `bytes ${offset}–${chunk.next}${chunk.more ? '' : ' (end)'}`);
    nextButton.disabled = !chunk.more && chunk.next === offset;
  };
  const firstButton = h('button', { type: 'button', id: 'page-first', onclick: () => { offsets.length = 0; offsets.push(0); load(0); } }, 'First page');
  const prevButton = h('button', { type: 'button', id: 'page-prev', onclick: () => { if (offsets.length > 1) offsets.pop(); load(offsets.at(-1) ?? 0); } }, 'Previous');
  const nextButton = h('button', { type: 'button', id: 'page-next', onclick: () => { offsets.push(next); load(next); } }, 'Next page');

  // The server sends the whole output as a file (Content-Disposition names it). The API wants the token in a header,
  // which a plain link cannot send (a token in a link's URL would leak with every copied link), so the click fetches
  // the file with the header and hands it to the browser under the server's name; the href stays the real address.
  const fileUrl = `/api/v1/runs/${encodeURIComponent(runId)}/output/download`;
  const download = h('a', { href: fileUrl, id: 'output-download', class: 'button', download: `run-${runId}.log`, onclick: async event => {
    event.preventDefault();
    try {
      const response = await fetch(fileUrl, { headers: { Authorization: `Bearer ${session.token}` } });
      if (!response.ok) {
        const text = await response.text();
        let message = text;
        try { message = JSON.parse(text).error?.message ?? text; } catch { /* not JSON: the text itself */ }
        throw new Error(message);
      }
      const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? `run-${runId}.log`;
      const url = URL.createObjectURL(await response.blob());
      const a = h('a', { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (e) {
      toast(`The output could not be downloaded: ${e.message}`);
    }
  } }, 'Download output');

  return {
    element: h('section', { 'aria-labelledby': 'output-h' }, h('h2', { id: 'output-h' }, 'Output'),
      h('p', { class: 'toolbar' }, h('label', { class: 'check' }, followBox, ' Follow live'),
        search, prevMatch, nextMatch, matchInfo, download),
      live.element,
      h('p', { class: 'toolbar' }, firstButton, prevButton, nextButton, pageInfo),
      pageText),
    line(data) {
      const plain = stripAnsi(data.line);
      live.push({ stream: data.stream, text: data.line, plain });
      if (query && plain.toLowerCase().includes(query)) {
        matches.push(live.items.length - 1);
        if (current < 0) current = 0;
        matchInfo.textContent = `${current + 1} of ${matches.length}`;
      }
    },
  };
}

/** The line's ANSI segments with every match of `query` (lower case) wrapped in <mark>. */
function highlighted(line, query) {
  const nodes = ansiNodes(line);
  const plain = stripAnsi(line).toLowerCase();
  const ranges = [];
  for (let at = plain.indexOf(query); at >= 0; at = plain.indexOf(query, at + query.length)) ranges.push([at, at + query.length]);
  if (!ranges.length) return nodes;
  const segments = parseAnsi(line);
  let offset = 0;
  return nodes.map((node, i) => {
    const text = segments[i].text;
    const start = offset;
    offset += text.length;
    const parts = [];
    let pos = 0;
    for (const [a, b] of ranges) {
      const from = Math.max(a - start, pos);
      const to = Math.min(b - start, text.length);
      if (to <= from) continue;
      if (from > pos) parts.push(text.slice(pos, from));
      parts.push(h('mark', {}, text.slice(from, to)));
      pos = to;
    }
    if (!parts.length) return node;
    if (pos < text.length) parts.push(text.slice(pos));
    if (typeof node === 'string') return parts;
    clear(node, parts);
    return node;
  });
}
