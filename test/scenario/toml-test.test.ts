// The official TOML conformance suite, toml-lang/toml-test, through the validator `z6 validate`
// uses. The project ships none of the suite's files: like other TOML implementations, the test
// reads them from the folder named by Z6_TOML_TEST (.ci/run points it at the shared copy) and
// skips, saying why, when that is not set.
//
// Targets, on every file of the TOML 1.1 list:
// - a valid file has no syntax error;
// - an invalid file is rejected with exactly one syntax report, on the line smol-toml reports (or
//   at the opening of the construct that is never closed, which explains it better);
// - smol-toml and our position-aware parser agree on whether the file is TOML.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, TomlError } from 'smol-toml';
import type { Diagnostic } from '../../engine/scenario/diagnostics';
import { validateBytes } from '../../engine/scenario/load';
import { parseToml } from '../../engine/scenario/toml/parser';

const dir = process.env.Z6_TOML_TEST;
const list = dir ? join(dir, 'files-toml-1.1.0') : '';
const skip = !dir ? 'Z6_TOML_TEST is not set: point it at a toml-test checkout (the folder with files-toml-1.1.0)'
  : !existsSync(list) ? `Z6_TOML_TEST=${dir} has no files-toml-1.1.0` : false;

/** Codes that say the text is not TOML (the others are about the scenario: unknown keys, missing sections…). */
const SYNTAX = new Set(['toml-syntax', 'invalid-utf8']);

/**
 * Invalid files with more than one independent problem, where one report each is right. Each
 * entry is the exact list of lines reported, so a change in what is reported fails the test.
 */
const SEVERAL: Record<string, { lines: number[]; why: string }> = {
  'invalid/spec-1.1.0/common-5.toml': { lines: [1, 4], why: 'line 1 has no key; line 4 redefines the key "" that line 3 defined' },
  'invalid/table/no-close-06.toml': { lines: [1, 3], why: '[a and [c are both unclosed; [b] between them is fine' },
};

interface Outcome {
  file: string;
  /** A whole-file refusal (binary); then there are no diagnostics. */
  fileError?: string;
  syntax: Diagnostic[];
  /** 1-based line of smol-toml's error, undefined when it accepts the text. */
  smolLine?: number;
  oursOk: boolean;
}

function run(file: string): Outcome {
  const buf = readFileSync(join(dir!, file));
  const loaded = validateBytes(buf);
  // Both parsers get the text the validator decodes (bad bytes become U+FFFD); the validator's
  // own verdict on bad bytes is the invalid-utf8 diagnostic.
  const text = buf.toString('utf8');
  let smolLine: number | undefined;
  try {
    parse(text, { integersAsBigInt: 'asNeeded' });
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    smolLine = e.line;
  }
  return {
    file,
    fileError: loaded.fileError,
    syntax: loaded.result?.diagnostics.filter((d) => SYNTAX.has(d.code)) ?? [],
    smolLine,
    oursOk: parseToml(text).errors.length === 0,
  };
}

/**
 * The line a report belongs on: the first NUL or bad byte for encoding problems; where smol-toml
 * accepts a day that does not exist (it rolls 1988-02-30 over to March 1), the line of that date,
 * checked here with the calendar of JavaScript's Date; else smol-toml's line.
 */
function expectedLine(file: string, o: Outcome): number | undefined {
  const buf = readFileSync(join(dir!, file));
  const text = buf.toString('utf8');
  const lineOf = (at: number) => text.slice(0, at).split('\n').length;
  if (buf.includes(0)) return lineOf(text.indexOf('\u0000'));
  if (text.includes('\ufffd')) return lineOf(text.indexOf('\ufffd'));
  if (o.smolLine !== undefined) return o.smolLine;
  const date = /^invalid date '((\d{4})-(\d{2})-(\d{2})[^']*)'/.exec(o.syntax[0]?.message ?? '');
  if (!date) return undefined;
  const [y, m, d] = [Number(date[2]), Number(date[3]), Number(date[4])];
  const real = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
  return real || !text.includes(date[1]!) ? undefined : lineOf(text.indexOf(date[1]!));
}

test('toml-test (TOML 1.1): valid files are clean, invalid ones get one report on the right line, the parsers agree', { skip }, (t) => {
  const files = readFileSync(list, 'utf8').split('\n').filter((f) => f.endsWith('.toml'));
  const valid = files.filter((f) => f.startsWith('valid/'));
  const invalid = files.filter((f) => f.startsWith('invalid/'));
  assert.ok(valid.length > 200 && invalid.length > 400, `the list names ${valid.length} valid and ${invalid.length} invalid files`);

  const notClean: string[] = [];
  const notRejected: string[] = [];
  const notOne: string[] = [];
  const disagree: string[] = [];
  let atOpener = 0;
  let binary = 0;
  let calendar = 0;

  for (const file of files) {
    const o = run(file);
    const smolOk = o.smolLine === undefined;
    if (smolOk !== o.oursOk) disagree.push(`${file}: smol-toml ${smolOk ? 'accepts' : `rejects (line ${o.smolLine})`}, ours ${o.oursOk ? 'accepts' : 'rejects'}`);
    const shown = o.fileError ? [o.fileError] : o.syntax.map((d) => `${d.range.start.line + 1}: ${d.message}`);
    if (file.startsWith('valid/')) {
      if (shown.length) notClean.push(`${file}: ${shown.join(' | ')}`);
      continue;
    }
    if (!shown.length) {
      notRejected.push(file);
      continue;
    }
    const want = expectedLine(file, o);
    if (o.fileError) {
      // Refused whole as binary: the message names the line of the NUL byte.
      binary++;
      if (!o.fileError.includes(`NUL byte at line ${want},`)) notOne.push(`${file}: ${o.fileError} (expected line ${want})`);
      continue;
    }
    const lines = o.syntax.map((d) => d.range.start.line + 1);
    const several = SEVERAL[file];
    if (several) {
      if (JSON.stringify(lines) !== JSON.stringify(several.lines)) notOne.push(`${file}: lines ${lines} (expected ${several.lines}: ${several.why})`);
      continue;
    }
    const d = o.syntax[0]!;
    const line = lines[0]!;
    // smol-toml notices an unclosed array, inline table or string where it gives up (often the
    // end of the file); our report at the opening bracket or quote is the place to fix.
    const opener = /^(unclosed|unterminated)/.test(d.message) && want !== undefined && line < want;
    if (opener) atOpener++;
    if (o.smolLine === undefined && d.message.startsWith('invalid date')) calendar++;
    if (lines.length !== 1 || (line !== want && !opener)) notOne.push(`${file}: ${shown.join(' | ')} (expected line ${want})`);
  }

  const oneRight = invalid.length - notRejected.length - notOne.length;
  t.diagnostic(`valid files without a syntax error: ${valid.length - notClean.length} of ${valid.length}`);
  t.diagnostic(`invalid files rejected: ${invalid.length - notRejected.length} of ${invalid.length}`);
  t.diagnostic(`invalid files with exactly one report on the right line: ${oneRight} of ${invalid.length} ` +
    `(${atOpener} at the opening of an unclosed construct, ${calendar} impossible dates smol-toml accepts, ${binary} refused whole as binary, ${Object.keys(SEVERAL).length} with several independent problems, one report each)`);
  t.diagnostic(`files on which smol-toml and our parser agree: ${files.length - disagree.length} of ${files.length}`);
  assert.deepEqual(notClean, [], 'valid files reported as not TOML');
  assert.deepEqual(notRejected, [], 'invalid files accepted');
  assert.deepEqual(notOne, [], 'invalid files without exactly one report on the right line');
  assert.deepEqual(disagree, [], 'files the two parsers disagree on');
});
