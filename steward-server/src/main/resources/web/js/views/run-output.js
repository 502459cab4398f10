// The output console: follows the run live from its `output` events, and pages through the stored log by byte
// offset (GET /output) for logs too big to replay.
import { output } from '../api.js';
import { h, clear } from '../lib/dom.js';
import { windowedList } from '../lib/windowed-list.js';

const PAGE = 64 * 1024;

export function outputConsole(runId) {
  const live = windowedList({ id: 'console', label: 'Process output', rowHeight: 20, height: 300,
    render: line => h('div', { class: line.stream === 'stderr' ? 'out err' : 'out' }, line.text) });
  live.follow(true);
  const followBox = h('input', { type: 'checkbox', id: 'follow', checked: true });
  followBox.addEventListener('change', () => live.follow(followBox.checked));

  // Paging view: offsets of the pages seen so far, so Previous can step back.
  const pageText = h('pre', { class: 'code page', id: 'output-page', tabindex: 0, 'aria-label': 'Output page', hidden: true });
  const pageInfo = h('span', { class: 'muted', 'aria-live': 'polite' });
  const offsets = [];
  let next = 0;
  const load = async offset => {
    const chunk = await output(runId, offset, PAGE);
    pageText.hidden = false;
    pageText.textContent = chunk.text || '(no output at this offset)';
    next = chunk.next;
    clear(pageInfo, `bytes ${offset}–${chunk.next}${chunk.more ? '' : ' (end)'}`);
    nextButton.disabled = !chunk.more && chunk.next === offset;
  };
  const firstButton = h('button', { type: 'button', id: 'page-first', onclick: () => { offsets.length = 0; offsets.push(0); load(0); } }, 'First page');
  const prevButton = h('button', { type: 'button', id: 'page-prev', onclick: () => { if (offsets.length > 1) offsets.pop(); load(offsets.at(-1) ?? 0); } }, 'Previous');
  const nextButton = h('button', { type: 'button', id: 'page-next', onclick: () => { offsets.push(next); load(next); } }, 'Next page');

  return {
    element: h('section', { 'aria-labelledby': 'output-h' }, h('h2', { id: 'output-h' }, 'Output'),
      h('p', { class: 'toolbar' }, h('label', { class: 'check' }, followBox, ' Follow live'),
        firstButton, prevButton, nextButton, pageInfo),
      live.element, pageText),
    line(data) { live.push({ stream: data.stream, text: data.line }); },
  };
}
