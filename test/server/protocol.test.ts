/**
 * The language server over the real protocol: the in-process server and a vscode-jsonrpc client on
 * two PassThrough streams. Every assertion is on the exact result an editor would receive.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type {
  CodeAction, CodeLens, CompletionItem, DocumentSymbol, FoldingRange, Hover, InlayHint, Location, WorkspaceEdit,
} from 'vscode-languageserver';
import { CHECKOUT, SEQUENCE } from './fixtures';
import { startHarness, type Harness } from './harness';

const rng = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });
const pos = (line: number, character: number) => ({ line, character });

let h: Harness;
let n = 0;
before(async () => {
  h = await startHarness();
});
after(async () => {
  assert.deepEqual(h.logs, [], 'the server logged nothing');
  await h.close();
});

/** Opens `src` (with `|` marking the cursor) and returns the uri and the cursor position. */
async function openAt(src: string, languageId = 'z6') {
  const off = src.indexOf('|');
  const text = src.replace('|', '');
  const lines = text.slice(0, off).split('\n');
  const uri = `file:///tmp/z6-protocol-${n++}.z6.toml`;
  await h.open(uri, text, languageId);
  return { uri, position: pos(lines.length - 1, lines[lines.length - 1]!.length) };
}

async function complete(src: string, trigger?: string): Promise<CompletionItem[]> {
  const { uri, position } = await openAt(src);
  const context = trigger ? { triggerKind: 2, triggerCharacter: trigger } : { triggerKind: 1 };
  return h.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position, context });
}

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const HEADERS = ['[metadata]', '[runtime]', '[target]', '[simulation]', '[vars]', '[[data]]', '[[requests]]', '[[setup]]', '[[teardown]]', '[schedule]', '[[schedule.steps]]', '[think_time]', '[sequence]', '[[sequence.steps]]', '[assertions]'];
const BLOCKS = ['[[requests]] GET', '[[requests]] POST JSON'];
const SCHEDULES = ['constant', 'ramp', 'spike', 'steps', 'arrival_rate', 'ramp_arrival_rate'].map((t) => `[schedule] ${t}`);

describe('diagnostics', () => {
  test('a valid scenario has none; errors come with exact ranges and codes; a fix clears them', async () => {
    const uri = 'file:///tmp/z6-protocol-checkout.z6.toml';
    assert.deepEqual((await h.open(uri, CHECKOUT)).diagnostics, []);
    const broken = CHECKOUT.replace('method = "POST"', 'methd = "POST"').replace('method = "GET"', 'method = "GETT"');
    const got = await h.change(uri, broken);
    assert.equal(got.version, 2);
    assert.deepEqual(got.diagnostics, [
      { range: rng(13, 0, 13, 5), severity: 1, code: 'unknown-key', source: 'z6', message: "unknown key 'methd' in [[requests]] \"login\"; did you mean 'method'?" },
      // Without its method the request is a GET, and it has a body.
      { range: rng(16, 0, 16, 4), severity: 2, code: 'body-on-get', source: 'z6', message: 'a GET request with a body: many servers ignore or reject it' },
      {
        range: rng(21, 9, 21, 15), severity: 1, code: 'invalid-value', source: 'z6',
        message: '\'method\' must be one of "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"; found "GETT". Did you mean "GET"?',
      },
    ]);
    assert.deepEqual((await h.change(uri, CHECKOUT)).diagnostics, []);
  });

  test('a document routed as toml is served too; syntax errors have the exact token range', async () => {
    const { uri } = await openAt('[target]\nbase_url = "http://x\n', 'toml');
    const d = await h.diagnostics(uri, 1);
    assert.deepEqual(d.diagnostics.map((x) => [x.code, x.range.start.line]), [['toml-syntax', 1]]);
    assert.match(d.diagnostics[0]!.message as string, /unterminated string|unfinished string|control char/i);
  });

  test('quick typing publishes once, for the last version only', async () => {
    const uri = 'file:///tmp/z6-protocol-typing.z6.toml';
    await h.open(uri, '[target]\n');
    const before = h.published.length;
    let v = 1;
    let col = 0;
    for (const ch of 'base_url = "http://127.0.0.1"') v = h.edit(uri, [{ range: rng(1, col, 1, col++), text: ch }]);
    const final = await h.diagnostics(uri, v);
    const seen = h.published.slice(before).filter((p) => p.uri === uri).map((p) => p.version);
    assert.deepEqual(seen, [v], 'only the final version was validated');
    assert.ok(final.diagnostics.every((d) => d.code !== 'toml-syntax'));
    assert.ok(final.diagnostics.some((d) => d.code === 'missing-section' && (d.message as string).includes('[[requests]]')));
  });
});

describe('completion', () => {
  test('keys of the current table that are not written yet, with snippets and docs', async () => {
    const items = await complete('[runtime]\nduration_seconds = 60\n|');
    assert.deepEqual(labels(items), ['vus', 'prng_seed', 'iterations', 'workers', ...HEADERS.filter((x) => x !== '[runtime]'), ...BLOCKS, ...SCHEDULES]);
    const vus = items[0]!;
    assert.deepEqual(vus.textEdit, { range: rng(2, 0, 2, 0), newText: 'vus = ${1:10}' });
    assert.equal(vus.insertTextFormat, 2);
    assert.equal(vus.detail, "integer · default the schedule's peak, else 1");
    const doc = (vus.documentation as { value: string }).value;
    assert.ok(doc.startsWith('**runtime.vus**\n\nNumber of virtual users; with a schedule, the most it may use.'), doc);
    assert.ok(doc.includes("- Default: the schedule's peak, else 1\n- Range: 1 … 100000"), doc);
    assert.ok(doc.endsWith('Example:\n```toml\nvus = 10\n```'), doc);
  });

  test('schedule keys are filtered by the schedule type', async () => {
    const items = await complete('[schedule]\ntype = "ramp"\n|');
    assert.deepEqual(labels(items).slice(0, 5), ['vus', 'start_vus', 'end_vus', 'ramp_duration_seconds', 'hold_duration_seconds']);
    assert.ok(!labels(items).includes('baseline_vus'));
    assert.ok(!labels(items).some((l) => l.startsWith('[schedule]')), 'no second [schedule]');
  });

  test('enum values after `=`, inside quotes, and over a bare prefix', async () => {
    const methods = ['"GET"', '"POST"', '"PUT"', '"DELETE"', '"PATCH"', '"HEAD"', '"OPTIONS"'];
    const after = await complete('[[requests]]\nmethod =|', '=');
    assert.deepEqual(labels(after), methods);
    assert.deepEqual(after[1]!.textEdit, { range: rng(1, 8, 1, 8), newText: ' "POST"' });
    assert.equal((after[1]!.documentation as { value: string }).value, '**"POST"**: requests.method\n\nCreate a resource or submit data.');
    const quoted = await complete('[[requests]]\nmethod = "P|"');
    assert.deepEqual(quoted[1]!.textEdit, { range: rng(1, 10, 1, 11), newText: 'POST' });
    const bare = await complete('[[requests]]\nmethod = P|');
    assert.deepEqual(bare[1]!.textEdit, { range: rng(1, 9, 1, 10), newText: '"POST"' });
    assert.deepEqual(labels(await complete('[target]\nhttp_version = "|"')), ['"http1.1"', '"http2"']);
    assert.deepEqual(labels(await complete('[think_time]\ntype = |', ' ')), ['"constant"', '"random"']);
    assert.deepEqual(labels(await complete('[target]\ntls = |', ' ')), ['true', 'false']);
  });

  test('section headers: only missing tables, arrays always, [[ only arrays', async () => {
    const items = await complete('[runtime]\nvus = 1\n\n[|');
    assert.deepEqual(labels(items), [...HEADERS.filter((x) => x !== '[runtime]'), ...BLOCKS, ...SCHEDULES]);
    assert.deepEqual(items.find((i) => i.label === '[target]')!.textEdit, { range: rng(3, 0, 3, 1), newText: '[target]\nbase_url = "${1:https://api.example.com}"' });
    const arrays = await complete('[runtime]\nvus = 1\n\n[[|]]');
    assert.deepEqual(labels(arrays), ['[[data]]', '[[requests]]', '[[setup]]', '[[teardown]]', '[[schedule.steps]]', '[[sequence.steps]]', ...BLOCKS]);
    // The tables of a request are offered once there is a request, for each one.
    const sub = await complete('[[requests]]\npath = "/"\n[requests.extract]\nt = { status = true }\n[[requests]]\npath = "/b"\n\n[|');
    assert.ok(labels(sub).includes('[requests.extract]') && labels(sub).includes('[requests.checks]'), labels(sub).join(' '));
    assert.ok(!labels(sub).includes('[setup.extract]'), 'no [setup.extract] without a [[setup]]');
    assert.deepEqual(arrays[1]!.textEdit, { range: rng(3, 0, 3, 4), newText: '[[requests]]\npath = "${1:/api/users?page=1}"' });
    assert.deepEqual(arrays[0]!.textEdit, { range: rng(3, 0, 3, 4), newText: '[[data]]\nfile = "${1:data/users.csv}"' });
    const steps = await complete('[schedule]\ntype = "constant"\n\n[[|');
    assert.ok(!labels(steps).includes('[[schedule.steps]]'), 'steps only for a steps schedule');
  });

  test('at the top level, sections; a request block snippet with method choices', async () => {
    const items = await complete('req|');
    assert.ok(labels(items).includes('[[requests]]'));
    const get = items.find((i) => i.label === '[[requests]] GET')!;
    assert.deepEqual(get.textEdit, {
      range: rng(0, 0, 0, 3),
      newText: '[[requests]]\nname = "${1:list_users}"\nmethod = "${2|GET,POST,PUT,DELETE,PATCH,HEAD,OPTIONS|}"\npath = "${3:/api/users}"\nweight = ${4:1}\n$0',
    });
    const ramp = items.find((i) => i.label === '[schedule] ramp')!;
    assert.equal((ramp.textEdit as { newText: string }).newText,
      '[schedule]\ntype = "ramp"\nstart_vus = ${1:0}\nend_vus = ${2:50}\nramp_duration_seconds = ${3:30}\nhold_duration_seconds = ${4:60}\n$0');
  });

  test('header names inside headers = { … } and content types as values', async () => {
    const names = await complete('[[requests]]\nheaders = { Accept = "text/html", |', ' ');
    assert.deepEqual(labels(names).slice(0, 4), ['Accept-Encoding', 'Accept-Language', 'Authorization', 'Cache-Control']);
    assert.ok(!labels(names).includes('Accept'), 'Accept is written already');
    const ct = names.find((i) => i.label === 'Content-Type')!;
    assert.deepEqual(ct.textEdit, {
      range: rng(1, 34, 1, 34),
      newText: 'Content-Type = "${1|application/json,application/x-www-form-urlencoded,multipart/form-data,text/plain,application/xml,application/octet-stream,text/html|}"',
    });
    const values = await complete('[[requests]]\nheaders = { Content-Type = "|" }');
    assert.deepEqual(labels(values).slice(0, 2), ['application/json', 'application/x-www-form-urlencoded']);
    assert.deepEqual(values[0]!.textEdit, { range: rng(1, 28, 1, 28), newText: 'application/json' });
  });

  test('request names in [[sequence.steps]], in an unterminated string', async () => {
    const items = await complete('[[requests]]\nname = "login"\nmethod = "POST"\npath = "/login"\n[[requests]]\npath = "/items"\n[[sequence.steps]]\nrequest = "|');
    assert.deepEqual(items.map((i) => [i.label, i.detail]), [['login', 'POST /login'], ['GET /items', 'GET /items']]);
    assert.deepEqual(items[0]!.textEdit, { range: rng(7, 11, 7, 11), newText: 'login' });
  });

  test('half-typed and broken documents still complete; comments do not', async () => {
    const items = await complete('[target]\nbase_u|\n[[requests]]\nmethod = \n');
    assert.deepEqual(items[0]!.textEdit, { range: rng(1, 0, 1, 6), newText: 'base_url = "${1:https://api.example.com}"' });
    assert.deepEqual(await complete('[target]\n# base|'), []);
    const onlyName = await complete('[target]\nba| = "x"');
    assert.deepEqual(onlyName[0]!.textEdit, { range: rng(1, 0, 1, 2), newText: 'base_url' });
    assert.ok(!labels(onlyName).some((l) => l.startsWith('[')), 'no headers on a line that has a value');
    assert.deepEqual(await complete('[target]\nbase_url = "x"\nfoo = 1|', ' '), []);
  });
});

describe('hover', () => {
  const uri = 'file:///tmp/z6-protocol-hover.z6.toml';
  before(async () => {
    await h.open(uri, CHECKOUT);
  });
  const at = async (line: number, character: number) => {
    return h.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: pos(line, character) });
  };
  test('keys, enum values, headers, header names', async () => {
    const value = await at(13, 11);
    assert.deepEqual(value, { contents: { kind: 'markdown', value: '**"POST"**: requests.method\n\nCreate a resource or submit data.' }, range: rng(13, 9, 13, 15) });
    const header = await at(15, 12);
    assert.deepEqual(header, { contents: { kind: 'markdown', value: '**Content-Type** (HTTP request header)\n\nMedia type of the request body.' }, range: rng(15, 12, 15, 24) });
    const key = await at(17, 2);
    assert.deepEqual(key!.range, rng(17, 0, 17, 6));
    assert.equal((key!.contents as { value: string }).value, [
      '**requests.weight**', '', 'Relative share of traffic; any non-negative number.', '',
      'Shares are weight / sum of weights: 0.3/0.7, 9/1 and 70/20/10 all work. The sum must be greater than 0.', '',
      '- Type: number (integer or float)', '- Default: 1', '- Range: ≥ 0', '', 'Example:', '```toml', 'weight = 70', '```',
    ].join('\n'));
    const section = await at(25, 3);
    assert.deepEqual(section!.range, rng(25, 0, 25, 10));
    assert.ok((section!.contents as { value: string }).value.startsWith('**[schedule]**\n\nHow the load changes over time.'));
    const request = await at(11, 4);
    assert.ok((request!.contents as { value: string }).value.endsWith('\n\n---\nRequest 1 of 2: `login` · ≈ 25% of the traffic'));
    assert.equal(await at(3, 0), null, 'nothing on an empty line');
    const duration = await at(5, 19);
    assert.ok((duration!.contents as { value: string }).value.startsWith('**90 s** = 1 min 30 s\n\n---\n**runtime.duration_seconds**'));
  });
});

describe('outline and folding', () => {
  test('document symbols: sections, requests by name, steps under their section', async () => {
    const { uri } = await openAt(SEQUENCE + '|');
    const syms = await h.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const shape = (s: DocumentSymbol): unknown => [s.name, s.kind, s.detail ?? null, [s.range.start.line, s.range.end.line], (s.children ?? []).filter((c) => c.kind !== 7).map(shape)];
    assert.deepEqual(syms.map(shape), [
      ['target', 3, null, [0, 1], []],
      ['runtime', 3, null, [3, 4], []],
      ['login', 6, 'GET /login', [6, 8], []],
      ['browse', 6, 'GET /items', [10, 12], []],
      ['sequence', 3, null, [14, 25], [['1. login', 24, null, [17, 18], []], ['2. browse', 24, '×3', [20, 22], []], ['3. login', 24, null, [24, 25], []]]],
    ]);
    assert.deepEqual(syms[2]!.selectionRange, rng(7, 7, 7, 14), 'a request is selected at its name');
    assert.deepEqual(syms[2]!.children!.map((c) => [c.name, c.detail, c.range]), [['name', '"login"', rng(7, 0, 7, 14)], ['path', '"/login"', rng(8, 0, 8, 15)]]);
  });

  test('the last good outline is kept while an unclosed string swallows the rest', async () => {
    const uri = 'file:///tmp/z6-protocol-outline.z6.toml';
    await h.open(uri, SEQUENCE);
    const good = await h.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    await h.change(uri, SEQUENCE.replace('name = "login"', 'name = """login'));
    const broken = await h.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(broken.map((s) => s.name), good.map((s) => s.name));
  });

  test('folding ranges: tables, multi-line values, comment blocks', async () => {
    const { uri } = await openAt('# a\n# b\n[[requests]]\npath = "/"\nbody = """\n{\n  "a": 1\n}\n"""\nweight = 1\n[metadata]\ntags = [\n  "x",\n  "y",\n]\n|');
    const folds = await h.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    assert.deepEqual(folds, [
      { startLine: 0, endLine: 1, kind: 'comment' },
      { startLine: 2, endLine: 9 },
      { startLine: 4, endLine: 7 },
      { startLine: 10, endLine: 14 },
      { startLine: 11, endLine: 13 },
    ]);
  });
});

describe('code actions', () => {
  test('did-you-mean for keys and enum values, remove a duplicate, tls/scheme', async () => {
    const text = CHECKOUT.replace('method = "POST"', 'methd = "POST"').replace('method = "GET"', 'method = "GETT"').replace('vus = 50\n', 'vus = 50\nvus = 5\n');
    const { uri } = await openAt(text + '|');
    const diags = (await h.diagnostics(uri, 1)).diagnostics;
    const actions = await h.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: rng(0, 0, 40, 0), context: { diagnostics: diags } });
    assert.deepEqual(actions.map((a) => [a.title, a.isPreferred ?? false, a.edit!.changes![uri]]), [
      ["Remove the duplicate 'vus'", true, [{ range: rng(7, 0, 8, 0), newText: '' }]],
      ["Change to 'method'", true, [{ range: rng(14, 0, 14, 5), newText: 'method' }]],
      ['Change to "GET"', true, [{ range: rng(22, 9, 22, 15), newText: '"GET"' }]],
    ]);
    assert.deepEqual(actions[1]!.diagnostics!.map((d) => d.code), ['unknown-key']);

    const tls = await openAt('[target]\nbase_url = "http://127.0.0.1:8080"\ntls = true\n[runtime]\nduration_seconds = 5\n[[requests]]\npath = "/"\n|');
    const td = (await h.diagnostics(tls.uri, 1)).diagnostics.filter((d) => d.code === 'tls-scheme-mismatch');
    assert.equal(td.length, 1);
    const fixes = await h.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: tls.uri }, range: td[0]!.range, context: { diagnostics: td } });
    assert.deepEqual(fixes.map((a) => [a.title, a.edit!.changes![tls.uri]]), [
      ['Set tls = false', [{ range: rng(2, 6, 2, 10), newText: 'false' }]],
      ['Change base_url to https://', [{ range: rng(1, 11, 1, 34), newText: '"https://127.0.0.1:8080"' }]],
    ]);
  });

  test('an unknown request name in the sequence is fixed to the nearest name; a bare word gets quoted', async () => {
    const { uri } = await openAt(SEQUENCE.replace('request = "browse"', 'request = "brows"').replace('type = "ordered"', 'type = ordered') + '|');
    const diags = (await h.diagnostics(uri, 1)).diagnostics;
    const actions = await h.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: rng(0, 0, 30, 0), context: { diagnostics: diags } });
    assert.deepEqual(actions.map((a) => [a.title, a.edit!.changes![uri]]), [['Quote it: "ordered"', [{ range: rng(15, 7, 15, 14), newText: '"ordered"' }]]]);
    const fixed = SEQUENCE.replace('request = "browse"', 'request = "brows"');
    await h.change(uri, fixed);
    const d2 = (await h.diagnostics(uri, 2)).diagnostics;
    const a2 = await h.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: rng(21, 12, 21, 12), context: { diagnostics: d2 } });
    assert.deepEqual(a2.map((a) => [a.title, a.edit!.changes![uri]]), [['Change to "browse"', [{ range: rng(21, 10, 21, 17), newText: '"browse"' }]]]);
  });
});

describe('inlay hints and code lens', () => {
  test('traffic shares after the weights, length and peak after the schedule type', async () => {
    const { uri } = await openAt(CHECKOUT + '|');
    const hints = await h.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: rng(0, 0, 40, 0) });
    assert.deepEqual(hints.map((x) => [x.label, x.position]), [
      ['≈ 25%', pos(17, 10)],
      ['≈ 75%', pos(23, 10)],
      ['1 min 30 s · peak 50 VUs', pos(26, 13)],
    ]);
    const some = await h.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: rng(20, 0, 24, 0) });
    assert.deepEqual(some.map((x) => x.label), ['≈ 75%'], 'only hints inside the asked range');
  });

  test('without weights the share goes after the name; steps schedules sum their steps', async () => {
    const { uri } = await openAt('[target]\nbase_url = "http://h"\n[[requests]]\nname = "a"\npath = "/a"\n[[requests]]\npath = "/b"\n[[requests]]\npath = "/c"\nweight = 0.5\n[schedule]\ntype = "steps"\n[[schedule.steps]]\nvus = 10\nduration_seconds = 30\n[[schedule.steps]]\nvus = 40\nduration_seconds = 3600\n|');
    const hints = await h.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: rng(0, 0, 30, 0) });
    assert.deepEqual(hints.map((x) => [x.label, x.position]), [
      ['≈ 40%', pos(3, 10)],
      ['≈ 40%', pos(5, 12)],
      ['≈ 20%', pos(9, 12)],
      ['1 h 30 s · peak 40 VUs', pos(11, 14)],
    ]);
  });

  test('with a [sequence], shares come from the steps and their repeat counts', async () => {
    const { uri } = await openAt(SEQUENCE + '|');
    const hints = await h.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: rng(0, 0, 30, 0) });
    assert.deepEqual(hints.map((x) => [x.label, x.position, x.tooltip]), [
      ['≈ 40%', pos(7, 14), 'login: 2 of the 5 requests of each pass through [sequence]'],
      ['≈ 60%', pos(11, 15), 'browse: 3 of the 5 requests of each pass through [sequence]'],
      ['10 s · peak 1 VU', pos(3, 9), 'No [schedule]: constant at runtime.vus: 10 s, peak 1 VU'],
    ]);
  });

  test('code lenses run and validate the document', async () => {
    const { uri } = await openAt(CHECKOUT + '|');
    const lenses = await h.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses, [
      { range: rng(0, 0, 0, 0), command: { title: '▶ Run scenario', command: 'z6.run', arguments: [uri] } },
      { range: rng(0, 0, 0, 0), command: { title: 'Smoke run', command: 'z6.smokeRun', arguments: [uri] } },
      { range: rng(0, 0, 0, 0), command: { title: '✓ Validate', command: 'z6.validate', arguments: [uri] } },
    ]);
  });
});

describe('request names: definition, references, rename', () => {
  let uri: string;
  before(async () => {
    uri = (await openAt(SEQUENCE + '|')).uri;
  });
  test('definition from a sequence step goes to the name string', async () => {
    const defs = await h.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: pos(21, 12) });
    assert.deepEqual(defs, [{ uri, range: rng(11, 7, 11, 15) }]);
    assert.deepEqual(await h.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: pos(15, 9) }), []);
  });
  test('references from the definition, with and without the declaration', async () => {
    const refs = await h.request<Location[]>('textDocument/references', { textDocument: { uri }, position: pos(7, 9), context: { includeDeclaration: true } });
    assert.deepEqual(refs.map((r) => r.range), [rng(7, 7, 7, 14), rng(18, 10, 18, 17), rng(25, 10, 25, 17)]);
    const only = await h.request<Location[]>('textDocument/references', { textDocument: { uri }, position: pos(25, 12), context: { includeDeclaration: false } });
    assert.deepEqual(only.map((r) => r.range), [rng(18, 10, 18, 17), rng(25, 10, 25, 17)]);
  });
  test('prepareRename gives the text inside the quotes; rename updates every use', async () => {
    assert.deepEqual(await h.request('textDocument/prepareRename', { textDocument: { uri }, position: pos(18, 12) }), { range: rng(18, 11, 18, 16), placeholder: 'login' });
    assert.equal(await h.request('textDocument/prepareRename', { textDocument: { uri }, position: pos(1, 3) }), null);
    const edit = await h.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: pos(18, 12), newName: 'sign "in"' });
    assert.deepEqual(edit.changes![uri], [
      { range: rng(7, 7, 7, 14), newText: '"sign \\"in\\""' },
      { range: rng(18, 10, 18, 17), newText: '"sign \\"in\\""' },
      { range: rng(25, 10, 25, 17), newText: '"sign \\"in\\""' },
    ]);
  });
});

describe('more exact results', () => {
  test('a missing required key is added with its example value', async () => {
    const { uri } = await openAt('[target]\nbase_url = "http://127.0.0.1:8080"\n\n[runtime]\nduration_seconds = 5\n\n[[requests]]\nname = "a"\n|');
    const diags = (await h.diagnostics(uri, 1)).diagnostics.filter((d) => d.code === 'missing-key');
    assert.equal(diags.length, 1);
    const actions = await h.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diags[0]!.range, context: { diagnostics: diags } });
    assert.deepEqual(actions.map((a) => [a.title, a.isPreferred ?? false, a.edit!.changes![uri]]), [
      ["Add 'path'", true, [{ range: rng(7, 0, 7, 0), newText: 'path = "/api/users?page=1"\n' }]],
    ]);
  });

  test('inside a quoted key only the header name is inserted', async () => {
    const items = await complete('[[requests]]\nheaders = { "Acc|" }');
    assert.deepEqual(items[0]!.textEdit, { range: rng(1, 13, 1, 16), newText: 'Accept' });
  });

  test('hover on a schedule type value and on a [[schedule.steps]] header', async () => {
    const { uri } = await openAt('[schedule]\ntype = "steps"\n\n[[schedule.steps]]\nvus = 5\nduration_seconds = 10\n|');
    const value = await h.request<Hover>('textDocument/hover', { textDocument: { uri }, position: pos(1, 9) });
    assert.deepEqual(value, {
      contents: { kind: 'markdown', value: '**"steps"**: schedule.type\n\nA list of `[[schedule.steps]]`, each `vus` for `duration_seconds`, in order.' },
      range: rng(1, 7, 1, 14),
    });
    const header = await h.request<Hover>('textDocument/hover', { textDocument: { uri }, position: pos(3, 5) });
    assert.ok((header.contents as { value: string }).value.startsWith('**[[schedule.steps]]**\n\nOne step of a `steps` schedule'));
    const hints = await h.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: rng(0, 0, 9, 0) });
    assert.deepEqual(hints.map((x) => [x.label, x.position]), [['10 s · peak 5 VUs', pos(1, 14)]]);
  });

  test('without [schedule] the run hint sits on [runtime]; open-model hints show the rate', async () => {
    const closed = await openAt('[runtime]\nduration_seconds = 120\nvus = 8\n|');
    const h1 = await h.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: closed.uri }, range: rng(0, 0, 5, 0) });
    assert.deepEqual(h1.map((x) => [x.label, x.position]), [['2 min · peak 8 VUs', pos(0, 9)]]);
    const open = await openAt('[runtime]\nduration_seconds = 60\n[schedule]\ntype = "ramp_arrival_rate"\nstart_rate = 10\nend_rate = 300\nramp_duration_seconds = 60\nmax_in_flight = 50\n|');
    const h2 = await h.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: open.uri }, range: rng(0, 0, 9, 0) });
    assert.deepEqual(h2.map((x) => [x.label, x.position]), [['1 min · peak 300/s · ≤ 50 in flight', pos(3, 26)]]);
  });

  test('selection ranges grow from the token to the statement, the section and the file', async () => {
    const { uri } = await openAt(CHECKOUT + '|');
    type Sel = { range: ReturnType<typeof rng>; parent?: Sel };
    const [sel] = await h.request<Sel[]>('textDocument/selectionRange', { textDocument: { uri }, positions: [pos(15, 30)] });
    const chain: unknown[] = [];
    for (let s: Sel | undefined = sel; s; s = s.parent) chain.push(s.range);
    assert.deepEqual(chain, [
      rng(15, 27, 15, 45), // "application/json"
      rng(15, 12, 15, 45), // Content-Type = "application/json"
      rng(15, 0, 15, 47), // headers = { … }
      rng(11, 0, 17, 10), // the [[requests]] section
      rng(0, 0, 31, 0), // the file
    ]);
  });

  test('body_file and ca_bundle are links to the files they name, relative to the scenario', async () => {
    const uri = 'file:///work/scenarios/shop.z6.toml';
    await h.open(uri, '[target]\nbase_url = "https://h"\nca_bundle = "certs/ca.pem"\n[[requests]]\npath = "/"\nbody_file = \'../payloads/a b.json\'\n');
    const links = await h.request<{ range: unknown; target: string }[]>('textDocument/documentLink', { textDocument: { uri } });
    assert.deepEqual(links.map((l) => [l.range, l.target]), [
      [rng(2, 13, 2, 25), 'file:///work/scenarios/certs/ca.pem'],
      [rng(5, 13, 5, 33), 'file:///work/payloads/a%20b.json'],
    ]);
  });

  test('a request without a name is renamed from its sequence step by adding a name', async () => {
    const { uri } = await openAt('[[requests]]\npath = "/a"\n[[sequence.steps]]\nrequest = "GET /a"\n|');
    const edit = await h.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: pos(3, 13), newName: 'home' });
    assert.deepEqual(edit.changes![uri], [
      { range: rng(0, 12, 0, 12), newText: '\nname = "home"' },
      { range: rng(3, 10, 3, 18), newText: '"home"' },
    ]);
    const defs = await h.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: pos(3, 13) });
    assert.deepEqual(defs, [{ uri, range: rng(0, 0, 0, 12) }], 'the definition is the [[requests]] header');
  });
});

describe('quick fixes the server adds', () => {
  const actionsFor = async (src: string) => {
    const { uri } = await openAt(src + '|');
    const diags = (await h.diagnostics(uri, 1)).diagnostics;
    const actions = await h.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: rng(0, 0, 50, 0), context: { diagnostics: diags } });
    return { uri, diags, actions: actions.map((x) => [x.title, x.diagnostics![0]!.code, x.edit!.changes![uri]]) };
  };
  const BASE = '[target]\nbase_url = "http://127.0.0.1:8080"\n[[requests]]\npath = "/"\n';

  test('clamp to the range, swap min/max, remove an unknown key without a guess', async () => {
    const { actions } = await actionsFor(BASE + '[runtime]\nduration_seconds = 100000\nzzzzzzzz = 1\n[think_time]\ntype = "random"\nmin_ms = 900\nmax_ms = 100\n');
    assert.deepEqual(actions, [
      ['Use 86400 (the maximum)', 'limit-exceeded', [{ range: rng(5, 19, 5, 25), newText: '86400' }]],
      ["Remove 'zzzzzzzz'", 'unknown-key', [{ range: rng(6, 0, 7, 0), newText: '' }]],
      ['Swap min_ms and max_ms', 'think-time-range', [{ range: rng(9, 9, 9, 12), newText: '100' }, { range: rng(10, 9, 10, 12), newText: '900' }]],
    ]);
  });

  test('a GET with a body: make it a POST, or drop the body', async () => {
    const { actions } = await actionsFor(BASE + 'method = "GET"\nbody = "x"\n[runtime]\nduration_seconds = 5\n');
    assert.deepEqual(actions, [
      ['Change the method to "POST"', 'body-on-get', [{ range: rng(4, 9, 4, 14), newText: '"POST"' }]],
      ['Remove body', 'body-on-get', [{ range: rng(5, 0, 6, 0), newText: '' }]],
    ]);
  });
});

describe('problems between two places', () => {
  // An editor that shows relatedInformation, as VS Code announces at initialize.
  let rel: Harness;
  let dir: string;
  before(async () => {
    rel = await startHarness({ textDocument: { publishDiagnostics: { relatedInformation: true } } });
    dir = mkdtempSync(join(tmpdir(), 'z6-related-'));
  });
  after(async () => {
    assert.deepEqual(rel.logs, [], 'the server logged nothing');
    await rel.close();
  });
  const TEXT = '[target]\nbase_url = "http://127.0.0.1:8080"\n\n[runtime]\nduration_seconds = 10\n\n' +
    '[[requests]]\nname = "a"\nmethod = "POST"\npath = "/"\nbody = "x"\nbody_file = "x.json"\nweight = 0\n\n' +
    '[[requests]]\nname = "b"\npath = "/b"\nweight = 0\n';

  test('each diagnostic is at the key to change, with relatedInformation at the other place', async () => {
    const uri = pathToFileURL(join(dir, 'conflict.z6.toml')).href;
    writeFileSync(join(dir, 'x.json'), '{}');
    const got = await rel.open(uri, TEXT);
    assert.deepEqual(got.diagnostics, [
      {
        range: rng(11, 0, 11, 9), severity: 1, code: 'body-conflict', source: 'z6', message: 'set either body or body_file, not both',
        relatedInformation: [{ location: { uri, range: rng(10, 0, 10, 4) }, message: 'body is set here' }],
      },
      {
        range: rng(12, 9, 12, 10), severity: 1, code: 'weights-zero', source: 'z6',
        message: 'the weights of all requests add up to 0, so no request could ever be chosen; give at least one a positive weight',
        relatedInformation: [{ location: { uri, range: rng(17, 9, 17, 10) }, message: 'request #2 "b" has weight 0' }],
      },
    ]);
    // A TOML key defined twice points at its first definition.
    const twice = await rel.change(uri, TEXT.replace('path = "/b"', 'path = "/b"\nname = "c"'));
    assert.deepEqual(twice.diagnostics.filter((d) => d.code === 'toml-syntax'), [{
      range: rng(17, 0, 17, 4), severity: 1, code: 'toml-syntax', source: 'z6', message: "duplicate key 'name'",
      relatedInformation: [{ location: { uri, range: rng(15, 0, 15, 4) }, message: "'name' is first defined here" }],
    }]);
  });

  test('an editor without relatedInformation gets the other place in the message', async () => {
    const uri = pathToFileURL(join(dir, 'plain.z6.toml')).href;
    writeFileSync(join(dir, 'x.json'), '{}');
    const got = await h.open(uri, TEXT);
    assert.deepEqual(got.diagnostics.map((d) => [d.code, d.message, d.relatedInformation]), [
      ['body-conflict', 'set either body or body_file, not both (line 11: body is set here)', undefined],
      ['weights-zero', 'the weights of all requests add up to 0, so no request could ever be chosen; give at least one a positive weight (line 18: request #2 "b" has weight 0)', undefined],
    ]);
  });

  test('body_file naming a FIFO or a directory is an error at the value, without opening it', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    mkdirSync(join(dir, 'folder'));
    const uri = pathToFileURL(join(dir, 'kinds.z6.toml')).href;
    const text = TEXT.replace('body = "x"\n', '').replace('weight = 0\n', '').replace('x.json', 'pipe');
    const got = await rel.open(uri, text);
    assert.deepEqual(got.diagnostics.map((d) => [d.code, d.range, d.message]), [
      ['not-a-file', rng(10, 12, 10, 18), `'body_file': ${join(dir, 'pipe')} is a FIFO, not a regular file`],
    ]);
    const folder = await rel.change(uri, text.replace('"pipe"', '"folder"'));
    assert.deepEqual(folder.diagnostics.map((d) => [d.code, d.message]), [['not-a-file', `'body_file': ${join(dir, 'folder')} is a directory, not a regular file`]]);
  });
});
