// A library: top-level functions, const/let bindings and a class, used from every script thread.
const PREFIX = 'step';
let defined = 0;
function stepName(n) { defined++; return `${PREFIX}-${n}`; }
class Pipeline {
  constructor(...names) { this.names = names.map(stepName); }
  run() { return this.names.join(' > '); }
}
status.event('library loaded', { by: 'lib/steps.js' });
