/**
 * Reading data files: RFC 4180 CSV edge cases, rows read back by index from the block index
 * (also across the 1 MiB read chunks and in random order), NDJSON and JSON arrays, and every
 * malformed input reported with its line.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeCsvRecord } from '../../engine/data/csv';
import { readDataHeader } from '../../engine/data/header';
import { openDataSource, type DataSource } from '../../engine/data/source';
import { Rng } from '../../engine/plan/prng';

let dir: string;
before(() => (dir = mkdtempSync(join(tmpdir(), 'z6-data-src-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: string | Buffer, ext: string): string {
  const f = join(dir, `f${n++}.${ext}`);
  writeFileSync(f, content);
  return f;
}

function rows(s: DataSource): (string | undefined)[][] {
  return Array.from({ length: s.rowCount }, (_, i) => [...s.row(i)]);
}

/** A CSV field as a careful writer quotes it. */
function quote(v: string): string {
  return /[",\r\n]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v;
}

describe('CSV', () => {
  test('quoted fields, escaped quotes, CRLF and LF, line breaks inside quotes, empty fields, BOM, blank lines, UTF-8, no final line break', () => {
    const text = '\ufeffid,name,note\r\n' +
      '1,"Lee, Ann","she said ""hi"""\r\n' +
      '\r\n' +
      '2,Bob,"line one\nline two\r\nline three"\n' +
      '3,,""\n' +
      '\n\n' +
      '4,Zoë 日本,a "quote" inside\n' +
      '5,"",x';
    const s = openDataSource({ file: file(text, 'csv'), format: 'csv' });
    assert.deepEqual(s.columns, ['id', 'name', 'note']);
    assert.deepEqual(rows(s), [
      ['1', 'Lee, Ann', 'she said "hi"'],
      ['2', 'Bob', 'line one\nline two\r\nline three'],
      ['3', '', ''],
      ['4', 'Zoë 日本', 'a "quote" inside'],
      ['5', '', 'x'],
    ]);
    s.close();
  });

  test('8,000 rows of random text across the 1 MiB read chunks and 16-row blocks read back exactly, in order and at random', () => {
    const rng = new Rng(3, 0);
    const alphabet = ['a', 'b', ',', '"', '\n', '\r\n', ' ', 'é', '€', '😀', 'x'];
    const expected: string[][] = [];
    const lines = ['a,b,c'];
    for (let i = 0; i < 8000; i++) {
      const row = [String(i), ...[0, 1].map(() => Array.from({ length: Math.floor(rng.next() * 300) }, () => alphabet[Math.floor(rng.next() * alphabet.length)]).join(''))];
      expected.push(row);
      lines.push(row.map(quote).join(','));
    }
    const text = lines.join(rng.next() < 0.5 ? '\n' : '\r\n');
    assert.ok(Buffer.byteLength(text) > 2 * 1024 * 1024, 'spans several read chunks');
    const s = openDataSource({ file: file(text, 'csv'), format: 'csv' });
    assert.equal(s.rowCount, 8000);
    assert.deepEqual(rows(s), expected);
    for (let k = 0; k < 2000; k++) {
      const i = Math.floor(rng.next() * 8000);
      assert.deepEqual(s.row(i), expected[i], `row ${i}`);
    }
    s.close();
    // After close a read opens the file again.
    assert.deepEqual(s.row(7999), expected[7999]);
    s.close();
  });

  const bad: [string, string, RegExp][] = [
    ['unclosed quote', 'a,b\n1,2\n3,"never\nclosed\n', /line 3: a quoted field is never closed/],
    ['text after a closing quote', 'a,b\n1,"x"y\n', /line 2: a closing quote must be followed by a comma or the end of the line/],
    ['CR then text after a closing quote', 'a,b\n1,"x"\rz\n', /line 2: a closing quote must be followed/],
    ['too few cells', 'a,b,c\n1,2,3\n\n4,5\n', /line 4: the row has 2 cells; the header has 3/],
    ['too many cells (a trailing comma)', 'a,b\n1,2,\n', /line 2: the row has 3 cells; the header has 2/],
    ['a header and no rows', 'a,b\n\n', /the file has a header but no rows/],
    ['an empty file', '', /the file is empty: it needs a header row and at least one row/],
    ['only blank lines', '\n\r\n\n', /the file is empty/],
  ];
  for (const [what, text, message] of bad) {
    test(`refused with its line: ${what}`, () => {
      const f = file(text, 'csv');
      assert.throws(() => openDataSource({ file: f, format: 'csv' }), message);
    });
  }

  test('a row longer than 1 MiB is refused with its line', () => {
    const f = file(`a\nx\n${'y'.repeat(1024 * 1024 + 1)}\n`, 'csv');
    assert.throws(() => openDataSource({ file: f, format: 'csv' }), /line 3: the row is longer than 1 MiB/);
  });

  test('decodeCsvRecord reads one record of a buffer, within its bounds', () => {
    const b = Buffer.from('xx"a,b",,c,"d""e"\nnext,row');
    assert.deepEqual(decodeCsvRecord(b, 2, 17), ['a,b', '', 'c', 'd"e']);
    assert.deepEqual(decodeCsvRecord(b, 18, 26), ['next', 'row']);
  });
});

describe('NDJSON and JSON', () => {
  test('NDJSON: blank lines and CRLF skipped, values as text, a malformed line fails when read, with its line', () => {
    const s = openDataSource({ file: file('{"u":"a","n":1}\r\n\r\n  \n{"u":"b","n":true,"x":{"y":[1]}}\n{"u": oops}\n[1]\n', 'ndjson'), format: 'ndjson' });
    assert.deepEqual(s.columns, ['u', 'n']);
    assert.equal(s.rowCount, 4);
    assert.deepEqual(s.row(0), ['a', '1']);
    assert.deepEqual(s.row(1), ['b', 'true']);
    assert.throws(() => s.row(2), /line 5: not valid JSON \(a syntax error at column 7\)/);
    assert.throws(() => s.row(3), /line 6: each line must be a JSON object; found an array/);
    s.close();
  });

  test('JSON: an array of objects; nested values as JSON text, missing keys undefined; wrong shapes refused', () => {
    const s = openDataSource({ file: file('[{"a": "x", "b": [1, {"c": 2}]}, {"a": 5}]', 'json'), format: 'json' });
    assert.deepEqual(rows(s), [['x', '[1,{"c":2}]'], ['5', undefined]]);
    assert.throws(() => openDataSource({ file: file('{"a": 1}', 'json'), format: 'json' }), /must be an array of objects; found an object/);
    assert.throws(() => openDataSource({ file: file('[]', 'json'), format: 'json' }), /the array is empty/);
    assert.throws(() => openDataSource({ file: file('[{"a":1}, 2]', 'json'), format: 'json' }), /item 2 of the array is a number, not an object/);
    assert.throws(() => openDataSource({ file: file('[\n{"a": 1},\n{"a": }\n]', 'json'), format: 'json' }), /line 3: not valid JSON \(a syntax error at column 7\)/);
  });
});

describe('headers for the validator', () => {
  test('read from the start only: a malformed row far down does not matter; a changed file is read again', () => {
    const big = `"user name",b\n${'1,2\n'.repeat(100_000)}1,2,3\n`;
    const f = file(big, 'csv');
    assert.deepEqual(readDataHeader(f, 'csv'), { columns: ['user name', 'b'], places: [{ line: 0, start: 0, end: 11 }, { line: 0, start: 12, end: 13 }] });
    writeFileSync(f, 'only,a,header\n');
    const r = readDataHeader(f, 'csv');
    assert.ok('error' in r && /has a header but no rows/.test(r.error.message));
    assert.deepEqual(readDataHeader(file('\n{"k": 1, "v": null}\nnot json\n', 'ndjson'), 'ndjson'), { columns: ['k', 'v'], places: [{ line: 1, start: 1, end: 4 }, { line: 1, start: 9, end: 12 }] });
    assert.deepEqual(readDataHeader(file('[\n  {"id": "x:", "name": "id"},\n  {"id": 2}\n]', 'json'), 'json'), { columns: ['id', 'name'], places: [{ line: 1, start: 3, end: 7 }, { line: 1, start: 15, end: 21 }] });
    const e = readDataHeader(file('\n\n[1, 2]\n', 'ndjson'), 'ndjson');
    assert.ok('error' in e && e.error.line === 3, JSON.stringify(e));
  });
});
