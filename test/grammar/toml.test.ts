// The z6 grammar must highlight all of TOML 1.0 (plus the 1.1 relaxations), because a scenario is plain TOML.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNoScope, assertScope, dump, hasScope, tokenize, tokenOf } from './tokenize';

describe('comments', () => {
  it('scopes a whole-line comment and its # sign', async () => {
    const t = await tokenize('# a comment');
    assertScope(t, '#', 'punctuation.definition.comment.toml');
    assertScope(t, ' a comment', 'comment.line.number-sign.toml');
  });

  it('scopes a comment after a value, and # inside a string is not a comment', async () => {
    const t = await tokenize('a = "x # y" # real');
    assertScope(t, 'x # y', 'string.quoted.double.toml');
    assertNoScope(t, 'x # y', 'comment');
    assertScope(t, ' real', 'comment.line.number-sign.toml');
  });
});

describe('table headers', () => {
  it('scopes [table] brackets and name', async () => {
    const t = await tokenize('[owner]');
    assertScope(t, '[', 'punctuation.definition.table.begin.toml');
    assertScope(t, 'owner', 'entity.name.section.toml');
    assertScope(t, 'owner', 'meta.table.toml');
    assertScope(t, ']', 'punctuation.definition.table.end.toml');
  });

  it('scopes dotted and quoted keys with whitespace around the dots', async () => {
    const t = await tokenize(`[ dog . "tater.man" . 'x y' ]`);
    assertScope(t, 'dog', 'entity.name.section.toml');
    assertScope(t, '.', 'punctuation.separator.dot.toml', 0);
    assertScope(t, 'tater.man', 'entity.name.section.quoted.double.toml');
    assertNoScope(t, 'tater.man', 'punctuation.separator.dot');
    assertScope(t, 'x y', 'entity.name.section.quoted.single.toml');
    assertScope(t, ']', 'punctuation.definition.table.end.toml');
  });

  it('scopes [[array.of.tables]] apart from [table]', async () => {
    const t = await tokenize('[[fruits.varieties]]  # nested array of tables');
    assertScope(t, '[[', 'punctuation.definition.table.array.begin.toml');
    assertScope(t, 'fruits', 'meta.array-table.toml');
    assertScope(t, 'fruits', 'entity.name.section.toml');
    assertScope(t, '.', 'punctuation.separator.dot.toml');
    assertScope(t, 'varieties', 'entity.name.section.toml');
    assertScope(t, ']]', 'punctuation.definition.table.array.end.toml');
    assertScope(t, ' nested array of tables', 'comment.line.number-sign.toml');
  });

  it('allows indented headers', async () => {
    const t = await tokenize('  [servers.alpha]');
    assertScope(t, 'alpha', 'entity.name.section.toml');
  });
});

describe('keys', () => {
  it('scopes bare, double-quoted, single-quoted and dotted keys', async () => {
    const t = await tokenize(`site."google.com" . 'x' = true\nbare-key_1 = 1`);
    assertScope(t, 'site', 'variable.other.key.toml');
    assertScope(t, 'google.com', 'variable.other.key.quoted.double.toml');
    assertScope(t, '"', 'punctuation.definition.key.begin.toml', 0);
    assertScope(t, '.', 'punctuation.separator.dot.toml', 0);
    assertScope(t, 'x', 'variable.other.key.quoted.single.toml');
    assertScope(t, '=', 'punctuation.separator.key-value.toml');
    assertScope(t, 'bare-key_1', 'variable.other.key.toml');
  });

  it('treats words that look like values as keys before =', async () => {
    const t = await tokenize('true = 1\ninf=2\n1234 = 3\n1979-05-27 = 4');
    for (const key of ['true', 'inf', '1234', '1979-05-27']) assertScope(t, key, 'variable.other.key.toml');
    assertNoScope(t, 'true', 'constant');
  });

  it('scopes escapes inside quoted keys', async () => {
    const t = await tokenize('"a\\tb" = 1');
    assertScope(t, '\\t', 'constant.character.escape.toml');
  });
});

describe('basic strings', () => {
  it('scopes quotes, content and every valid escape', async () => {
    const t = await tokenize('s = "a\\b\\t\\n\\f\\r\\"\\\\ \\u00E9 \\U0001F600 z"');
    assertScope(t, '"', 'punctuation.definition.string.begin.toml', 0);
    assertScope(t, 'a', 'string.quoted.double.toml');
    for (const e of ['\\b', '\\t', '\\n', '\\f', '\\r', '\\"', '\\\\', '\\u00E9', '\\U0001F600']) {
      assertScope(t, e, 'constant.character.escape.toml');
    }
    assertScope(t, ' z', 'string.quoted.double.toml');
    assertScope(t, '"', 'punctuation.definition.string.end.toml', 1);
  });

  it('marks invalid escapes, including short \\u sequences', async () => {
    const t = await tokenize('s = "\\q \\u12 \\U0001F6 ok"');
    assertScope(t, '\\q', 'invalid.illegal.escape.toml');
    assertScope(t, '\\u12', 'invalid.illegal.escape.toml');
    assertScope(t, '\\U0001F6', 'invalid.illegal.escape.toml');
    assertScope(t, ' ok', 'string.quoted.double.toml');
  });

  it('accepts the TOML 1.1 escapes \\e and \\xHH', async () => {
    const t = await tokenize('s = "\\e[1m \\x41"');
    assertScope(t, '\\e', 'constant.character.escape.toml');
    assertScope(t, '\\x41', 'constant.character.escape.toml');
  });

  it('ends an unterminated string at the end of its line', async () => {
    const t = await tokenize('u = "open\nnext = 1');
    assertScope(t, 'next', 'variable.other.key.toml');
    assertNoScope(t, 'next', 'string');
  });
});

describe('multi-line basic strings', () => {
  it('spans lines and scopes the line-ending backslash', async () => {
    const t = await tokenize('s = """\nfirst \\\n  second\\t"""\nafter = 1');
    assertScope(t, '"""', 'punctuation.definition.string.begin.toml', 0);
    assertScope(t, 'first ', 'string.quoted.double.block.toml');
    assertScope(t, '\\', 'constant.character.escape.line-continuation.toml');
    assertScope(t, '  second', 'string.quoted.double.block.toml');
    assertScope(t, '\\t', 'constant.character.escape.toml');
    assertScope(t, '"""', 'punctuation.definition.string.end.toml', 1);
    assertScope(t, 'after', 'variable.other.key.toml');
  });

  it('takes up to two extra quotes before the closing delimiter as content', async () => {
    const t = await tokenize('a = """x"""""\nb = """y""""');
    assertScope(t, 'x""', 'string.quoted.double.block.toml');
    assertScope(t, 'y"', 'string.quoted.double.block.toml');
    assertScope(t, '"""', 'punctuation.definition.string.end.toml', 1);
    assertScope(t, '"""', 'punctuation.definition.string.end.toml', 3);
  });

  it('keeps a lone " and "" inside as content', async () => {
    const t = await tokenize('a = """one " two "" three"""');
    assertScope(t, 'one " two "" three', 'string.quoted.double.block.toml');
  });
});

describe('literal strings', () => {
  it('scopes single-quoted strings without escapes', async () => {
    const t = await tokenize("p = 'C:\\Users\\nodejs'");
    assertScope(t, 'C:\\Users\\nodejs', 'string.quoted.single.toml');
    assert.ok(!t.flat().some((x) => hasScope(x, 'constant.character.escape')), dump(t));
  });

  it('spans lines in multi-line literal strings, with extra quotes before the close', async () => {
    const t = await tokenize("s = '''\nraw \\n line\n'it''''' # after");
    assertScope(t, "'''", 'punctuation.definition.string.begin.toml', 0);
    assertScope(t, 'raw \\n line', 'string.quoted.single.block.toml');
    assertNoScope(t, 'raw \\n line', 'constant.character.escape');
    assertScope(t, "'it''", 'string.quoted.single.block.toml');
    assertScope(t, "'''", 'punctuation.definition.string.end.toml', 1);
    assertScope(t, ' after', 'comment.line.number-sign.toml');
  });
});

describe('integers', () => {
  it('scopes decimal (signs, underscores), hex, octal and binary', async () => {
    const t = await tokenize('n = [ +99, -17, 0, 5_349_221, 0xDEAD_beef, 0o755, 0b1101_0110 ]');
    for (const d of ['+99', '-17', '0', '5_349_221']) assertScope(t, d, 'constant.numeric.integer.decimal.toml');
    assertScope(t, '0xDEAD_beef', 'constant.numeric.integer.hex.toml');
    assertScope(t, '0o755', 'constant.numeric.integer.octal.toml');
    assertScope(t, '0b1101_0110', 'constant.numeric.integer.binary.toml');
  });

  it('marks numbers TOML rejects (leading zero, bad digit, trailing underscore)', async () => {
    const t = await tokenize('n = [ 01, 0o8, 1_, 0xG ]');
    for (const bad of ['01', '0o8', '1_', '0xG']) assertScope(t, bad, 'invalid.illegal.value.toml');
  });
});

describe('floats', () => {
  it('scopes fractions and exponents', async () => {
    const t = await tokenize('f = [ +1.0, 3.1415, -0.01, 5e+22, 1e06, -2E-2, 6.626e-34, 224_617.445_991 ]');
    for (const f of ['+1.0', '3.1415', '-0.01', '5e+22', '1e06', '-2E-2', '6.626e-34', '224_617.445_991']) {
      assertScope(t, f, 'constant.numeric.float.toml');
    }
  });

  it('scopes inf and nan with and without signs', async () => {
    const t = await tokenize('f = [ inf, +inf, -inf, nan, +nan, -nan ]');
    for (const f of ['inf', '+inf', '-inf']) assertScope(t, f, 'constant.numeric.float.inf.toml');
    for (const f of ['nan', '+nan', '-nan']) assertScope(t, f, 'constant.numeric.float.nan.toml');
  });
});

describe('booleans', () => {
  it('scopes true and false, but not a word that starts with them', async () => {
    const t = await tokenize('a = true\nb = false\nc = trueish');
    assertScope(t, 'true', 'constant.language.boolean.toml');
    assertScope(t, 'false', 'constant.language.boolean.toml');
    assertScope(t, 'trueish', 'invalid.illegal.value.toml');
  });
});

describe('date-times', () => {
  it('tells the four kinds apart, with T, t or a space between date and time', async () => {
    const t = await tokenize(
      [
        'odt1 = 1979-05-27T07:32:00Z',
        'odt2 = 1979-05-27 00:32:00.999999-07:00',
        'odt3 = 1979-05-27t07:32z',
        'ldt1 = 1979-05-27T07:32:00.5',
        'ldt2 = 1979-05-27 07:32:00',
        'ld = 1979-05-27 # date',
        'lt = 00:32:00.999999',
      ].join('\n'),
    );
    for (const v of ['1979-05-27T07:32:00Z', '1979-05-27 00:32:00.999999-07:00', '1979-05-27t07:32z']) {
      assertScope(t, v, 'constant.numeric.datetime.offset.toml');
    }
    for (const v of ['1979-05-27T07:32:00.5', '1979-05-27 07:32:00']) assertScope(t, v, 'constant.numeric.datetime.local.toml');
    assertScope(t, '1979-05-27', 'constant.numeric.date.local.toml');
    assertScope(t, ' date', 'comment.line.number-sign.toml');
    assertScope(t, '00:32:00.999999', 'constant.numeric.time.local.toml');
  });

  it('accepts times without seconds (TOML 1.1)', async () => {
    const t = await tokenize('a = 07:32\nb = 1979-05-27T07:32\nc = 1979-05-27T07:32+01:00');
    assertScope(t, '07:32', 'constant.numeric.time.local.toml');
    assertScope(t, '1979-05-27T07:32', 'constant.numeric.datetime.local.toml');
    assertScope(t, '1979-05-27T07:32+01:00', 'constant.numeric.datetime.offset.toml');
  });
});

describe('arrays', () => {
  it('scopes brackets and separators, nested arrays and mixed values', async () => {
    const t = await tokenize('a = [ [1, 2], ["x", \'y\'], [] ]');
    assertScope(t, '[', 'punctuation.definition.array.begin.toml', 0);
    assertScope(t, '[', 'punctuation.definition.array.begin.toml', 1);
    assert.equal(tokenOf(t, '1').scopes.filter((s) => s === 'meta.array.toml').length, 2, 'nested array depth');
    assertScope(t, ',', 'punctuation.separator.array.toml');
    assertScope(t, 'x', 'string.quoted.double.toml');
    assertScope(t, 'y', 'string.quoted.single.toml');
  });

  it('spans lines, with comments and a trailing comma', async () => {
    const t = await tokenize('a = [\n  1, # one\n  "two", # two\n]\nb = 2');
    assertScope(t, '1', 'meta.array.toml');
    assertScope(t, ' one', 'comment.line.number-sign.toml');
    assertScope(t, 'two', 'string.quoted.double.toml');
    assertScope(t, ']', 'punctuation.definition.array.end.toml');
    assertScope(t, 'b', 'variable.other.key.toml');
    assertNoScope(t, 'b', 'meta.array');
  });

  it('recovers at the next header when an array is left open', async () => {
    const t = await tokenize('a = [1, 2\n[runtime]\nvus = 1');
    assertScope(t, 'runtime', 'entity.name.section.toml');
    assertNoScope(t, 'runtime', 'meta.array');
    assertScope(t, 'vus', 'variable.other.key.toml');
  });

  it('does not mistake a nested array on its own line for a header', async () => {
    const t = await tokenize('a = [\n  [true],\n  [1]\n]\nb = 1');
    assertScope(t, 'true', 'constant.language.boolean.toml');
    assert.equal(tokenOf(t, '1').scopes.filter((s) => s === 'meta.array.toml').length, 2, dump(t));
    assertScope(t, 'b', 'variable.other.key.toml');
  });
});

describe('inline tables', () => {
  it('scopes braces, keys, separators and nesting', async () => {
    const t = await tokenize('p = { x = 1, y.z = "s", n = { m = [ { d = true } ] } }');
    assertScope(t, '{', 'punctuation.definition.inline-table.begin.toml', 0);
    assertScope(t, 'x', 'variable.other.key.toml');
    assertScope(t, 'x', 'meta.inline-table.toml');
    assertScope(t, ',', 'punctuation.separator.inline-table.toml');
    assertScope(t, 'y', 'variable.other.key.toml');
    assertScope(t, 'z', 'variable.other.key.toml');
    assertScope(t, 'm', 'variable.other.key.toml');
    assertScope(t, 'd', 'variable.other.key.toml');
    assert.equal(tokenOf(t, 'd').scopes.filter((s) => s === 'meta.inline-table.toml').length, 3, dump(t));
    assertScope(t, 'true', 'constant.language.boolean.toml');
    assertScope(t, '}', 'punctuation.definition.inline-table.end.toml', 2);
  });

  it('keeps commas and braces inside string values as string content', async () => {
    const t = await tokenize('h = { a = "x, }", b = 2 }');
    assertScope(t, 'x, }', 'string.quoted.double.toml');
    assertScope(t, 'b', 'variable.other.key.toml');
  });

  it('spans lines with comments and a trailing comma (TOML 1.1)', async () => {
    const t = await tokenize('t = {\n  a = 1, # first\n  b = { c = "x" },\n}\nafter = 2');
    assertScope(t, 'a', 'variable.other.key.toml');
    assertScope(t, ' first', 'comment.line.number-sign.toml');
    assertScope(t, 'c', 'variable.other.key.toml');
    assertScope(t, '}', 'punctuation.definition.inline-table.end.toml', 1);
    assertScope(t, 'after', 'variable.other.key.toml');
    assertNoScope(t, 'after', 'meta.inline-table');
  });
});

describe('mistakes stay contained', () => {
  it("does not leak a string's closing quote into the next key", async () => {
    const t = await tokenize('a = "ends in backslash \\\\"\nb = "quote \\""\nc = 1');
    assertScope(t, '\\\\', 'constant.character.escape.toml');
    assertScope(t, '"', 'punctuation.definition.string.end.toml', 1);
    assertScope(t, '\\"', 'constant.character.escape.toml');
    for (const key of ['b', 'c']) {
      assertScope(t, key, 'variable.other.key.toml');
      assertNoScope(t, key, 'string');
    }
  });

  it('marks an unquoted word value as invalid', async () => {
    const t = await tokenize('method = GET');
    assertScope(t, 'GET', 'invalid.illegal.value.toml');
  });

  it('marks stray closing brackets after a value', async () => {
    const t = await tokenize('a = 1 ]');
    assertScope(t, ']', 'invalid.illegal.value.toml');
  });
});
