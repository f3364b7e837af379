// Reading a scenario's bytes and the files it names: encodings, and files that are not regular files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { fileKind } from '../../engine/scenario/file-kind';
import { firstInvalidUtf8, loadScenarioFile, validateBytes } from '../../engine/scenario/load';
import { validateText } from '../../engine/scenario/validate';
import { BASE } from './helpers';

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'z6-load-'));
});

test('firstInvalidUtf8 finds the first byte of each kind of ill-formed sequence', () => {
  const at = (...bytes: number[]) => firstInvalidUtf8(Uint8Array.from([0x61, 0x62, ...bytes, 0x63]));
  assert.equal(at(0xf0, 0x9f, 0x98, 0x80), -1); // 😀, four bytes
  assert.equal(at(0xc3, 0xa9), -1); // é
  assert.equal(at(0x80), 2); // a continuation byte on its own
  assert.equal(at(0xc0, 0x80), 2); // overlong NUL
  assert.equal(at(0xe0, 0x80, 0x80), 2); // overlong three-byte form
  assert.equal(at(0xed, 0xa0, 0x80), 2); // a UTF-16 surrogate
  assert.equal(at(0xf4, 0x90, 0x80, 0x80), 2); // above U+10FFFF
  assert.equal(at(0xc3, 0x28), 2); // lead byte without its continuation
  assert.equal(firstInvalidUtf8(Uint8Array.from([0x61, 0xe2, 0x82])), 1); // cut off at the end of the file
  assert.equal(firstInvalidUtf8(Uint8Array.from([0x61, 0xff])), 1);
});

test('invalid UTF-8 is one diagnostic at its line and UTF-16 column, the rest of the text still there', () => {
  const bytes = Buffer.concat([Buffer.from('# 😀 ok\nname = "😀'), Buffer.from([0xe9]), Buffer.from('"\n')]);
  const r = validateBytes(bytes);
  assert.equal(r.fileError, undefined);
  assert.deepEqual(r.result!.diagnostics.map((d) => [d.code, d.range]), [
    ['invalid-utf8', { start: { line: 1, character: 10 }, end: { line: 1, character: 11 } }],
  ]);
  assert.equal(r.result!.scenario, undefined);
  // A NUL byte anywhere is a binary file, refused whole, even after a bad byte; the message says where it is.
  assert.deepEqual(validateBytes(Buffer.from([0x61, 0xe9, 0x00])), { fileError: 'is a binary file (a NUL byte at line 1, column 3), not a TOML scenario' });
  assert.deepEqual(validateBytes(Buffer.from('a = 1\nb = "\u0000"\n')), { fileError: 'is a binary file (a NUL byte at line 2, column 6), not a TOML scenario' });
});

test('fileKind tells regular files from FIFOs, directories, devices and missing paths', () => {
  const fifo = join(tmp, 'kinds.fifo');
  execFileSync('mkfifo', [fifo]);
  writeFileSync(join(tmp, 'regular.json'), '{}');
  assert.deepEqual([join(tmp, 'regular.json'), fifo, tmp, '/dev/zero', join(tmp, 'missing'), join(tmp, 'regular.json', 'below')].map(fileKind),
    ['file', 'a FIFO', 'a directory', 'a character device', 'missing', 'missing']);
});

test('body_file and ca_bundle that are not regular files are errors at the value, in validation already', () => {
  const dir = join(tmp, 'scenario');
  mkdirSync(join(dir, 'data'), { recursive: true });
  execFileSync('mkfifo', [join(dir, 'data', 'pipe')]);
  writeFileSync(join(dir, 'data', 'ok.json'), '{}');
  const text = (body: string, ca: string) => BASE
    .replace('base_url = "http://127.0.0.1:8080"', `base_url = "https://127.0.0.1:8443"\nca_bundle = ${JSON.stringify(ca)}`)
    .replace('path = "/"', `method = "POST"\npath = "/"\nbody_file = ${JSON.stringify(body)}`);
  const file = join(dir, 'scenario.z6.toml');
  const check = (body: string, ca: string) => validateText(text(body, ca), { file, fileKind }).diagnostics.map((d) => [d.code, d.range.start.line + 1, d.message]);
  assert.deepEqual(check('data/ok.json', 'data/ok.json'), []);
  assert.deepEqual(check('data/pipe', 'data'), [
    ['not-a-file', 3, `'ca_bundle': ${join(dir, 'data')} is a directory, not a regular file`],
    ['not-a-file', 13, `'body_file': ${join(dir, 'data', 'pipe')} is a FIFO, not a regular file`],
  ]);
  assert.deepEqual(check('/dev/zero', 'data/missing.pem'), [
    ['file-not-found', 3, `'ca_bundle': file not found: ${join(dir, 'data', 'missing.pem')}`],
    ['not-a-file', 13, "'body_file': /dev/zero is a character device, not a regular file"],
  ]);
  // The file loading that `z6 validate` and `z6 run` use checks the same way, without opening the FIFO.
  writeFileSync(file, text('data/pipe', 'data/ok.json'));
  assert.deepEqual(loadScenarioFile(file).result!.diagnostics.map((d) => d.code), ['not-a-file']);
});
