import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'smol-toml';
import { toPlain } from '../../engine/scenario/toml/ast';
import { parseToml } from '../../engine/scenario/toml/parser';

/** smol-toml's value with dates as their TOML text, for comparison with our tree. */
function smolPlain(text: string): unknown {
  return JSON.parse(JSON.stringify(parse(text), (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
}
function ourPlain(text: string): unknown {
  return JSON.parse(JSON.stringify(toPlain(parseToml(text).root), (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
}

const VALID: Record<string, string> = {
  'dotted and quoted keys': 'a.b.c = 1\n"quoted key".x = "y"\n\'lit\' = 2\n"" = 3\nsite."google.com" = true\n',
  'tables and array tables with sub-tables': '[[r]]\nname = "a"\n[r.h]\nq = 1\n[[r]]\nname = "b"\n[[schedule.steps]]\nvus = 1\n',
  'super-table after sub-table': '[x.y.z]\na = 1\n[x]\nb = 2\n',
  'strings of every kind': 's = "tab\\tq\\"\\u00e9\\U0001F600"\nl = \'C:\\path\'\nm = """\nline1 \\\n   line2"""\nml = \'\'\'\nraw\\n\'\'\'\nq = """""x"" """""\n',
  'numbers': 'h = 0xDEAD_beef\no = 0o17\nb = 0b101\ni = +1_000\nf = 6.626e-34\ng = -0.5\nn = -inf\np = nan\nz = 0\n',
  'arrays and inline tables': 't = { a = 1, b = { c = "x" } }\narr = [ 1, 2,\n # comment\n 3, ]\nnested = [[1, 2], ["a"], []]\n',
  'TOML 1.1 relaxations smol-toml accepts': 't = {\n  a = 1,\n  b = 2,\n}\ne = "\\e"\n',
  'comments and blank lines': '# top\n\n[a] # after header\nk = 1 # after value\n\n',
  'CRLF line endings': '[a]\r\nk = "v"\r\nm = """\r\nx\r\n"""\r\n',
};

for (const [name, text] of Object.entries(VALID)) {
  test(`parser agrees with smol-toml: ${name}`, () => {
    const doc = parseToml(text);
    assert.deepEqual(doc.errors, []);
    assert.deepEqual(ourPlain(text), smolPlain(text));
  });
}

test('dates keep their TOML text and kind', () => {
  const doc = parseToml('d = 1979-05-27T07:32:00Z\nd2 = 1979-05-27 07:32:00\nt = 07:32:00\nld = 1979-05-27\n');
  assert.deepEqual(doc.errors, []);
  const kinds = [...doc.root.entries.values()].map((e) => e.value.type === 'scalar' && [e.value.kind, e.value.value]);
  assert.deepEqual(kinds, [['datetime', '1979-05-27T07:32:00Z'], ['datetime', '1979-05-27 07:32:00'], ['datetime', '07:32:00'], ['datetime', '1979-05-27']]);
});

test('spans point at the exact key and value', () => {
  const text = '[target]\nbase_url = "http://x"\n\n[[requests]]\nmethod = "GET"\n';
  const doc = parseToml(text);
  const req = doc.root.entries.get('requests')!.value;
  assert.equal(req.type, 'array');
  const item = req.type === 'array' ? req.items[0]! : undefined;
  assert.equal(item?.type, 'table');
  const method = item!.type === 'table' ? item!.entries.get('method')! : undefined;
  assert.equal(text.slice(method!.keySpan.start, method!.keySpan.end), 'method');
  assert.equal(text.slice(method!.value.span.start, method!.value.span.end), '"GET"');
  assert.deepEqual(doc.headers.map((h) => [h.kind, h.path, text.slice(h.span.start, h.span.end)]), [
    ['table', ['target'], '[target]'],
    ['array-table', ['requests', 0], '[[requests]]'],
  ]);
  assert.equal(doc.headers[0]!.bodyEnd, text.indexOf('[[requests]]'));
});

test('keeps going after errors and reports each one where it is, once', () => {
  const text = 'base_u\na = 1\n[schedu\nb = 2\n[c]\nmethod = \nd = 3\nname = "a\nok = 1\nx = 1\nx = 2\n';
  const doc = parseToml(text);
  const at = doc.errors.map((e) => [text.slice(e.span.start, e.span.end), e.message]);
  assert.deepEqual(at, [
    ['base_u', "expected '=' after the key 'base_u'"],
    ['[schedu', "expected ']' to close the table header"],
    ['', 'expected a value'],
    ['"a', 'unterminated string: expected a closing \'"\''],
    ['x', "duplicate key 'x'"],
  ]);
  // The good lines are still in the tree; b, below the broken header, is in no known table.
  assert.deepEqual(toPlain(doc.root), { a: 1, c: { d: 3, ok: 1, x: 1 } });
});

test('after an error, what follows from it is not reported until a line parses again', () => {
  const cases: [string, string[]][] = [
    // The key lost its value to a line break: the next line, starting with '=', is the same problem.
    ['key\n= 1\n', ["expected '=' after the key 'key'"]],
    // The rest of an unterminated string on the next line.
    ['a = "\n"\n', ['unterminated string: expected a closing \'"\'']],
    // A table header broken over two lines.
    ['[a\n]\n', ["expected ']' to close the table header"]],
    // The line after a broken line that defined the key is not a duplicate to report.
    ['s = "x" "y"\ns = 1\n', ['expected the end of the line, found \'"y"\'']],
    // Keys below a table that cannot be defined do not land in the table before it.
    ['[[f]]\nname = 1\n[f]\nname = 2\n', ['table [f] is defined more than once']],
  ];
  for (const [text, messages] of cases) assert.deepEqual(parseToml(text).errors.map((e) => e.message), messages, text);
});

test('time-zone offsets out of range and bare carriage returns in multi-line strings are errors, as in smol-toml', () => {
  const cases: [string, string][] = [
    ['d = 1985-06-18 17:04:07+25:00\n', "invalid time-zone offset in '1985-06-18 17:04:07+25:00'"],
    ['d = 1985-06-18T17:04:07-12:60\n', "invalid time-zone offset in '1985-06-18T17:04:07-12:60'"],
    ['s = """a\rb"""\n', 'a bare carriage return is not a line ending'],
    ["s = '''a\rb'''\n", 'a bare carriage return is not a line ending'],
    ['s = """a \\\r b"""\n', 'a bare carriage return is not a line ending'],
  ];
  for (const [text, message] of cases) {
    assert.deepEqual(parseToml(text).errors.map((e) => e.message), [message], JSON.stringify(text));
    assert.throws(() => parse(text), JSON.stringify(text));
  }
  assert.deepEqual(parseToml('d = 1985-06-18 17:04:07+23:59\ns = """a\r\nb"""\n').errors, []);
});

test('semantic errors: redefined tables, dotted keys into values, arrays of tables over values', () => {
  const cases: [string, string][] = [
    ['[a]\n[a]\n', 'table [a] is defined more than once'],
    ['a = 1\n[a.b]\n', "'a' is already a value, not a table"],
    ['a = 1\n[[a]]\n', "'a' is already defined, so it cannot be an array of tables"],
    ['t = { x = 1 }\nt.y = 2\n', "'t' is already defined and cannot be extended with a dotted key"],
    ['d = 1979-02-32\n', "invalid date '1979-02-32'"],
    ['x = 01\n', "invalid number or date '01'"],
    ['s = "bad \\q"\n', "invalid escape sequence '\\q'"],
  ];
  for (const [text, message] of cases) assert.deepEqual(parseToml(text).errors.map((e) => e.message), [message], text);
});

test('unterminated multi-line constructs stop at the end of the file with one error', () => {
  for (const text of ['body = """\n{"a":1}\n', 'arr = [1,\n2,\n', 'h = { A = "1", \n']) {
    const doc = parseToml(text);
    assert.equal(doc.errors.length, 1, text);
  }
});

test('deep nesting is an error, not a stack overflow', () => {
  const text = 'a = ' + '['.repeat(5000) + ']'.repeat(5000) + '\n';
  const doc = parseToml(text);
  assert.match(doc.errors[0]!.message, /nesting deeper than/);
});

test('garbage and binary input never throw', () => {
  for (const text of ['garbage not toml', '\u0000\u0001\u0002', '[[[', ']]]', '= = =', '"""', "'''", '{', '[a]]\n', 'a = {', 'a = [}']) {
    const doc = parseToml(text);
    assert.ok(doc.errors.length > 0, JSON.stringify(text));
  }
});
