// Template expressions ({{ … }}) inside strings: delimiters, names, env.NAME, built-in calls,
// literals, in each kind of TOML string, with the string's own end still respected.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BUILTINS } from '../../engine/templates/builtins';
import { assertNoScope, assertScope, dump, GRAMMAR_PATH, tokenize } from './tokenize';

const EXPR = 'meta.template.expression.z6';
const OPEN = 'punctuation.definition.template-expression.begin.z6';
const CLOSE = 'punctuation.definition.template-expression.end.z6';

describe('template expressions in strings', () => {
  it('basic string: delimiters, a var, env.NAME, a built-in call with literals', async () => {
    const t = await tokenize(`path = "/u/{{ user }}/{{ env.API_TOKEN }}?n={{ random_int(1, 10) }}&q={{ random_choice('a', "b") }}"`);
    assertScope(t, '{{', OPEN, 0);
    assertScope(t, '}}', CLOSE, 0);
    assertScope(t, 'user', 'variable.other.z6');
    assertScope(t, 'user', EXPR);
    assertScope(t, 'user', 'string.quoted.double.toml'); // still inside the TOML string
    assertScope(t, 'env', 'variable.language.env.z6');
    assertScope(t, '.', 'punctuation.accessor.z6');
    assertScope(t, 'API_TOKEN', 'variable.other.env.z6');
    assertScope(t, 'random_int', 'support.function.builtin.z6');
    assertScope(t, '(', 'punctuation.definition.arguments.begin.z6');
    assertScope(t, '1', 'constant.numeric.z6');
    assertScope(t, ',', 'punctuation.separator.arguments.z6');
    assertScope(t, '10', 'constant.numeric.z6');
    assertScope(t, "'a'", 'string.quoted.single.template.z6');
    // Text around the templates is plain string content, not an expression.
    assertNoScope(t, '/u/', EXPR);
    assertNoScope(t, '?n=', EXPR);
    // An unescaped " ends the TOML string, and with it the template: `"b"` is outside the string.
    assertScope(t, '"', 'punctuation.definition.string.end.toml', 1);
  });

  it('built-in values and unknown functions', async () => {
    const t = await tokenize('headers = { X = "{{ vu }}-{{ iteration }}-{{ now_ms }}-{{ shout(user) }}" }');
    for (const v of ['vu', 'iteration', 'now_ms']) assertScope(t, v, 'variable.language.builtin.z6');
    assertScope(t, 'shout', 'entity.name.function.z6');
    assertScope(t, 'user', 'variable.other.z6');
  });

  it('an unclosed template ends with its single-line string; the next line is TOML again', async () => {
    const t = await tokenize('path = "/{{ user"\nmethod = "GET"');
    assertScope(t, 'user', EXPR);
    assertScope(t, '"', 'punctuation.definition.string.end.toml', 1);
    assertNoScope(t, 'method', 'string');
    assertScope(t, 'GET', 'string.quoted.double.toml');
    assertNoScope(t, 'GET', EXPR);
  });

  it('literal string: no escapes, "text" literals', async () => {
    const t = await tokenize(`body = '{"id": {{ json_encode(user) }}, "q": "{{ url_encode("a b") }}"}'`);
    assertScope(t, 'json_encode', 'support.function.builtin.z6');
    assertScope(t, 'user', 'variable.other.z6');
    assertScope(t, '"a b"', 'string.quoted.double.template.z6');
    assertScope(t, '}}', CLOSE, 1);
    assertNoScope(t, '{"id": ', EXPR);
  });

  it('multi-line strings: a template on a later line, one spanning lines, and the string end after it', async () => {
    const basic = await tokenize('body = """\n{"a": {{ uuid() }},\n "b": {{ random_choice(\n  "x", \'y\') }}}\n"""\nname = "n"');
    assertScope(basic, 'uuid', 'support.function.builtin.z6');
    assertScope(basic, 'random_choice', 'support.function.builtin.z6');
    assertScope(basic, '"x"', 'string.quoted.double.template.z6');
    assertScope(basic, "'y'", 'string.quoted.single.template.z6');
    assertScope(basic, '}}', CLOSE, 1);
    assertScope(basic, '"""', 'punctuation.definition.string.end.toml', 1);
    assertNoScope(basic, 'name', 'string');
    const literal = await tokenize("body = '''\nid={{ vu }}\n'''");
    assertScope(literal, 'vu', 'variable.language.builtin.z6');
    assertScope(literal, '{{', OPEN);
    assertScope(literal, "'''", 'punctuation.definition.string.end.toml', 1);
  });

  it('escapes inside a basic string template are still escapes', async () => {
    const t = await tokenize('path = "{{ random_choice(\\"a\\") }}"');
    assertScope(t, '\\"', 'constant.character.escape.toml');
    assertScope(t, '}}', CLOSE);
  });

  it('no templates in keys or comments', async () => {
    const t = await tokenize('"{{ k }}" = 1 # {{ c }}');
    assert.ok(t.flat().every((x) => !x.scopes.includes(EXPR)), dump(t));
  });

  it('lists exactly the built-ins of engine/templates/builtins.ts', () => {
    const g = JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8'));
    const [fns, , , values] = g.repository['template-expression'].patterns as { match: string }[];
    const list = (m: string) => /\\b\(([a-z_|]+)\)/.exec(m)![1]!.split('|').sort();
    assert.deepEqual(list(fns!.match), BUILTINS.filter((b) => b.kind === 'function').map((b) => b.name).sort());
    assert.deepEqual(list(values!.match), BUILTINS.filter((b) => b.kind === 'value').map((b) => b.name).sort());
  });
});
