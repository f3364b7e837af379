// `z6 validate` as a user runs it: the built CLI in a child process.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { BASE } from './helpers';

const root = join(__dirname, '../..');
// Bounded: a CLI that blocks on a FIFO must fail the test, not hang it.
const cli = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin/z6.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
const z6 = (...args: string[]) => cli('validate', ...args);
let tmp: string;

before(() => {
  spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  tmp = mkdtempSync(join(tmpdir(), 'z6-validate-'));
});

test('every example validates cleanly: exit 0', () => {
  const files = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.z6.toml')).map((f) => join('examples', f));
  assert.ok(files.length >= 10);
  const r = z6(...files);
  assert.equal(r.stdout, `${files.length} files valid: 0 errors, 0 warnings\n`);
  assert.equal(r.status, 0);
});

test('misspelt key, wrong type, duplicate name: one compiler-style line each, exit 2', () => {
  const f = join(tmp, 'bad.z6.toml');
  writeFileSync(f, BASE.replace('duration_seconds', 'duraton_seconds').replace('vus = 5', 'vus = "5"') + '\n[[requests]]\nname = "home"\npath = "/b"\n');
  const r = z6(f);
  assert.equal(r.status, 2);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    `${f}:5:1: error: unknown key 'duraton_seconds' in [runtime]; did you mean 'duration_seconds'? [unknown-key]`,
    `${f}:6:7: error: 'vus' must be an integer, found a string [wrong-type]`,
    `${f}:13:8: error: request name "home" is already used by request #1; names must be unique [duplicate-name]`,
    `${f}:9:8: note: request #1 is named "home" here`,
    '1 file of 1 invalid: 3 errors, 0 warnings',
  ]);
});

test('--json prints the diagnostics as JSON', () => {
  const f = join(tmp, 'json.z6.toml');
  writeFileSync(f, BASE.replace('path = "/"', 'path = "x"'));
  const r = z6('--json', f);
  assert.equal(r.status, 2);
  const out = JSON.parse(r.stdout);
  assert.equal(out.valid, false);
  assert.deepEqual(out.files[0].diagnostics.map((d: { code: string; range: unknown }) => [d.code, d.range]), [
    ['invalid-path', { start: { line: 9, character: 7 }, end: { line: 9, character: 10 } }],
  ]);
  assert.equal(out.files[0].diagnostics[0].fixes[0].title, 'Use "/x"');
});

test('a conflict between two keys: the error at one, a note at the other, in text and JSON', () => {
  const f = join(tmp, 'conflict.z6.toml');
  writeFileSync(f, BASE.replace('path = "/"', 'method = "POST"\npath = "/"\nbody = "x"\nbody_file = "x.json"'));
  writeFileSync(join(tmp, 'x.json'), '{}');
  const r = z6(f);
  assert.equal(r.status, 2);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    `${f}:13:1: error: set either body or body_file, not both [body-conflict]`,
    `${f}:12:1: note: body is set here`,
    '1 file of 1 invalid: 1 error, 0 warnings',
  ]);
  const json = JSON.parse(z6('--json', f).stdout);
  const d = json.files[0].diagnostics[0];
  assert.deepEqual([d.code, d.range, d.related], ['body-conflict', { start: { line: 12, character: 0 }, end: { line: 12, character: 9 } }, [
    { range: { start: { line: 11, character: 0 }, end: { line: 11, character: 4 } }, message: 'body is set here' },
  ]]);
});

test('unusable files get a clear message and no stack trace', () => {
  const big = join(tmp, 'big.z6.toml');
  writeFileSync(big, '#'.repeat(10 * 1024 * 1024 + 1));
  const bin = join(tmp, 'bin.z6.toml');
  writeFileSync(bin, Buffer.from([0x5b, 0x00, 0xff, 0xfe]));
  const empty = join(tmp, 'empty.z6.toml');
  writeFileSync(empty, '');
  const r = z6(big, bin, empty, join(tmp, 'missing.z6.toml'), tmp);
  assert.equal(r.status, 2);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    `${big}: error: is 10.0 MiB; scenario files are limited to 10 MiB [file]`,
    `${bin}: error: is a binary file (a NUL byte at line 1, column 2), not a TOML scenario [file]`,
    `${empty}:1:1: error: the scenario is empty: it needs at least [target] with base_url and one [[requests]] [empty-file]`,
    `${join(tmp, 'missing.z6.toml')}: error: no such file [file]`,
    `${tmp}: error: is a directory, not a scenario file [file]`,
    '5 files of 5 invalid: 5 errors, 0 warnings',
  ]);
  assert.equal(r.stderr, '');
});

test('a FIFO given as the scenario is refused at once by validate, plan and run, never read', () => {
  const fifo = join(tmp, 'pipe.z6.toml');
  execFileSync('mkfifo', [fifo]);
  for (const command of ['validate', 'plan', 'run']) {
    const r = cli(command, fifo);
    assert.equal(r.error, undefined, `${command} returned (${r.error?.message ?? ''})`);
    assert.equal(r.status, 2, command);
    assert.ok(`${r.stdout}${r.stderr}`.includes(`${fifo}: error: is a FIFO, not a scenario file [file]`), `${command}: ${r.stdout}${r.stderr}`);
  }
});

test('text that is not UTF-8 is an error at the line and column of the first bad byte; NUL bytes still mean binary', () => {
  const latin1 = join(tmp, 'latin1.z6.toml');
  // "café" in Latin-1: é is the single byte 0xE9, on line 9 after 'name = "caf'.
  const [head, tail] = BASE.split('home"');
  writeFileSync(latin1, Buffer.concat([Buffer.from(`${head}caf`), Buffer.from([0xe9]), Buffer.from(`"${tail}`)]));
  const r = z6(latin1);
  assert.equal(r.status, 2);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    `${latin1}:9:12: error: the file is not valid UTF-8: byte 0xE9 here does not start a valid character; TOML files must be UTF-8 [invalid-utf8]`,
    '1 file of 1 invalid: 1 error, 0 warnings',
  ]);
  const json = JSON.parse(z6('--json', latin1).stdout);
  assert.deepEqual(json.files[0].diagnostics.map((d: { code: string; range: unknown }) => [d.code, d.range]), [
    ['invalid-utf8', { start: { line: 8, character: 11 }, end: { line: 8, character: 12 } }],
  ]);
});

test('usage errors exit 2', () => {
  assert.equal(z6().status, 2);
  assert.equal(z6('--bogus', 'x').status, 2);
});
