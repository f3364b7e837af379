/**
 * The language server inside `{{ }}`, over the real protocol (in-process server, vscode-jsonrpc
 * client): completion of the names in scope, hover, go to definition, the template diagnostics
 * with their quick fix, and the workspace .env (names only, never values). Exact results.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionItem, Hover, Location } from 'vscode-languageserver';
import { startHarness, type Harness } from './harness';

const rng = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

/** The values of the .env and of the secret var: no answer of the server may contain them. */
const ENV_SECRET = 's3cr3t-token-value';
const VAR_SECRET = 'k-9f8e7d';

const SCENARIO = `[target]
base_url = "http://127.0.0.1:8080"

[runtime]
duration_seconds = 10

[vars]
user = "alice"
api_key = { value = "${VAR_SECRET}", secret = true }

[[requests]]
name = "login"
method = "POST"
path = "/login/{{ user }}"
headers = { Authorization = "Bearer {{ env.API_TOKEN }}" }

[requests.extract]
token = { json = "$.token" }

[[requests]]
name = "items"
path = "/items/{{ token }}?k={{ api_key }}&n={{ random_int(1, 9) }}"
body = """
{"when": {{ now }}, "who": {{ json_encode(user) }}}
"""
`;

let h: Harness;
let dir: string;
let n = 0;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'z6-templates-'));
  // EMPTY is set to nothing: the engine treats it as unset, so it is not offered.
  writeFileSync(join(dir, '.env'), `# for local runs\nAPI_TOKEN=${ENV_SECRET}\nEMPTY=\nexport BASE_PATH="/v2"\n`);
  h = await startHarness();
});
after(async () => {
  assert.deepEqual(h.logs, [], 'the server logged nothing');
  await h.close();
});

/** Opens `src` in `folder` (default: the one with the .env), `|` marking the cursor. */
async function openAt(src: string, folder = dir) {
  const off = src.indexOf('|');
  const text = src.replace('|', '');
  const lines = text.slice(0, off).split('\n');
  const uri = pathToFileURL(join(folder, `t${n++}.z6.toml`)).toString();
  const published = await h.open(uri, text);
  return { uri, text, published, position: { line: lines.length - 1, character: lines[lines.length - 1]!.length } };
}

async function completeAt(src: string, trigger?: string): Promise<CompletionItem[]> {
  const { uri, position } = await openAt(src);
  const context = trigger ? { triggerKind: 2, triggerCharacter: trigger } : { triggerKind: 1 };
  return h.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position, context });
}

/** SCENARIO with `|` put at the `nth` occurrence of `needle`, `delta` characters into it. */
function cursor(needle: string, delta: number, text = SCENARIO): string {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return text.slice(0, i + delta) + '|' + text.slice(i + delta);
}

const BUILTINS = ['vu', 'iteration', 'elapsed', 'now', 'now_ms', 'random_int', 'random_choice', 'uuid', 'url_encode', 'json_encode'];

describe('completion inside {{ }}', () => {
  test('every name in scope: vars (value or ***), extracted names, built-ins, env', async () => {
    const items = await completeAt(cursor('{{ token }}', 5));
    assert.deepEqual(items.map((i) => [i.label, i.kind, i.detail]), [
      ['user', 6, '"alice"'],
      ['api_key', 6, '***'],
      ['token', 6, "extracted by request #1 'login'"],
      ['vu', 21, 'vu'], ['iteration', 21, 'iteration'], ['elapsed', 21, 'elapsed'], ['now', 21, 'now'], ['now_ms', 21, 'now_ms'],
      ['random_int', 3, 'random_int(min, max)'], ['random_choice', 3, 'random_choice(a, b, …)'], ['uuid', 3, 'uuid()'],
      ['url_encode', 3, 'url_encode(x)'], ['json_encode', 3, 'json_encode(x)'],
      ['env', 9, 'environment variables: env.NAME'],
    ]);
    // The whole name around the cursor is replaced (line 21: path = "/items/{{ token }}…").
    assert.deepEqual(items[0]!.textEdit, { range: rng(21, 18, 21, 23), newText: 'user' });
    const fn = items.find((i) => i.label === 'random_int')!;
    assert.equal(fn.insertTextFormat, 2);
    assert.deepEqual(fn.textEdit, { range: rng(21, 18, 21, 23), newText: 'random_int($1)' });
    assert.deepEqual(items.find((i) => i.label === 'uuid')!.textEdit, { range: rng(21, 18, 21, 23), newText: 'uuid()' });
    const env = items.find((i) => i.label === 'env')!;
    assert.deepEqual([env.textEdit, env.command], [{ range: rng(21, 18, 21, 23), newText: 'env.' }, { title: 'Suggest', command: 'editor.action.triggerSuggest' }]);
    assert.equal((items.find((i) => i.label === 'random_int')!.documentation as { value: string }).value,
      "**random_int(min, max)**: built-in function\n\nA whole number from min to max (both included), drawn from the VU's seeded stream.\n\nExample:\n```toml\npath = \"/items/{{ random_int(1, 1000) }}\"\n```");
    assert.ok(!JSON.stringify(items).includes(VAR_SECRET), 'the secret var value is never sent');
  });

  test('right after typing `{{` and a space, in a header value, a body and a built-in argument', async () => {
    const afterBraces = await completeAt('[[requests]]\npath = "/a/{{|"', '{');
    assert.deepEqual(afterBraces.map((i) => i.label), [...BUILTINS, 'env']);
    assert.deepEqual(afterBraces[0]!.textEdit, { range: rng(1, 13, 1, 13), newText: 'vu' });
    const space = await completeAt('[vars]\nid = 1\n[[requests]]\nheaders = { X-Id = "{{ |}}" }', ' ');
    assert.deepEqual(space.map((i) => i.label).slice(0, 2), ['id', 'vu']);
    assert.deepEqual(space[0]!.textEdit, { range: rng(3, 23, 3, 23), newText: 'id' });
    // A multi-line body: the range is on the body's own line.
    const body = await completeAt(cursor('{{ now }}', 6));
    assert.deepEqual(body.find((i) => i.label === 'now')!.textEdit, { range: rng(23, 12, 23, 15), newText: 'now' });
    const arg = await completeAt(cursor('json_encode(user)', 12), '(');
    assert.deepEqual(arg.find((i) => i.label === 'user')!.textEdit, { range: rng(23, 42, 23, 46), newText: 'user' });
  });

  test('with a [sequence], a name no earlier step extracts comes last, marked', async () => {
    const seq = '[[requests]]\nname = "login"\npath = "/login/{{ | }}"\n[requests.extract]\ntoken = { json = "$.t" }\n'
      + '[[requests]]\nname = "items"\npath = "/items/{{  }}"\n[sequence]\n[[sequence.steps]]\nrequest = "login"\n[[sequence.steps]]\nrequest = "items"\n';
    const first = await completeAt(seq);
    assert.deepEqual(first.map((i) => i.label).slice(-2), ['env', 'token']);
    assert.deepEqual([first.at(-1)!.detail, first.at(-1)!.sortText], ["extracted by request #1 'login' · no earlier step extracts it", '90000']);
    const later = await completeAt(seq.replace('{{ | }}', '{{  }}').replace('/items/{{  }}', '/items/{{ | }}'));
    assert.deepEqual(later.map((i) => [i.label, i.detail])[0], ['token', "extracted by request #1 'login'"]);
  });

  test('after `env.`: the names the workspace .env sets, never their values', async () => {
    const items = await completeAt(cursor('env.API_TOKEN', 7), '.');
    assert.deepEqual(items.map((i) => [i.label, i.detail]), [
      ['API_TOKEN', `set in ${join(dir, '.env')} (value hidden)`],
      ['BASE_PATH', `set in ${join(dir, '.env')} (value hidden)`],
    ]);
    // Only the part after `env.` is replaced: line 14, `headers = { Authorization = "Bearer {{ env.API_TOKEN }}" }`.
    assert.deepEqual(items[0]!.textEdit, { range: rng(14, 43, 14, 52), newText: 'API_TOKEN' });
    assert.ok(!JSON.stringify(items).includes(ENV_SECRET) && !JSON.stringify(items).includes('/v2'));
  });

  test('escapes before the template: the range is in the source, not the value', async () => {
    const items = await completeAt('[vars]\nid = 1\n[[requests]]\npath = "/\\u0041\\t{{ i| }}"');
    assert.deepEqual(items.find((i) => i.label === 'id')!.textEdit, { range: rng(3, 20, 3, 21), newText: 'id' });
    const literal = await completeAt("[vars]\nid = 1\n[[requests]]\nbody = '''\n{{ |\n'''");
    assert.deepEqual(literal.find((i) => i.label === 'id')!.textEdit, { range: rng(4, 3, 4, 3), newText: 'id' });
  });

  test('an unterminated string being typed still completes', async () => {
    const items = await completeAt('[vars]\nid = 1\n[[requests]]\npath = "/x/{{ i|');
    assert.deepEqual(items.find((i) => i.label === 'id')!.textEdit, { range: rng(3, 14, 3, 15), newText: 'id' });
  });

  test('nothing outside {{ }}, after }}, in quoted text, after a name or a number, or in other keys', async () => {
    for (const src of [
      cursor('/items/', 3), // before any {{
      cursor('{{ user }}', 10), // right after }}
      cursor('{{ user }}', 9), // between the closing braces
      '[[requests]]\npath = "/{{ random_choice(\'a|\') }}"',
      '[[requests]]\npath = "/{{ user |}}"',
      '[[requests]]\npath = "/{{ 12| }}"',
      '[[requests]]\npath = "/{{ env.A.|"',
      '[[requests]]\nname = "{{ |}}"', // not a template key
      '[metadata]\nname = "{{ |}}"',
      '# {{ |',
    ]) {
      assert.deepEqual(await completeAt(src), [], src);
    }
  });
});

describe('hover inside {{ }}', () => {
  async function hoverAt(src: string): Promise<Hover | null> {
    const { uri, position } = await openAt(src);
    return h.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  }

  test('a [vars] entry with its value; a secret one with ***', async () => {
    assert.deepEqual(await hoverAt(cursor('{{ user }}', 4)), {
      contents: { kind: 'markdown', value: '**user**: `[vars]` entry (line 8)\n\nValue: `"alice"`' },
      range: rng(13, 18, 13, 22),
    });
    const secret = await hoverAt(cursor('{{ api_key }}', 5));
    assert.deepEqual(secret, {
      contents: { kind: 'markdown', value: '**api_key**: `[vars]` entry (line 9)\n\nValue: `***` (secret: never shown, written as *** in every output)' },
      range: rng(21, 32, 21, 39),
    });
  });

  test('an env var: where it is set, never its value; an unset one says so', async () => {
    const set = await hoverAt(cursor('env.API_TOKEN', 6));
    assert.deepEqual(set, {
      contents: { kind: 'markdown', value: `**env.API_TOKEN**: environment variable\n\nset in \`${join(dir, '.env')}\` (line 2)\n\nThe value is secret: never shown here, written as *** in every output.` },
      range: rng(14, 39, 14, 52),
    });
    const unset = await hoverAt('[[requests]]\npath = "/{{ env.Z6_SURELY_UNSET_NAME| }}"');
    assert.equal((unset!.contents as { value: string }).value,
      `**env.Z6_SURELY_UNSET_NAME**: environment variable\n\nnot set in \`${join(dir, '.env')}\` nor in the editor's environment: a run needs it (--env, --env-file or the environment)\n\nThe value is secret: never shown here, written as *** in every output.`);
  });

  test('a built-in with signature and summary; an extracted name with where it is extracted', async () => {
    const b = await hoverAt(cursor('random_int(1, 9)', 3));
    assert.deepEqual(b!.range, rng(21, 48, 21, 58));
    assert.ok((b!.contents as { value: string }).value.startsWith("**random_int(min, max)**: built-in function\n\nA whole number from min to max (both included), drawn from the VU's seeded stream."));
    const t = await hoverAt(cursor('{{ token }}', 4));
    assert.deepEqual(t, {
      contents: { kind: 'markdown', value: "**token**: extracted value, set while the run goes\n\n- extracted by request #1 'login' (line 18)" },
      range: rng(21, 18, 21, 23),
    });
  });

  test('outside a known name the key is hovered as before', async () => {
    for (const src of [cursor('/items/', 2), '[[requests]]\npath = "/{{ nobody| }}"']) {
      const key = await hoverAt(src);
      assert.ok((key!.contents as { value: string }).value.startsWith('**requests.path** (required)'), src);
    }
  });
});

describe('go to definition from a use', () => {
  async function definitionAt(src: string): Promise<{ uri: string; locations: Location[] }> {
    const { uri, position } = await openAt(src);
    return { uri, locations: await h.request<Location[]>('textDocument/definition', { textDocument: { uri }, position }) };
  }

  test('a var goes to its [vars] key, an extracted name to its extract key', async () => {
    const v = await definitionAt(cursor('{{ user }}', 5));
    assert.deepEqual(v.locations, [{ uri: v.uri, range: rng(7, 0, 7, 4) }]);
    const arg = await definitionAt(cursor('json_encode(user)', 14));
    assert.deepEqual(arg.locations, [{ uri: arg.uri, range: rng(7, 0, 7, 4) }]);
    const t = await definitionAt(cursor('{{ token }}', 3));
    assert.deepEqual(t.locations, [{ uri: t.uri, range: rng(17, 0, 17, 5) }]);
  });

  test('an env name goes to its line in the .env; built-ins and unknown names go nowhere', async () => {
    const e = await definitionAt(cursor('env.API_TOKEN', 8));
    assert.deepEqual(e.locations, [{ uri: pathToFileURL(join(dir, '.env')).toString(), range: rng(1, 0, 1, 0) }]);
    assert.deepEqual((await definitionAt(cursor('{{ now }}', 4))).locations, []);
    assert.deepEqual((await definitionAt('[[requests]]\npath = "/{{ nobody| }}"')).locations, []);
  });
});

describe('template diagnostics', () => {
  test('an unknown name is an error at its exact range; the quick fix replaces exactly it', async () => {
    const { uri, published } = await openAt(SCENARIO.replace('{{ user }}', '{{ usr }}') + '|');
    const d = published.diagnostics.filter((x) => x.code === 'unknown-variable');
    assert.deepEqual(d.map((x) => [x.range, x.severity]), [[rng(13, 18, 13, 21), 1]]);
    assert.ok((d[0]!.message as string).startsWith("unknown name 'usr'; did you mean 'user'?"));
    const actions = await h.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d[0]!.range, context: { diagnostics: d } });
    assert.deepEqual(actions.map((a) => [a.title, a.isPreferred, a.edit]), [
      ["Change to 'user'", true, { changes: { [uri]: [{ range: rng(13, 18, 13, 21), newText: 'user' }] } }],
    ]);
  });

  test('in a multi-line body after escapes, and in a literal string, the range and the fix are exact too', async () => {
    const src = '[vars]\nuser = "a"\n[[requests]]\nmethod = "POST"\nbody = """\n\\u00e9\\t{"u": {{ usr }}}\n"""\nheaders = { X = \'{{ usre }}\' }\n|';
    const { uri, published } = await openAt(src);
    const d = published.diagnostics.filter((x) => x.code === 'unknown-variable');
    assert.deepEqual(d.map((x) => x.range), [rng(5, 17, 5, 20), rng(7, 20, 7, 24)]);
    for (const x of d) {
      const actions = await h.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: x.range, context: { diagnostics: [x] } });
      assert.deepEqual(actions.map((a) => [a.title, a.edit]), [["Change to 'user'", { changes: { [uri]: [{ range: x.range, newText: 'user' }] } }]]);
    }
  });

  test('with a .env, env.NAME set neither there nor in the environment is a warning; set ones are not', async () => {
    const src = '[target]\nbase_url = "http://127.0.0.1:8080"\n[runtime]\nduration_seconds = 1\n[[requests]]\n'
      + 'path = "/{{ env.API_TOKEN }}/{{ env.PATH }}/{{ env.EMPTY }}/{{ env.Z6_SURELY_UNSET_NAME }}"\n|';
    const { published } = await openAt(src);
    const file = join(dir, '.env');
    assert.deepEqual(published.diagnostics.map((x) => [x.range, x.severity, x.code, x.message]), [
      [rng(5, 47, 5, 56), 2, 'env-unknown', `environment variable EMPTY is set neither in ${file} nor in the editor's environment: a run from here fails unless it is set (in CI, say)`],
      [rng(5, 63, 5, 87), 2, 'env-unknown', `environment variable Z6_SURELY_UNSET_NAME is set neither in ${file} nor in the editor's environment: a run from here fails unless it is set (in CI, say)`],
    ]);
    // Without a .env (beside the scenario or at the workspace root) env names are not checked.
    const bare = mkdtempSync(join(tmpdir(), 'z6-templates-noenv-'));
    const again = await openAt(src, bare);
    assert.deepEqual(again.published.diagnostics, []);
  });

  test('an edited .env is read again on the next version; the values never reach the client', async () => {
    const sub = join(dir, 'edited');
    mkdirSync(sub);
    writeFileSync(join(sub, '.env'), 'ONE=1\n');
    const src = '[target]\nbase_url = "http://127.0.0.1:8080"\n[runtime]\nduration_seconds = 1\n[[requests]]\npath = "/{{ env.TWO }}"\n|';
    const { uri, text, published } = await openAt(src, sub);
    assert.deepEqual(published.diagnostics.map((x) => x.code), ['env-unknown']);
    writeFileSync(join(sub, '.env'), `ONE=1\nTWO=${ENV_SECRET}\n`); // a different size: stale in any mtime resolution
    const next = await h.change(uri, text + '\n');
    assert.deepEqual(next.diagnostics, []);
    const items = await h.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 16 } });
    assert.deepEqual(items.map((i) => i.label), ['ONE', 'TWO']);
    assert.ok(!JSON.stringify(h.published).includes(ENV_SECRET));
  });
});

describe('the .env follows the z6.envFile setting and file changes', () => {
  const SRC = '[target]\nbase_url = "http://127.0.0.1:8080"\n[runtime]\nduration_seconds = 1\n[[requests]]\npath = "/{{ env.API_TOKEN }}/{{ env.OTHER_ONLY }}"\n|';
  const codes = (p: { diagnostics: { code?: unknown; range: unknown }[] }) => p.diagnostics.map((d) => [d.code, d.range]);

  test('a changed setting revalidates open documents: another file, then none', async () => {
    writeFileSync(join(dir, 'other.env'), 'OTHER_ONLY=1\n');
    const { uri, published } = await openAt(SRC);
    assert.deepEqual(codes(published), [['env-unknown', rng(5, 32, 5, 46)]]);
    let next = h.nextDiagnostics(uri);
    await h.conn.sendNotification('workspace/didChangeConfiguration', { settings: { z6: { envFile: 'other.env' } } });
    assert.deepEqual(codes(await next), [['env-unknown', rng(5, 12, 5, 25)]]);
    next = h.nextDiagnostics(uri);
    await h.conn.sendNotification('workspace/didChangeConfiguration', { settings: { z6: { envFile: '' } } });
    assert.deepEqual(codes(await next), [], 'no .env: env names are not checked');
    const off = await h.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 16 } });
    assert.deepEqual(off, []);
    next = h.nextDiagnostics(uri);
    await h.conn.sendNotification('workspace/didChangeConfiguration', { settings: { z6: {} } });
    assert.deepEqual(codes(await next), [['env-unknown', rng(5, 32, 5, 46)]], 'back to the default .env');
  });

  test('a changed .env reported by the editor revalidates without an edit', async () => {
    const sub = join(dir, 'watched');
    mkdirSync(sub);
    writeFileSync(join(sub, '.env'), 'API_TOKEN=1\n');
    const { uri, published } = await openAt(SRC, sub);
    assert.deepEqual(codes(published), [['env-unknown', rng(5, 32, 5, 46)]]);
    writeFileSync(join(sub, '.env'), 'API_TOKEN=1\nOTHER_ONLY=2\n');
    const next = h.nextDiagnostics(uri);
    await h.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(sub, '.env')).toString(), type: 2 }] });
    assert.deepEqual(codes(await next), []);
  });
});

describe('data-file columns inside {{ }}', () => {
  const DATA = `[target]\nbase_url = "http://127.0.0.1:8080"\n[runtime]\nduration_seconds = 1\n[[data]]\nfile = "users.csv"\nsecret = true\n[[requests]]\npath = "/u/{{ username }}"\n`;

  test('completion offers the columns read from the header; hover says the file; definition jumps to the header cell', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'z6-templates-data-'));
    writeFileSync(join(folder, 'users.csv'), 'id,"username",pw\n1,ann,SECRET-PW\n');
    const src = DATA.replace('{{ username }}', '{{ |username }}');
    const { uri, position } = await openAt(src, folder);
    const items = await h.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position, context: { triggerKind: 1 } });
    const cols = items.filter((i) => i.detail === 'column of users.csv').map((i) => i.label);
    assert.deepEqual(cols, ['id', 'username', 'pw']);
    const hover = await h.request<Hover>('textDocument/hover', { textDocument: { uri }, position });
    assert.match((hover.contents as { value: string }).value, /\*\*username\*\*: data column, set while the run goes\n\n- column of users\.csv \(.*users\.csv:1\)\n\nSecret: written as \*\*\* in every output\./);
    const defs = await h.request<Location[]>('textDocument/definition', { textDocument: { uri }, position });
    assert.deepEqual(defs, [{ uri: pathToFileURL(join(folder, 'users.csv')).toString(), range: rng(0, 3, 0, 13) }]);
    assert.doesNotMatch(JSON.stringify([items, hover, defs]), /SECRET-PW/);
  });
});
