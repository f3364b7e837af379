/**
 * Reading a scenario from disk with the checks a user needs before parsing: unreadable paths,
 * directories, files over the limit, binary and empty files all get a clear message, no trace.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { LIMITS } from './schema';
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
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) return { file, fileError: 'is a directory, not a scenario file' };
    size = st.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { file, fileError: code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot read it (${code ?? (e as Error).message})` };
  }
  if (size > LIMITS.fileBytes) {
    return { file, fileError: `is ${(size / 1048576).toFixed(1)} MiB; scenario files are limited to ${LIMITS.fileBytes / 1048576} MiB` };
  }
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    return { file, fileError: `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  if (looksBinary(buf)) return { file, fileError: 'is a binary file, not a TOML scenario' };
  const text = buf.toString('utf8');
  return { file, text, result: validateText(text, { file, fileExists: existsSync, env: opts.env }) };
}

/** NUL bytes or invalid UTF-8 mean this is not a text file. */
function looksBinary(buf: Buffer): boolean {
  if (buf.includes(0)) return true;
  return !isUtf8(buf);
}

function isUtf8(buf: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}
