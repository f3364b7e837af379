/** A data file's format from its extension, when `format` does not say it. */
import { extname } from 'node:path';
import type { DataFormat } from '../scenario/model';

const BY_EXTENSION: Readonly<Record<string, DataFormat>> = { '.csv': 'csv', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson' };

export function dataFormatOf(file: string): DataFormat | undefined {
  return BY_EXTENSION[extname(file).toLowerCase()];
}

/** A problem in a data file, at a line (1-based) when it has one. Its message never quotes a cell: it may be secret. */
export class DataFileError extends Error {
  constructor(readonly line: number | undefined, readonly what: string) {
    super(line === undefined ? what : `line ${line}: ${what}`);
  }
}
