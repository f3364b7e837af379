/**
 * Completion right after a keystroke reuses the previous tree (server/reuse.ts). Differential
 * check: for seeded single-line edits, completing from the old tree gives exactly what completing
 * from a fresh parse of the new text gives.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../../server/analysis';
import { complete } from '../../server/features/completion';
import { reuseForLine } from '../../server/reuse';
import { CHECKOUT, SEQUENCE, mulberry32 } from './fixtures';

const TYPED = ['m', 'met', ' ', '=', ' = ', '"', '"P', '[', '[[', '{ ', ', ', 'x', '#', '}', ']', "'", '"""', 'vus = 1', 'Content-Type = "'];

test('completion from the reused tree equals completion from a fresh parse (2000 seeded edits)', () => {
  const rnd = mulberry32(7);
  const bases = [CHECKOUT, SEQUENCE, readFileSync(join(__dirname, '../fixtures/corpus/complex.toml'), 'utf8')];
  let reusedCount = 0;
  for (let k = 0; k < 2000; k++) {
    const before = bases[k % bases.length]!;
    const old = new Analysis(before);
    void old.doc;
    // Type something at a random place, or delete a few characters, then complete at the end of it.
    const at = Math.floor(rnd() * (before.length + 1));
    const del = rnd() < 0.3 ? Math.min(1 + Math.floor(rnd() * 4), before.length - at) : 0;
    const typed = del && rnd() < 0.5 ? '' : TYPED[Math.floor(rnd() * TYPED.length)]!;
    const after = before.slice(0, at) + typed + before.slice(at + del);
    const cursor = at + typed.length;
    const td = TextDocument.create('file:///r.z6.toml', 'z6', 2, after);
    const reused = reuseForLine(old, after, cursor);
    const fresh = complete(new Analysis(after), td, cursor);
    if (!reused) continue;
    reusedCount++;
    const viaOld = complete(reused.analysis, td, cursor, undefined, { text: after, shift: reused.shift });
    assert.deepEqual(viaOld, fresh, `edit ${JSON.stringify(typed)} at ${at} (deleted ${del})`);
  }
  assert.ok(reusedCount > 500, `the reuse path was taken ${reusedCount} times`);
});

test('no reuse across lines or inside a multi-line value', () => {
  const old = new Analysis(CHECKOUT);
  void old.doc;
  const twoLines = CHECKOUT.replace('vus = 50\n', 'vus = 50\nx = 1\n');
  assert.equal(reuseForLine(old, twoLines, twoLines.indexOf('x = 1') + 1), undefined);
  const typedLine = CHECKOUT.replace('vus = 50', 'vus = 5');
  assert.equal(reuseForLine(old, typedLine, 0), undefined, 'cursor on another line');
  assert.ok(reuseForLine(old, typedLine, typedLine.indexOf('vus = 5') + 7));
  const multi = 'a = [\n  1,\n  2,\n]\n';
  const m = new Analysis(multi);
  void m.doc;
  const edited = multi.replace('  2,', '  23,');
  assert.equal(reuseForLine(m, edited, edited.indexOf('23') + 2), undefined);
});
