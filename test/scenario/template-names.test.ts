/**
 * engine/templates/names.ts: the one list of names a scenario's templates can use, which the
 * template checks and the language server share. Exact kinds, details, definitions and slots.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseToml } from '../../engine/scenario/toml/parser';
import { validateText } from '../../engine/scenario/validate';
import { scopeOfNames, templateNames, type TemplateName } from '../../engine/templates/names';

const TEXT = `[vars]
user = "alice"
max = 1000
long = "${'x'.repeat(80)}"
key = { value = "k-123", secret = true }

[[setup]]
path = "/admin"
[setup.extract]
admin = { json = "$.token", secret = true }

[[requests]]
name = "login"
path = "/login"
[requests.extract]
token = { json = "$.token" }
user = { header = "X-User" }

[[requests]]
path = "/x"
[requests.extract]
token = { header = "X-Token" }
`;

test('vars, extracted names, built-ins and env, each with kind, detail and where it is defined', () => {
  const names = templateNames(parseToml(TEXT));
  /** The span of the nth key `name` (written `name = …`). */
  const at = (name: string, nth = 0) => {
    let from = -1;
    for (let k = 0; k <= nth; k++) from = TEXT.indexOf(`\n${name} =`, from + 1);
    return { start: from + 1, end: from + 1 + name.length };
  };
  assert.deepEqual(names.all.slice(0, 6).map((n) => [n.name, n.kind, n.detail, n.secret, n.definitions]), [
    ['user', 'var', '"alice"', false, [{ span: at('user'), label: '[vars]' }]],
    ['max', 'var', '1000', false, [{ span: at('max'), label: '[vars]' }]],
    ['long', 'var', `"${'x'.repeat(58)}…`, false, [{ span: at('long'), label: '[vars]' }]],
    ['key', 'var', '***', true, [{ span: at('key'), label: '[vars]' }]],
    ['admin', 'extract', 'extracted by setup #1', true, [{ span: at('admin'), label: 'extracted by setup #1' }]],
    // Extracted by two requests: both places; `user` is also a [vars] entry (a conflict the checks report), so it is the var.
    ['token', 'extract', "extracted by request #1 'login', extracted by request #2", false, [
      { span: at('token'), label: "extracted by request #1 'login'" }, { span: at('token', 1), label: 'extracted by request #2' },
    ]],
  ]);
  assert.deepEqual(names.all.slice(6).map((n) => [n.name, n.kind, n.detail]), [
    ['vu', 'builtin-value', 'vu'], ['iteration', 'builtin-value', 'iteration'], ['elapsed', 'builtin-value', 'elapsed'],
    ['now', 'builtin-value', 'now'], ['now_ms', 'builtin-value', 'now_ms'],
    ['random_int', 'builtin-function', 'random_int(min, max)'], ['random_choice', 'builtin-function', 'random_choice(a, b, …)'],
    ['uuid', 'builtin-function', 'uuid()'], ['url_encode', 'builtin-function', 'url_encode(x)'], ['json_encode', 'builtin-function', 'json_encode(x)'],
    ['env', 'env-namespace', 'environment variables: env.NAME'],
  ]);
  assert.equal(names.byName.get('user')!.kind, 'var');
  assert.ok(!JSON.stringify(names.all).includes('k-123'), 'a secret value is in no detail');
  const scope = scopeOfNames(names, { A: '1' });
  assert.deepEqual([...scope.vars.keys()], ['user', 'max', 'long', 'key']);
  assert.deepEqual([...scope.dynamic!], [['admin', { slot: 0, secret: true, source: 'extract' }], ['token', { slot: 1, secret: false, source: 'extract' }], ['user', { slot: 2, secret: false, source: 'extract' }]]);
  assert.deepEqual(scope.env, { A: '1' });
});

test('extra names (data columns found on disk) join the list and the dynamic slots; conflicts do not', () => {
  const column = (name: string): TemplateName => ({
    name, kind: 'data', detail: 'column of users.csv', secret: false,
    definitions: [{ label: 'column of users.csv', external: { file: '/w/users.csv', line: 0, start: 0, end: name.length } }],
  });
  const names = templateNames(parseToml('[vars]\nuser = "a"\n[[requests]]\npath = "/"\n[requests.extract]\ntoken = { status = true }\n'), [column('email'), column('user'), column('token')]);
  assert.deepEqual(names.all.slice(0, 3).map((n) => [n.name, n.kind]), [['user', 'var'], ['token', 'extract'], ['email', 'data']]);
  assert.deepEqual(names.byName.get('email')!.definitions, [{ label: 'column of users.csv', external: { file: '/w/users.csv', line: 0, start: 0, end: 5 } }]);
  assert.deepEqual([...names.dynamic], [['token', { slot: 0, secret: false, source: 'extract' }], ['email', { slot: 1, secret: false, source: 'data' }]]);
});

test('used-before-extracted follows the sequence order (extractedEarlier), at the exact use', () => {
  const text = (steps: string[]) => `[target]\nbase_url = "http://127.0.0.1:1"\n[runtime]\niterations = 1\n`
    + '[[requests]]\nname = "login"\npath = "/login"\n[requests.extract]\ntoken = { json = "$.t" }\n'
    + '[[requests]]\nname = "items"\npath = "/items/{{ token }}"\n[sequence]\n'
    + steps.map((s) => `[[sequence.steps]]\nrequest = "${s}"\n`).join('');
  const warnings = (t: string) => validateText(t).diagnostics.filter((d) => d.code === 'used-before-extracted').map((d) => [d.range, d.severity]);
  assert.deepEqual(warnings(text(['login', 'items'])), []);
  const reversed = text(['items', 'login']);
  const line = reversed.split('\n').indexOf('path = "/items/{{ token }}"');
  assert.deepEqual(warnings(reversed), [[{ start: { line, character: 18 }, end: { line, character: 23 } }, 'warning']]);
  // Without a sequence requests come in random order: no order, no warning.
  assert.deepEqual(warnings(text([]).replace('[sequence]\n', '')), []);
});
