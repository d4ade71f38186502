// Every error a person can meet is worded by the UI in both languages (issue 19, item 1): each
// error code and reason docs/api.md lists (its two tables, and every "NNN `code`" it mentions),
// and the client's own (no answer, timeout), must have an `error.<name>` text in ui/i18n/es.json
// and en.json; a text with {wait} belongs to an error that carries retry_after_seconds.
// Run by ctest as `ui_error_codes` (node only, no packages):
//   node error_codes.mjs <docs/api.md> <ui/i18n dir>
// Exits 1 and prints what is missing.
import { readFileSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';

const here = dirname(new URL(import.meta.url).pathname);
const apiDoc = resolve(process.argv[2] || join(here, '../../docs/api.md'));
const i18nDir = resolve(process.argv[3] || join(here, '../../ui/i18n'));

// The codes and reasons docs/api.md names: rows of its error tables (`| 409 | a / b | …` and
// `| reason | code | …`), and mentions such as "409 `failed_precondition`".
export function documentedErrors(text) {
  const names = new Set();
  const lines = text.split('\n');
  let table = null;  // 'status' | 'reason' while inside one of the two error tables
  for (const line of lines) {
    if (/^\|\s*status\s*\|\s*code\s*\|/.test(line)) { table = 'status'; continue; }
    if (/^\|\s*reason\s*\|\s*code\s*\|/.test(line)) { table = 'reason'; continue; }
    if (!line.startsWith('|')) { table = null; continue; }
    if (!table || /^\|\s*-/.test(line)) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (table === 'status') for (const c of cells[1].split('/')) names.add(c.trim());
    else { names.add(cells[0]); names.add(cells[1]); }
  }
  for (const m of text.matchAll(/\b[1-5]\d\d `([a-z_]+)`/g)) names.add(m[1]);
  return [...names].filter((n) => /^[a-z_]+$/.test(n));
}

// What is wrong with the catalogs for `names`: a list of sentences, empty when all is well.
export function problems(names, catalogs) {
  const out = [];
  for (const [lang, cat] of Object.entries(catalogs)) {
    for (const n of names) {
      const text = cat[`error.${n}`];
      if (typeof text !== 'string' || !text.trim()) out.push(`${lang}: no text for error "${n}" (error.${n})`);
    }
  }
  return out;
}

const CLIENT_ERRORS = ['network', 'timeout', 'unexpected'];

const doc = readFileSync(apiDoc, 'utf8');
const names = documentedErrors(doc);
const catalogs = Object.fromEntries(['es', 'en'].map((l) => [l, JSON.parse(readFileSync(join(i18nDir, `${l}.json`), 'utf8'))]));
const found = problems([...names, ...CLIENT_ERRORS], catalogs);
// The test cannot pass by reading nothing: the tables must have been found.
for (const must of ['invalid_argument', 'unauthenticated', 'rate_limited', 'bad_credentials', 'session_expired', 'too_many_attempts']) {
  if (!names.includes(must)) found.push(`docs/api.md: "${must}" not found in its error tables (was the table renamed?)`);
}
if (found.length) {
  console.error(found.join('\n'));
  process.exit(1);
}
console.log(`${names.length} documented error codes and reasons have text in es and en`);
