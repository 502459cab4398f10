// A scrolling list that renders only the rows in view (plus a margin), so 1,000 child runs or 100,000 output
// lines cost a few dozen DOM nodes. Rows have one fixed height; the spacer gives the scrollbar its true length.
//
// Rows are drawn anew on every scroll and push, so a button in a row would lose the keyboard focus at the next
// paint: the row holding the focus is always drawn (even once scrolled out of the margin) and the same control in
// it gets the focus back; and while the focus is in a row, following the newest rows waits, or the list would jump
// away from where the reader is.
import { h } from './dom.js';

const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]';

export function windowedList({ rowHeight = 24, height = 320, render, label, id }) {
  let items = [];
  let follow = false;
  const inner = h('div', { class: 'wl-inner', role: 'list' });
  const viewport = h('div', { class: 'wl', id, tabindex: 0, 'aria-label': label, style: `height:${height}px` }, inner);
  let scheduled = false;

  // Where the focus is: the row's index and the control's place among the row's focusable elements.
  const focusedAt = () => {
    const row = inner.contains(document.activeElement) ? document.activeElement.closest('.wl-row') : null;
    if (!row) return null;
    return { index: Number(row.dataset.row), control: [...row.querySelectorAll(FOCUSABLE)].indexOf(document.activeElement) };
  };
  const draw = i => {
    const row = render(items[i], i);
    row.setAttribute('role', 'listitem');
    row.classList.add('wl-row');
    row.dataset.row = i;
    row.style.top = `${i * rowHeight}px`;
    row.style.height = `${rowHeight}px`;
    return row;
  };

  const paint = () => {
    scheduled = false;
    const focus = focusedAt();
    inner.style.height = `${items.length * rowHeight}px`;
    if (follow && !focus) viewport.scrollTop = viewport.scrollHeight;
    const first = Math.max(0, Math.floor(viewport.scrollTop / rowHeight) - 10);
    const last = Math.min(items.length, Math.ceil((viewport.scrollTop + viewport.clientHeight) / rowHeight) + 10);
    const rows = [];
    for (let i = first; i < last; i++) rows.push(draw(i));
    if (focus && focus.index < items.length && (focus.index < first || focus.index >= last)) rows.push(draw(focus.index));
    inner.replaceChildren(...rows);
    if (focus) {
      const row = rows.find(r => Number(r.dataset.row) === focus.index);
      (row?.querySelectorAll(FOCUSABLE)[focus.control] ?? viewport).focus({ preventScroll: true });
    }
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
