// A library: top-level functions, const/let bindings and a class, used from every script thread. It only
// defines things: each JavaScript script thread evaluates the run's libraries again in its own context.
const PREFIX = 'step';
let defined = 0;
function stepName(n) { defined++; return `${PREFIX}-${n}`; }
class Pipeline {
  constructor(...names) { this.names = names.map(stepName); }
  run() { return this.names.join(' > '); }
}
