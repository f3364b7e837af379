/**
 * Validation of [[data]]: each problem at its exact range — a template name the file lacks, a
 * column that clashes with [vars], a built-in or another file, `columns` naming a column the
 * file does not have, a file that is empty, header-only or malformed (with its line), a FIFO
 * refused without hanging, a format that cannot be told — and no false "unknown name" when the
 * columns cannot be read.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileKind } from '../../engine/scenario/file-kind';
import { DIAGNOSTIC_CODES } from '../../engine/scenario/format-reference';
import { checkData } from '../../engine/scenario/check-data';
import { LineIndex } from '../../engine/scenario/diagnostics';
import { DiagnosticSink } from '../../engine/scenario/sink';
import { parseToml } from '../../engine/scenario/toml/parser';
import { validateText } from '../../engine/scenario/validate';
import { diags, placed } from './helpers';

let dir: string;
let file: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'z6-data-val-'));
  file = join(dir, 'scenario.z6.toml');
  writeFileSync(join(dir, 'users.csv'), 'username,password,email\nann,pw,a@x\n');
  writeFileSync(join(dir, 'other.csv'), 'email,id\nb@x,1\n');
  writeFileSync(join(dir, 'bad-names.csv'), '"first name",2nd,vu,ok\n1,2,3,4\n');
  writeFileSync(join(dir, 'header-only.csv'), 'a,b\n');
  writeFileSync(join(dir, 'empty.csv'), '');
  writeFileSync(join(dir, 'quote.csv'), 'a,b\n"x"y,1\n');
  writeFileSync(join(dir, 'items.ndjson'), '{"sku": "a1", "qty": 2}\n');
  writeFileSync(join(dir, 'users.txt'), 'a\n1\n');
  execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const opts = () => ({ file, fileKind });
const head = '[target]\nbase_url = "http://127.0.0.1:8080"\n[runtime]\nduration_seconds = 1\n';

describe('[[data]] validation', () => {
  test('a valid file: its columns are names; a name the header lacks is an unknown name at its exact range, with the close column suggested', () => {
    const text = `${head}[[data]]\nfile = "users.csv"\n[[requests]]\npath = "/u/{{ username }}?p={{ pasword }}&m={{ email }}"\n`;
    assert.deepEqual(diags(text, opts()), [`8:32-8:39 error unknown-variable «pasword»`]);
    const d = validateText(text, opts()).diagnostics[0]!;
    assert.match(d.message, /^unknown name 'pasword'; did you mean 'password'\?/);
    assert.equal(d.fixes![0]!.edits[0]!.newText, 'password');
    assert.ok(validateText(`${head}[[data]]\nfile = "users.csv"\n[[requests]]\npath = "/u/{{ username }}"\n`, opts()).scenario);
  });

  test('each column\'s origin, for hover and go-to-definition: its file, and its header cell in the data file', () => {
    const text = `${head}[[data]]\nfile = "users.csv"\nsecret = true\n[[data]]\nfile = "items.ndjson"\n[[requests]]\npath = "/"\n`;
    const doc = parseToml(text);
    const sink = new DiagnosticSink(new LineIndex(text), text);
    const o = checkData(doc, sink, opts()).origins;
    assert.deepEqual(sink.diagnostics, []);
    assert.deepEqual([...o.keys()], ['username', 'password', 'email', 'sku', 'qty']);
    assert.deepEqual(o.get('password'), { file: 'users.csv', span: { start: text.indexOf('"users.csv"'), end: text.indexOf('"users.csv"') + 11 }, format: 'csv', secret: true,
      external: { file: join(dir, 'users.csv'), line: 0, start: 9, end: 17 } });
    assert.deepEqual(o.get('qty')!.external, { file: join(dir, 'items.ndjson'), line: 0, start: 14, end: 19 });
  });

  test('columns selects: only those are names; a listed column the file lacks is an error at the list item', () => {
    const text = `${head}[[data]]\nfile = "users.csv"\ncolumns = ["username", "mail"]\n[[requests]]\npath = "/u/{{ username }}/{{ password }}"\n`;
    assert.deepEqual(diags(text, opts()), [
      '7:24-7:30 error unknown-column «"mail"»',
      '9:30-9:38 error unknown-variable «password»',
    ]);
    assert.match(validateText(text, opts()).diagnostics[0]!.message, /data file users\.csv has no column 'mail'; its columns: 'username', 'password', 'email'/);
  });

  test('clashes: a column that is a [vars] name, or a column of another file, is an error pointing at both', () => {
    const text = `${head}[vars]\npassword = "x"\n[[data]]\nfile = "users.csv"\n[[data]]\nfile = "other.csv"\n[[requests]]\npath = "/"\n`;
    assert.deepEqual(diags(text, opts()), [
      '8:8-8:19 error name-conflict «"users.csv"»',
      '10:8-10:19 error name-conflict «"other.csv"»',
    ]);
    assert.deepEqual(placed(text, opts()), [
      `8:8 «"users.csv"» name-conflict ← 6:1 «password» [vars] defines 'password' here`,
      `10:8 «"other.csv"» name-conflict ← 8:8 «"users.csv"» users.csv has 'email'`,
    ]);
    // columns leaves the clashing ones out.
    assert.deepEqual(diags(`${head}[vars]\npassword = "x"\n[[data]]\nfile = "users.csv"\ncolumns = ["username"]\n[[requests]]\npath = "/"\n`, opts()), []);
  });

  test('a column that is also an extracted name is a conflict at the data file, pointing at the extraction', () => {
    const text = `${head}[[data]]\nfile = "users.csv"\n[[requests]]\npath = "/"\n[requests.extract]\nemail = { header = "X-Mail" }\n`;
    assert.deepEqual(placed(text, opts()), [`6:8 «"users.csv"» name-conflict ← 10:1 «email» 'email' is extracted here`]);
  });

  test('header cells that cannot be names: with a space, a leading digit, a built-in', () => {
    const text = `${head}[[data]]\nfile = "bad-names.csv"\n[[requests]]\npath = "/"\n`;
    const d = validateText(text, opts()).diagnostics;
    assert.deepEqual(d.map((x) => [x.code, text.slice(x.span.start, x.span.end)]), [
      ['invalid-column', '"bad-names.csv"'], ['invalid-column', '"bad-names.csv"'], ['name-conflict', '"bad-names.csv"'],
    ]);
    assert.match(d[0]!.message, /column 'first name' of bad-names\.csv cannot be a variable name: use letters, digits and _, not starting with a digit \(rename it in the file, or leave it out with columns = \[\.\.\.\]\)/);
    assert.match(d[2]!.message, /column 'vu' of bad-names\.csv is a built-in name/);
    assert.deepEqual(diags(`${head}[[data]]\nfile = "bad-names.csv"\ncolumns = ["ok"]\n[[requests]]\npath = "/{{ ok }}"\n`, opts()), []);
  });

  test('files that cannot be used: empty, header only, malformed (with its line), missing, a FIFO (refused, never opened), an unknown extension', () => {
    const one = (f: string, extra = '') => {
      const text = `${head}[[data]]\nfile = "${f}"\n${extra}[[requests]]\npath = "/{{ x }}"\n`;
      return validateText(text, opts()).diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
    };
    assert.deepEqual(one('empty.csv'), ['6:8 data-file data file empty.csv: the file is empty: it needs a header row and at least one row']);
    assert.deepEqual(one('header-only.csv'), ['6:8 data-file data file header-only.csv: the file has a header but no rows']);
    assert.deepEqual(one('quote.csv'), ['6:8 data-file data file quote.csv: line 2: a closing quote must be followed by a comma or the end of the line']);
    assert.deepEqual(one('nope.csv'), [`6:8 file-not-found 'file': file not found: ${join(dir, 'nope.csv')}`]);
    assert.deepEqual(one('pipe.csv'), [`6:8 not-a-file 'file': ${join(dir, 'pipe.csv')} is a FIFO, not a regular file`]);
    assert.deepEqual(one('users.txt'), ['6:8 data-format cannot tell the format of "users.txt" from its extension (.csv, .json, .ndjson, .jsonl): add format = "csv", "json" or "ndjson"']);
    assert.deepEqual(one('users.txt', 'format = "csv"\n'), ['9:13 unknown-variable unknown name \'x\'; did you mean \'a\'? (names: [vars] entries, data columns, extracted values, env.NAME, built-ins vu, iteration, elapsed, now, now_ms, random_int(), random_choice(), uuid(), url_encode(), json_encode())']);
    assert.deepEqual(one('items.ndjson').map((l) => l.split(' ').slice(0, 2).join(' ')), ['8:13 unknown-variable']);
  });

  test('on_exhausted outside mode = "unique" has no effect (warning), and stop_vu acts as stop_run in the open model', () => {
    assert.deepEqual(diags(`${head}[[data]]\nfile = "users.csv"\nmode = "random"\non_exhausted = "stop_vu"\n[[requests]]\npath = "/"\n`, opts()), ['8:1-8:13 warning not-applicable «on_exhausted»']);
    const open = `[target]\nbase_url = "http://127.0.0.1:8080"\n[runtime]\nduration_seconds = 1\n[schedule]\ntype = "arrival_rate"\nrate = 5\n[[data]]\nfile = "users.csv"\nmode = "unique"\non_exhausted = "stop_vu"\n[[requests]]\npath = "/"\n`;
    assert.deepEqual(diags(open, opts()), ['11:16-11:25 warning not-applicable «"stop_vu"»']);
  });

  test('without the scenario\'s place on disk (an unsaved editor buffer) the columns are unknown: no false unknown-name errors; names from columns = [...] still count', () => {
    const text = `${head}[[data]]\nfile = "users.csv"\n[[requests]]\npath = "/u/{{ whatever }}"\n`;
    assert.deepEqual(diags(text), []);
    // A function used as a value is still an error.
    assert.deepEqual(diags(`${head}[[data]]\nfile = "users.csv"\n[[requests]]\npath = "/u/{{ uuid }}"\n`).map((l) => l.split(' ').slice(1, 3).join(' ')), ['error unknown-variable']);
    const listed = `${head}[[data]]\nfile = "users.csv"\ncolumns = ["username"]\n[[requests]]\npath = "/u/{{ usrname }}"\n`;
    assert.deepEqual(diags(listed), ['9:15-9:22 error unknown-variable «usrname»']);
  });

  test('every diagnostic code of check-data.ts is documented', () => {
    const src = readFileSync(join(__dirname, '../../engine/scenario/check-data.ts'), 'utf8');
    const used = new Set([...src.matchAll(/'(?:error|warning|info)', '([a-z0-9-]+)'/g)].map((m) => m[1]!));
    assert.ok(used.size >= 7);
    for (const code of used) assert.ok(code in DIAGNOSTIC_CODES, `code ${code} is not documented`);
  });

  test('the key table: an unknown key, a wrong mode and a missing file are the usual key diagnostics', () => {
    assert.deepEqual(diags(`${head}[[data]]\nmode = "uniq"\nfiel = "users.csv"\n[[requests]]\npath = "/"\n`, opts()), [
      '5:1-5:9 error missing-key «[[data]]»',
      '6:8-6:14 error invalid-value «"uniq"»',
      '7:1-7:5 error unknown-key «fiel»',
    ]);
  });
});
