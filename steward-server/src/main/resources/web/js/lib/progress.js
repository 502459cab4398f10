// A labelled progress bar; an unknown fraction (no progress reported yet) shows as indeterminate.
import { h } from './dom.js';

export function progressBar(progress, label = 'Progress') {
  const fraction = progress?.fraction;
  const known = typeof fraction === 'number' && fraction >= 0;
  const bar = h('progress', { max: 1, 'aria-label': label, class: 'progress' });
  if (known) bar.value = fraction;
  const text = known ? `${Math.round(fraction * 100)} %` : '';
  return h('span', { class: 'progress-wrap' }, bar,
    h('span', { class: 'progress-text' }, [text, progress?.message].filter(Boolean).join(' · ')));
}
