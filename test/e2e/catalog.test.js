// Every UI text comes from the i18n catalogs: both catalogs have the same keys, no value is
// empty, and every literal key the UI code asks for exists.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const UI = path.resolve(__dirname, '../../ui');
const es = JSON.parse(fs.readFileSync(path.join(UI, 'i18n/es.json'), 'utf8'));
const en = JSON.parse(fs.readFileSync(path.join(UI, 'i18n/en.json'), 'utf8'));

test('es and en catalogs have the same keys and no empty text', () => {
  assert.deepEqual(Object.keys(es).sort(), Object.keys(en).sort());
  for (const [k, v] of [...Object.entries(es), ...Object.entries(en)]) assert.ok(v.trim(), `empty text for ${k}`);
});

test('every literal key used by ui/js (t and tn) exists in the catalogs', () => {
  const missing = [];
  // ui/js and its folders (pages/, widgets/).
  const files = fs.readdirSync(path.join(UI, 'js'), { recursive: true }).filter((f) => f.endsWith('.js'));
  assert.ok(files.some((f) => f.startsWith('pages')), 'no page modules found under ui/js/pages');
  for (const f of files) {
    const src = fs.readFileSync(path.join(UI, 'js', f), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    for (const m of src.matchAll(/\btn?\('([a-z_0-9.]+)'/g)) if (!(m[1] in es)) missing.push(`${f}: ${m[1]}`);
  }
  assert.deepEqual(missing, []);
});
