/**
 * Reading a scenario from disk with the checks a user needs before parsing: unreadable paths,
 * directories, FIFOs and devices, files over the limit, binary files and empty files all get a
 * clear message, no trace; text that is not valid UTF-8 is a diagnostic at the first bad byte.
 */
import type { Stats } from 'node:fs';
import { resolve } from 'node:path';
import { LineIndex } from './diagnostics';
import { fileKind, kindOf, readProblem, readRegularFile } from './file-kind';
import { LIMITS } from './schema';
import { DiagnosticSink } from './sink';
import { parseToml } from './toml/parser';
import { validateText, type ValidationResult } from './validate';

export interface LoadedScenario {
  file: string;
  text?: string;
  result?: ValidationResult;
  /** Set when the file could not be used at all; then there is no text or result. */
  fileError?: string;
}

/** env: the environment of a run, to check the env.NAME its templates use (validate.ts). */
export function loadScenarioFile(path: string, opts: { env?: Readonly<Record<string, string | undefined>> } = {}): LoadedScenario {
  const file = resolve(path);
  let buf: Buffer;
  try {
    buf = readScenarioBytes(file);
  } catch (e) {
    return { file, fileError: (e as Error).message };
  }
  return { file, ...validateBytes(buf, file, opts.env) };
}

/** The file's bytes; throws with the message to show when it is not a readable regular file within the limit. */
function readScenarioBytes(file: string): Buffer {
  return readRegularFile(file, check, readProblem);
}

/** The size of a regular file within the limit; throws otherwise. */
function check(st: Stats): number {
  if (st.isDirectory()) throw new Error('is a directory, not a scenario file');
  if (!st.isFile()) throw new Error(`is ${kindOf(st)}, not a scenario file`);
  if (st.size > LIMITS.fileBytes) {
    throw new Error(`is ${(st.size / 1048576).toFixed(1)} MiB; scenario files are limited to ${LIMITS.fileBytes / 1048576} MiB`);
  }
  return st.size;
}

/**
 * Validates the bytes of a scenario file, as `z6 validate` does after reading it. A NUL byte
 * means a binary file, refused whole. Other bytes that are not UTF-8 are a diagnostic at the
 * first one: such a file is text with a bad character (a Latin-1 é), and its line says where.
 */
export function validateBytes(buf: Buffer, file?: string, env?: Readonly<Record<string, string | undefined>>): Omit<LoadedScenario, 'file'> {
  const text = buf.toString('utf8');
  // The bytes before a bad one decode to the same characters in `text`, so their length is its offset there.
  const offsetOf = (byte: number) => buf.subarray(0, byte).toString('utf8').length;
  const nul = buf.indexOf(0);
  if (nul !== -1) {
    const p = new LineIndex(text).position(offsetOf(nul));
    return { fileError: `is a binary file (a NUL byte at line ${p.line + 1}, column ${p.character + 1}), not a TOML scenario` };
  }
  const bad = firstInvalidUtf8(buf);
  if (bad === -1) return { text, result: validateText(text, { file, fileKind, env }) };
  const at = offsetOf(bad);
  const lines = new LineIndex(text);
  const sink = new DiagnosticSink(lines, text);
  const byte = buf[bad]!.toString(16).toUpperCase().padStart(2, '0');
  sink.add({ start: at, end: at + 1 }, 'error', 'invalid-utf8', `the file is not valid UTF-8: byte 0x${byte} here does not start a valid character; TOML files must be UTF-8`);
  return { text, result: { diagnostics: sink.diagnostics, doc: parseToml(text), lines } };
}

/** Index of the first byte that does not begin a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    // Lead bytes C0, C1 and F5..FF never occur; the minimum rules out overlong forms.
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n === 0) return i;
    let cp = c & [0x1f, 0x0f, 0x07][n - 1]!;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || (x & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (x & 0x3f);
    }
    if (cp < [0x80, 0x800, 0x10000][n - 1]! || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}
