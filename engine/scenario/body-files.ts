/**
 * Reading body_file just before a run. Only a regular file of at most LIMITS.bodyFileBytes is
 * read: a FIFO would block the run forever and a device such as /dev/zero never ends, so the
 * file is checked with stat before it is opened, and again (fstat) on the opened descriptor in
 * case it was swapped in between. Each file is read once into one Buffer; every request that
 * names it sends that same Buffer (dispatchOptions takes a view of it, undici writes it as is).
 */
import type { Stats } from 'node:fs';
import type { Scenario } from './model';
import { kindOf, readRegularFile } from './file-kind';
import { LIMITS } from './schema';

/**
 * Reads every body_file into its request's body (also of [[setup]] and [[teardown]]): bytes, or
 * with body_file_templates UTF-8 text that the request's templates compile like an inline body.
 * Throws with a message naming the request and the file.
 */
export function readBodies(scenario: Pick<Scenario, 'requests'> & Partial<Pick<Scenario, 'setup' | 'teardown'>>): void {
  const read = new Map<string, Buffer>();
  for (const r of [...(scenario.setup ?? []), ...scenario.requests, ...(scenario.teardown ?? [])]) {
    if (!r.bodyFile) continue;
    let body = read.get(r.bodyFile);
    try {
      if (!body) {
        body = readBodyFile(r.bodyFile);
        read.set(r.bodyFile, body);
      }
      r.body = r.bodyFileTemplates ? templateText(body) : body;
    } catch (e) {
      throw new Error(`request "${r.name}": body_file ${r.bodyFile} ${(e as Error).message}`);
    }
  }
}

/** The text of a body_file whose templates are rendered: UTF-8, within LIMITS.templatedBodyFileBytes. */
function templateText(bytes: Buffer): string {
  if (bytes.length > LIMITS.templatedBodyFileBytes) {
    throw new Error(`is ${(bytes.length / 1048576).toFixed(1)} MiB; with body_file_templates it may be at most ${LIMITS.templatedBodyFileBytes / 1048576} MiB (it is rendered for every request)`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error('is not UTF-8 text, which body_file_templates needs');
  }
}

/** The bytes of a regular file of at most LIMITS.bodyFileBytes; the error says what is wrong with it. */
function readBodyFile(file: string): Buffer {
  return readRegularFile(file, check, problem);
}

/** The file's size when it is a regular file within the limit; throws otherwise. */
function check(st: Stats): number {
  if (!st.isFile()) throw new Error(`is ${kindOf(st)}, not a regular file`);
  if (st.size > LIMITS.bodyFileBytes) {
    throw new Error(`is ${(st.size / 1048576).toFixed(1)} MiB (${st.size} bytes); a body_file may be at most ${LIMITS.bodyFileBytes / 1048576} MiB`);
  }
  return st.size;
}

function problem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES') return 'cannot be read (permission denied)';
  return `cannot be read (${code ?? (e as Error).message})`;
}
