// Everyday ES2015–ES2022, as users write it for Node. The completion value is JSON text, so that Steward's
// result and `node -p` print the same thing.
const out = {};

// let/const, also as loop variables of for, for…of and for…in
let total = 0;
for (let i = 0; i < 3; i++) total += i;
for (const x of [10, 20]) total += x;
for (const key in { a: 1, b: 2 }) total += key.length;
out.loops = total;

// for…of over maps and sets, Map/Set
const ages = new Map([['ada', 36], ['alan', 41]]);
const names = [];
for (const [name, age] of ages) names.push(`${name}:${age}`);
for (const tag of new Set(['x', 'y', 'x'])) names.push(tag);
out.mapsAndSets = { names, size: ages.size, has: new Set([1, 2]).has(2) };

// destructuring and defaults, spread and rest
const { host = 'localhost', port = 80, ...rest } = { port: 8080, tls: true, user: 'ci' };
const [first, , third = 'c', ...others] = ['a', 'b', undefined, 'd', 'e'];
const sum = (...nums) => nums.reduce((a, b) => a + b, 0);
const merged = { ...rest, extra: [...others, ...'fg'] };
function connect({ hostName = host, retries = 3 } = {}) { return `${hostName}/${retries}`; }
out.destructuring = { host, port, rest, first, third, merged, sum: sum(1, 2, ...[3, 4]), connect: connect() };

// template literals, arrow functions
const greet = (who, punct = '!') => `hello, ${who.toUpperCase()}${punct}`;
out.templates = greet('steward') + ` ${1 + 1}`;

// classes, inheritance, getters/setters, static members, class fields
class Step {
  static count = 0;
  #secret = 'hidden';
  constructor(name) { this.name = name; Step.count++; }
  get label() { return `step ${this.name}`; }
  set label(v) { this.name = v.replace(/^step /, ''); }
  describe() { return `${this.label} (${this.#secret.length})`; }
}
class ShellStep extends Step {
  constructor(name, cmd) { super(name); this.cmd = cmd; }
  describe() { return `${super.describe()} runs ${this.cmd}`; }
}
const step = new ShellStep('build', 'make');
step.label = 'step compile';
out.classes = { describe: step.describe(), count: Step.count, isStep: step instanceof Step };

// optional chaining and ??, exponent
const config = { retry: { max: 0 } };
out.optional = {
  max: config.retry?.max ?? 5,
  missing: config.timeout?.ms ?? 'none',
  call: config.notAFunction?.() ?? 'skipped',
  power: 2 ** 10,
};

// Array.prototype.includes/flat/flatMap, Object.entries/fromEntries, String padStart/replaceAll
out.library = {
  includes: [1, 2, 3].includes(2),
  flat: [1, [2, [3, [4]]]].flat(2),
  flatMap: ['a b', 'c'].flatMap((s) => s.split(' ')),
  entries: Object.fromEntries(Object.entries({ a: 1, b: 2 }).map(([k, v]) => [k, v * 10])),
  pad: '7'.padStart(3, '0'),
  replaced: 'a-b-c'.replaceAll('-', '+'),
};

// JSON
out.json = JSON.parse(JSON.stringify({ when: 'now', list: [1, 'two', null, true] }));

JSON.stringify(out);
