// The web UI's module graph keeps its shape (issue 15): pages (ui/js/pages/) never import one
// another, widgets (ui/js/widgets/) and the shared modules never import a page, nothing imports the
// router (ui/js/app.js), every relative import names a file that exists, and the graph has no cycle.
// Run by ctest as `ui_import_graph` (node only, no packages): node import_graph.mjs <ui/js dir>.
// Exits 1 and prints every violation when the shape is broken.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] || join(dirname(new URL(import.meta.url).pathname), '../../ui/js'));

function modulesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return modulesUnder(p);
    return e.name.endsWith('.js') ? [p] : [];
  });
}

// Relative specifiers of static imports, re-exports and dynamic import('...') calls.
export function importsOf(text) {
  const out = [];
  const re = /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) out.push(m[1] || m[2]);
  return out.filter((s) => s.startsWith('.'));
}

const name = (p) => relative(root, p);
const kind = (p) => (name(p).startsWith('pages/') ? 'page' : name(p).startsWith('widgets/') ? 'widget'
  : name(p) === 'app.js' ? 'router' : 'shared');

const files = modulesUnder(root);
const graph = new Map();
const problems = [];
for (const f of files) {
  const deps = [];
  for (const spec of importsOf(readFileSync(f, 'utf8'))) {
    const target = resolve(dirname(f), spec);
    if (!existsSync(target)) { problems.push(`${name(f)} imports ${spec}, which does not exist`); continue; }
    deps.push(target);
    const [from, to] = [kind(f), kind(target)];
    if (to === 'router') problems.push(`${name(f)} imports the router app.js (pass a callback in instead)`);
    else if (to === 'page' && from === 'page') problems.push(`page ${name(f)} imports page ${name(target)} (move the shared part to widgets/)`);
    else if (to === 'page' && from !== 'router') problems.push(`${from} ${name(f)} imports page ${name(target)}`);
  }
  graph.set(f, deps);
}

// Depth-first search; a back edge closes a cycle, reported as the path around it.
const state = new Map();  // undefined: unvisited, 1: on the stack, 2: done
const stack = [];
function visit(f) {
  state.set(f, 1);
  stack.push(f);
  for (const d of graph.get(f) || []) {
    if (state.get(d) === 1) problems.push(`cycle: ${[...stack.slice(stack.indexOf(d)), d].map(name).join(' → ')}`);
    else if (!state.get(d)) visit(d);
  }
  stack.pop();
  state.set(f, 2);
}
for (const f of files) if (!state.get(f)) visit(f);

if (!files.some((f) => kind(f) === 'page')) problems.push(`no page modules under ${root}/pages`);
if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.log(`ui import graph: ${files.length} modules, no page imports a page, no cycle`);
