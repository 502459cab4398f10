// Evaluated first in every JavaScript context of a run. Its frames are skipped when an error is placed on a line,
// so it holds no logic a script author would need to see.
(function () {
  'use strict';
  // Host classes are not reachable anyway (no host access, no class lookup): remove the names that suggest so.
  for (const name of ['Java', 'Polyglot', 'Packages', 'java', 'javax', 'com', 'org', 'edu', 'net']) {
    delete globalThis[name];
  }
  const show = (x) => typeof x === 'string' ? x
      : x === undefined ? 'undefined'
      : typeof x === 'function' || typeof x === 'symbol' || typeof x === 'bigint' ? String(x)
      : JSON.stringify(x);
  const line = (args) => args.map(show).join(' ');
  return Object.freeze({
    object: () => ({}),
    array: () => [],
    fail: (message) => { throw new Error(message); },
    // Node's console, as scripts written for Node expect it: its lines go to the run's log.
    console: (logger) => {
      globalThis.console = Object.freeze({
        log: (...a) => logger.info(line(a)),
        info: (...a) => logger.info(line(a)),
        debug: (...a) => logger.info(line(a)),
        warn: (...a) => logger.warn(line(a)),
        error: (...a) => logger.error(line(a)),
      });
    },
  });
})()
