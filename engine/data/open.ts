/**
 * Opening a scenario's data files (indexing them) once, before a run or a plan preview, and the
 * template names their columns give.
 */
import type { DataFileSpec } from '../scenario/model';
import type { DynamicVar } from '../templates/scope';
import { DataFileError } from './format';
import { openDataSource } from './source';

/**
 * Opens every data file not yet open. Throws an Error whose message names the file and, for a
 * malformed row, its line: `data file users.csv line 12: the row has 3 cells; the header has 4`.
 */
export function openDataFiles(data: readonly DataFileSpec[]): void {
  for (const d of data) {
    if (d.source) continue;
    try {
      d.source = openDataSource(d);
    } catch (e) {
      throw new DataOpenError(d, e);
    }
    const missing = d.columns?.find((c) => !d.source!.columns.includes(c));
    if (missing !== undefined) throw new DataOpenError(d, new DataFileError(undefined, `has no column '${missing}' (listed in columns)`));
  }
}

export class DataOpenError extends Error {
  readonly line: number | undefined;
  /** What is wrong, without the file and line. */
  readonly what: string;
  constructor(readonly spec: DataFileSpec, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException).code;
    const what = cause instanceof DataFileError ? cause.what : code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (cause as Error).message})`;
    const line = cause instanceof DataFileError ? cause.line : undefined;
    super(`data file ${spec.name}: ${line !== undefined ? `line ${line}: ` : ''}${what}`);
    this.line = line;
    this.what = what;
  }
}

/**
 * Adds the columns of the data files to a scope's dynamic names, after the names already there:
 * a column is a name whose value the VU's row sets (source 'data'), secret with its file.
 * Opens the files (their headers say the columns).
 */
export function addDataColumns(data: readonly DataFileSpec[], dynamic: Map<string, DynamicVar>, taken: (name: string) => boolean = () => false): Map<string, DynamicVar> {
  openDataFiles(data);
  const from = new Map<string, string>();
  for (const d of data) {
    for (const c of d.columns ?? d.source!.columns) {
      // The validator reports these at the scenario's keys; this guards a scenario built without
      // reading the files (no path on disk), so a name never silently means two things.
      const other = from.get(c);
      if (other !== undefined || dynamic.has(c) || taken(c)) {
        throw new Error(`data file ${d.name}: column '${c}' is also ${other !== undefined ? `a column of ${other}` : 'another variable or a built-in'}; leave it out with columns = [...]`);
      }
      from.set(c, d.name);
      dynamic.set(c, { slot: dynamic.size, secret: d.secret, source: 'data' });
    }
  }
  return dynamic;
}
