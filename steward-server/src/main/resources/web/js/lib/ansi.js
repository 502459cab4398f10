// ANSI SGR colours in process output, rendered as spans. Only SGR (ESC [ … m) is understood: colours 30–37,
// 90–97, their backgrounds, 256-colour and true-colour (38;5;n, 38;2;r;g;b), bold, dim, italic, underline and the
// resets; every other escape sequence is dropped. Text goes in as text nodes and colours as classes or numeric
// rgb() values, so output can never inject markup.
import { h } from './dom.js';

// CSI sequences (ESC [ params final), OSC (ESC ] … BEL or ESC \), and lone two-byte escapes.
const ESCAPE = /\x1b\[([0-9;:?]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?/g;

/** The line as [{text, style}] segments; style: {fg, bg, bold, dim, italic, underline} (fg/bg a class or rgb). */
export function parseAnsi(line) {
  const out = [];
  let style = {};
  let last = 0;
  for (const m of line.matchAll(ESCAPE)) {
    if (m.index > last) out.push({ text: line.slice(last, m.index), style });
    last = m.index + m[0].length;
    if (m[2] === 'm') style = apply(style, m[1]);
  }
  if (last < line.length) out.push({ text: line.slice(last), style });
  return out;
}

/** The line without any escape sequence: what search matches against. */
export function stripAnsi(line) {
  return line.replace(ESCAPE, '');
}

function apply(current, params) {
  const style = { ...current };
  const codes = (params === '' ? '0' : params).split(/[;:]/).map(n => Number(n) || 0);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === 0) { for (const k of Object.keys(style)) delete style[k]; }
    else if (c === 1) style.bold = true;
    else if (c === 2) style.dim = true;
    else if (c === 3) style.italic = true;
    else if (c === 4) style.underline = true;
    else if (c === 22) { delete style.bold; delete style.dim; }
    else if (c === 23) delete style.italic;
    else if (c === 24) delete style.underline;
    else if (c >= 30 && c <= 37) style.fg = `ansi-${c - 30}`;
    else if (c >= 90 && c <= 97) style.fg = `ansi-${c - 90 + 8}`;
    else if (c === 39) delete style.fg;
    else if (c >= 40 && c <= 47) style.bg = `ansi-${c - 40}`;
    else if (c >= 100 && c <= 107) style.bg = `ansi-${c - 100 + 8}`;
    else if (c === 49) delete style.bg;
    else if (c === 38 || c === 48) {
      const key = c === 38 ? 'fg' : 'bg';
      if (codes[i + 1] === 5) {
        style[key] = extended(codes[i + 2] ?? 0);
        i += 2;
      } else if (codes[i + 1] === 2) {
        style[key] = rgb(codes[i + 2], codes[i + 3], codes[i + 4]);
        i += 4;
      }
    }
  }
  return style;
}

// The xterm 256-colour palette: 16 named colours, a 6×6×6 cube and 24 greys.
function extended(n) {
  if (n < 16) return `ansi-${n}`;
  if (n < 232) {
    const v = [0, 95, 135, 175, 215, 255];
    const i = n - 16;
    return rgb(v[Math.floor(i / 36)], v[Math.floor(i / 6) % 6], v[i % 6]);
  }
  const g = 8 + (n - 232) * 10;
  return rgb(g, g, g);
}

function rgb(r, g, b) {
  const c = x => Math.max(0, Math.min(255, Number(x) || 0));
  return { rgb: `rgb(${c(r)}, ${c(g)}, ${c(b)})` };
}

/** The line as DOM: plain text where there is no style, spans with classes (and numeric colours) where there is. */
export function ansiNodes(line) {
  return parseAnsi(line).map(({ text, style }) => {
    const classes = [];
    if (typeof style.fg === 'string') classes.push(`fg-${style.fg}`);
    if (typeof style.bg === 'string') classes.push(`bg-${style.bg}`);
    for (const flag of ['bold', 'dim', 'italic', 'underline']) if (style[flag]) classes.push(`ansi-${flag}`);
    if (classes.length === 0 && !style.fg?.rgb && !style.bg?.rgb) return text;
    const span = h('span', { class: classes.join(' ') }, text);
    if (style.fg?.rgb) span.style.color = style.fg.rgb;
    if (style.bg?.rgb) span.style.backgroundColor = style.bg.rgb;
    return span;
  });
}
