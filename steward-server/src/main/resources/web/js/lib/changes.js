// Live lists without polling: the server's change stream (/api/v1/changes) says when runs and nodes change, and
// pages re-read what they show only then. Every (re)connect starts with `hello`, on which the page re-reads all,
// so nothing that changed while the stream was down is missed. EventSource reconnects by itself after a dropped
// connection; a stream that the server ended for good is opened again with a growing delay. Only while the stream
// is down does the page poll, and it stops as soon as the stream says hello again.
import { changeStream } from '../api.js';
import { h } from './dom.js';

export function followChanges({ reload, onRun = () => {}, onNode = () => {}, status, pollEvery = 10000 }) {
  let source = null;
  let poll = null;
  let retry = null;
  let delay = 1000;
  let stopped = false;
  const show = live => {
    if (!status) return;
    status.dataset.state = live ? 'live' : 'polling';
    status.textContent = live ? 'Live' : 'Reconnecting… (refreshing every few seconds)';
  };
  const startPolling = () => { poll ??= setInterval(() => reload().catch(() => {}), pollEvery); };
  const stopPolling = () => { clearInterval(poll); poll = null; };
  const connect = () => {
    source = changeStream();
    source.addEventListener('hello', () => {
      delay = 1000;
      stopPolling();
      show(true);
      reload().catch(() => {});
    });
    source.addEventListener('reset', () => reload().catch(() => {}));
    source.addEventListener('run', message => onRun(JSON.parse(message.data)));
    source.addEventListener('node', message => onNode(JSON.parse(message.data)));
    source.onerror = () => {
      if (stopped) return;
      show(false);
      startPolling();
      if (source.readyState === EventSource.CLOSED) {
        retry = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30000);
      }
    };
  };
  connect();
  return () => {
    stopped = true;
    source?.close();
    stopPolling();
    clearTimeout(retry);
  };
}

/** The page's live indicator, for followChanges' `status`. */
export function liveStatus() {
  return h('p', { id: 'live-status', class: 'live muted', role: 'status', 'data-state': 'connecting' }, 'Connecting…');
}

/**
 * `fn` at most once at a time and at most once per `gap` ms; calls that come meanwhile are folded into one more
 * run after it, so a burst of changes costs two reads, not hundreds.
 */
export function coalesce(fn, gap = 300) {
  let running = false;
  let again = false;
  return async () => {
    if (running) { again = true; return; }
    running = true;
    try {
      do {
        again = false;
        await fn();
        await new Promise(resolve => setTimeout(resolve, gap));
      } while (again);
    } finally {
      running = false;
    }
  };
}
