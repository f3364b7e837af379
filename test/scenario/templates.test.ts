/**
 * Template diagnostics at their exact range inside the string (through escapes and multi-line
 * strings), [vars] checks, and the parser's ranges. Ranges are checked by the text they cover.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateText } from '../../engine/scenario/validate';
import { parseTemplate } from '../../engine/templates/parse';
import { stringOffsets } from '../../engine/scenario/toml/string-offsets';
import { BASE, applyEdits, diags } from './helpers';

const REQ = (extra: string) => `[target]\nbase_url = "http://127.0.0.1:8080"\n[runtime]\nduration_seconds = 10\n[vars]\nuser = "ann"\n[[requests]]\nname = "r"\n${extra}\n${extra.startsWith('path') ? '' : 'path = "/"\n'}`;
/** Errors only, as `line:col «covered text» code`. */
const errs = (text: string, env?: Record<string, string | undefined>) =>
  validateText(text, env ? { env } : {}).diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} «${text.slice(d.span.start, d.span.end)}» ${d.code}`);

test('every existing kind of value without templates is unaffected; a valid template is no diagnostic', () => {
  assert.deepEqual(diags(BASE), []);
  assert.deepEqual(errs(REQ('path = "/u/{{ user }}/{{ vu }}?i={{iteration}}&t={{ now_ms }}&e={{ elapsed }}"\nheaders = { A = "{{ env.TOKEN }} {{ uuid() }} {{ now }}" }\nbody = \'\'\'{{ json_encode(user) }} {{ random_choice("a", \'b\', 3) }} {{ random_int(-5, 5) }} {{ url_encode(user) }}\'\'\'')), []);
});

test('an unknown name is reported on the name itself, with a did-you-mean fix', () => {
  const text = REQ('path = "/u/{{ usr }}"');
  const r = validateText(text);
  const d = r.diagnostics.find((x) => x.code === 'unknown-variable')!;
  assert.equal(text.slice(d.span.start, d.span.end), 'usr');
  assert.match(d.message, /unknown name 'usr'; did you mean 'user'\?/);
  assert.equal(applyEdits(text, d.fixes![0]!.edits), REQ('path = "/u/{{ user }}"'));
});

test('ranges stay exact after escapes in a basic string, and in multi-line strings', () => {
  assert.deepEqual(errs(REQ('headers = { A = "\\u00e9\\t\\"x\\" {{ nope }}" }')), ['9:35 «nope» unknown-variable']);
  assert.deepEqual(errs(REQ('headers = { A = "\\U0001F600{{ nope }}" }')), ['9:31 «nope» unknown-variable']);
  assert.deepEqual(errs(REQ("body = '''\n{\n  \"a\": {{ nope }}\n}'''")), ['11:11 «nope» unknown-variable']);
  assert.deepEqual(errs(REQ('body = """\\\n   {{ nope }}"""')), ['10:7 «nope» unknown-variable']);
  assert.deepEqual(errs(REQ("body = 'x {{ nope }}'")), ['9:14 «nope» unknown-variable']);
});

test('wrong arity covers the call; constant arguments of random_int are checked', () => {
  assert.deepEqual(errs(REQ('path = "/{{ random_int(1) }}"')), ['9:13 «random_int(1)» template-arity']);
  assert.deepEqual(errs(REQ('path = "/{{ uuid(1) }}"')), ['9:13 «uuid(1)» template-arity']);
  assert.deepEqual(errs(REQ('path = "/{{ random_choice() }}"')), ['9:13 «random_choice()» template-arity']);
  assert.deepEqual(errs(REQ('path = "/{{ random_int(1.5, 3) }}"')), ['9:24 «1.5» template-argument']);
  assert.deepEqual(errs(REQ('path = "/{{ random_int(9, user) }}"')), ['9:27 «user» template-argument']);
  assert.deepEqual(errs(REQ('path = "/{{ random_int(9, 2) }}"')), ['9:24 «9, 2» template-argument']);
});

test('values and functions are not mixed up; env needs one name', () => {
  assert.deepEqual(errs(REQ('path = "/{{ uuid }}/{{ vu() }}/{{ user() }}/{{ env }}/{{ env.A.B }}/{{ user.x }}/{{ nope(1) }}"')), [
    '9:13 «uuid» unknown-variable', '9:24 «vu» unknown-variable', '9:35 «user» unknown-variable', '9:48 «env» unknown-variable',
    '9:58 «env.A.B» unknown-variable', '9:72 «user.x» unknown-variable', '9:85 «nope» unknown-variable',
  ]);
});

test('an unclosed {{ covers the rest of the string; syntax errors point at the problem', () => {
  assert.deepEqual(errs(REQ('path = "/a/{{ vu /b"')), ['9:12 «{{ vu /b» template-syntax']);
  assert.deepEqual(errs(REQ('path = "/a/{{ }}"')), ['9:12 «{{ }}» template-syntax']);
  assert.deepEqual(errs(REQ('path = "/a/{{ vu vu }}"')), ['9:18 «vu» template-syntax']);
  assert.deepEqual(errs(REQ('path = "/a/{{ random_int(1, 2 }}"')), ['9:15 «random_int(1, 2» template-syntax']);
  assert.deepEqual(errs(REQ("path = \"/a/{{ 'x }}\"")), ['9:15 «\'x» template-syntax']);
  // A later template in the same string is still checked.
  assert.deepEqual(errs(REQ('path = "/{{ }}/{{ nope }}"')), ['9:10 «{{ }}» template-syntax', '9:19 «nope» unknown-variable']);
});

test('the path check ignores what is inside templates, but not the text around them', () => {
  assert.deepEqual(errs(REQ('path = "/{{ random_choice(\'a b\', \'c\') }}"')), []);
  assert.deepEqual(errs(REQ('path = "/a b/{{ vu }}"')).map((e) => e.split(' ').pop()), ['invalid-path']);
  const fix = validateText(REQ('path = "/a b/{{ vu }}"')).diagnostics.find((d) => d.code === 'invalid-path')!;
  assert.equal(fix.fixes, undefined, 'no fix that would rewrite the template');
});

test('env names are checked against the environment when one is given', () => {
  const text = REQ('headers = { Authorization = "Bearer {{ env.TOKEN }}", B = "{{ env.EMPTY }}" }');
  assert.deepEqual(errs(text), []);
  assert.deepEqual(errs(text, { TOKEN: 'x', EMPTY: 'y' }), []);
  assert.deepEqual(errs(text, { EMPTY: '' }), ['9:40 «env.TOKEN» env-unset', '9:63 «env.EMPTY» env-unset']);
  const d = validateText(text, { env: { EMPTY: '' } }).diagnostics;
  assert.match(d[0]!.message, /environment variable TOKEN is not set/);
  assert.match(d[1]!.message, /environment variable EMPTY is empty/);
});

test('[vars]: names, reserved names, value types and the secret form', () => {
  const v = (body: string) => errs(`${BASE}\n[vars]\n${body}\n`);
  assert.deepEqual(v('a = "x"\nb = 1\nc = 2.5\nd = true\ne = { value = "s", secret = true }\nf = { value = 3 }'), []);
  assert.deepEqual(v('vu = 1'), ['13:1 «vu» invalid-var']);
  assert.deepEqual(v('env = 1'), ['13:1 «env» invalid-var']);
  assert.deepEqual(v('"a-b" = 1'), ['13:1 «"a-b"» invalid-var']);
  assert.deepEqual(v('a = [1]'), ['13:5 «[1]» wrong-type']);
  assert.deepEqual(v('a = 1979-05-27'), ['13:5 «1979-05-27» wrong-type']);
  assert.deepEqual(v('a = { value = "x", secrt = true }'), ['13:20 «secrt» unknown-key']);
  assert.deepEqual(v('a = { secret = true }'), ['13:5 «{ secret = true }» missing-key']);
  assert.deepEqual(v('a = { value = "x", secret = "yes" }'), ['13:29 «"yes"» wrong-type']);
  assert.deepEqual(v('a = { value = [1] }'), ['13:15 «[1]» wrong-type']);
});

test('the built scenario carries the vars', () => {
  const s = validateText(`${BASE}\n[vars]\na = "x"\nk = { value = "s", secret = true }\n`).scenario!;
  assert.deepEqual(s.vars, { a: { value: 'x', secret: false }, k: { value: 's', secret: true } });
  assert.deepEqual(validateText(BASE).scenario!.vars, {});
});

test('parser: parts and expression ranges', () => {
  const p = parseTemplate("a{{ f(x.y, 'q}}', -2) }}b{{ '{{' }}");
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.parts.map((x) => [x.type, x.span.start, x.span.end]), [['text', 0, 1], ['expr', 1, 24], ['text', 24, 25], ['expr', 25, 35]]);
  const call = (p.parts[1] as { expr: { type: string; args: { span: { start: number; end: number } }[] } }).expr;
  assert.equal(call.type, 'call');
  assert.deepEqual(call.args.map((a) => [a.span.start, a.span.end]), [[6, 9], [11, 16], [18, 20]]);
});

test('string offsets map every value index to its source offset', () => {
  const text = 'k = "a\\tb\\u00e9c"';
  const off = stringOffsets(text, { start: 4, end: text.length });
  // value: a, TAB, b, é, c
  assert.deepEqual([...off], [5, 6, 8, 9, 15, 16]);
});
