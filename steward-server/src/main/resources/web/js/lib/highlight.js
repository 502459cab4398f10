// A small tokenizer for Groovy and JavaScript source: enough to tell comments, strings, numbers and keywords
// apart at a glance. Builds DOM nodes (never HTML strings), one element per line for the line-number gutter.
import { h } from './dom.js';

const KEYWORDS = new Set(('def var let const function return if else for while do switch case default break continue '
  + 'try catch finally throw new class interface extends implements import package static final in instanceof '
  + 'typeof true false null this super void int long double boolean String async await yield of').split(' '));
const TOKEN = /(\/\/[^\n]*|\/\*[\s\S]*?\*\/|"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|(\b\d[\d_]*(?:\.\d+)?\b)|([A-Za-z_$][\w$]*)/g;

/** The source as a list of line elements with highlighted spans. */
export function highlightLines(source) {
  const lines = [[]];
  const push = (text, cls) => {
    const parts = text.split('\n');
    parts.forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part) lines.at(-1).push(cls ? h('span', { class: cls }, part) : part);
    });
  };
  let last = 0;
  for (const m of source.matchAll(TOKEN)) {
    const [text, comment, number, word] = m;
    if (word && !KEYWORDS.has(word)) continue;
    push(source.slice(last, m.index));
    const isComment = comment && (comment.startsWith('//') || comment.startsWith('/*'));
    push(text, isComment ? 'tok-comment' : comment ? 'tok-string' : number ? 'tok-number' : 'tok-keyword');
    last = m.index + text.length;
  }
  push(source.slice(last));
  return lines;
}

/** A code block with line numbers (the gutter is CSS counters, so copying the code copies no numbers). */
export function codeView(source, label) {
  return h('pre', { class: 'code', 'aria-label': label, tabindex: 0 },
    h('code', {}, highlightLines(source).map(parts => h('span', { class: 'line' }, parts, '\n'))));
}
