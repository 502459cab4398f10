// A scrolling list that renders only the rows in view (plus a margin), so 1,000 child runs or 100,000 output
// lines cost a few dozen DOM nodes. Rows have one fixed height; the spacer gives the scrollbar its true length.
import { h } from './dom.js';

export function windowedList({ rowHeight = 24, height = 320, render, label, id }) {
  let items = [];
  let follow = false;
  const inner = h('div', { class: 'wl-inner', role: 'list' });
  const viewport = h('div', { class: 'wl', id, tabindex: 0, 'aria-label': label, style: `height:${height}px` }, inner);
  let scheduled = false;

  const paint = () => {
    scheduled = false;
    inner.style.height = `${items.length * rowHeight}px`;
    const first = Math.max(0, Math.floor(viewport.scrollTop / rowHeight) - 10);
    const last = Math.min(items.length, Math.ceil((viewport.scrollTop + viewport.clientHeight) / rowHeight) + 10);
    const rows = [];
    for (let i = first; i < last; i++) {
      const row = render(items[i], i);
      row.setAttribute('role', 'listitem');
      row.classList.add('wl-row');
      row.style.top = `${i * rowHeight}px`;
      row.style.height = `${rowHeight}px`;
      rows.push(row);
    }
    inner.replaceChildren(...rows);
    if (follow) viewport.scrollTop = viewport.scrollHeight;
  };
  const schedule = () => {
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(paint);
    }
  };
  viewport.addEventListener('scroll', schedule, { passive: true });

  return {
    element: viewport,
    get items() { return items; },
    set(next) { items = next; schedule(); },
    push(...more) { items.push(...more); schedule(); },
    /** Scrolls row `i` into the middle of the view (search results). */
    show(i) {
      viewport.scrollTop = Math.max(0, i * rowHeight - viewport.clientHeight / 2);
      schedule();
    },
    /** Draws the rows in view again (their look changed, not the items). */
    repaint() { schedule(); },
    /** When following, the view stays at the newest row as rows arrive. */
    follow(on) { follow = on; schedule(); },
  };
}
