// The node selector of docs/api.md evaluated in the browser, to preview a fan-out before it starts: "all", names,
// globs (web-*), and label terms (role=web,env=prod) that must all hold. The server checks again on invoke.
export function parseSelector(text) {
  const selector = { all: false, names: [], globs: [], labels: {} };
  for (const raw of text.split(',')) {
    const term = raw.trim();
    if (!term) throw new Error('empty term between commas');
    if (term === 'all' || term === '*') selector.all = true;
    else if (term.includes('=')) {
      const [key, value, extra] = term.split('=').map(s => s.trim());
      if (!key || !value || extra !== undefined) throw new Error(`'${term}' must look like key=value`);
      selector.labels[key] = value;
    } else if (!/^[A-Za-z0-9_.*?-]+$/.test(term)) throw new Error(`'${term}' is not a node name, glob or label`);
    else if (/[*?]/.test(term)) {
      selector.globs.push(new RegExp('^' + term.replace(/\./g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.') + '$'));
    } else selector.names.push(term);
  }
  return selector;
}

/** Names of the nodes (objects with name and labels) the selector text picks. */
export function matchNodes(text, nodes) {
  const s = parseSelector(text);
  const labelTerms = Object.entries(s.labels);
  return nodes.filter(node => s.all || s.names.includes(node.name) || s.globs.some(g => g.test(node.name))
    || (labelTerms.length > 0 && labelTerms.every(([k, v]) => node.labels?.[k] === v))).map(n => n.name);
}
