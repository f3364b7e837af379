/**
 * The columns of a data file, for the validator (and so the editor, on every keystroke): only
 * the start of a CSV or NDJSON file is read — the header and enough to see that a first row
 * follows — so a 100 MB file validates as fast as a small one. Malformed rows further down are
 * found when the file is indexed before a run or `z6 plan`. A JSON array must be parsed whole
 * anyway; it has a size limit. Results are cached per file until its size or mtime changes.
 */
import { closeSync, readSync, statSync } from 'node:fs';
import { LIMITS } from '../scenario/schema';
import type { DataFormat } from '../scenario/model';
import { decodeCsvRecord } from './csv';
import { DataFileError } from './format';
import { parseObjectLine } from './lines';
import { openRegular, readJsonArray, scannerFor } from './source';

export type HeaderResult = { columns: string[] } | { error: DataFileError };

const cache = new Map<string, { mtimeMs: number; size: number; result: HeaderResult }>();
const CHUNK = 64 * 1024;
/** Past this much text without a header and a first row, the header is too long. */
const MAX_READ = 2 * LIMITS.dataRowBytes + CHUNK;

export function readDataHeader(file: string, format: DataFormat): HeaderResult {
  let key: string;
  let st: { mtimeMs: number; size: number };
  try {
    const s = statSync(file);
    st = { mtimeMs: s.mtimeMs, size: s.size };
    key = `${format}\0${file}`;
  } catch (e) {
    return { error: new DataFileError(undefined, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`) };
  }
  const hit = cache.get(key);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.result;
  let result: HeaderResult;
  try {
    result = { columns: format === 'json' ? Object.keys(readJsonArray(file)[0]!) : readStart(file, format) };
  } catch (e) {
    result = { error: e instanceof DataFileError ? e : new DataFileError(undefined, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`) };
  }
  cache.set(key, { ...st, result });
  return result;
}

/** CSV: the header cells, once a first row is seen to follow. NDJSON: the keys of the first object. */
function readStart(file: string, format: 'csv' | 'ndjson'): string[] {
  const { fd } = openRegular(file);
  try {
    const records: { start: number; end: number; line: number }[] = [];
    const want = format === 'csv' ? 2 : 1;
    const scanner = scannerFor(format, (start, end, line) => {
      records.push({ start, end, line });
      return records.length < want;
    });
    let buf = Buffer.alloc(0);
    let eof = false;
    while (records.length < want && !eof && buf.length < MAX_READ) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const n = readSync(fd, chunk, 0, CHUNK, buf.length);
      eof = n === 0;
      const from = buf.length;
      buf = Buffer.concat([buf, chunk.subarray(0, n)]);
      scanner.feed(buf, 0, from === 0 ? bom(buf) : from, buf.length);
    }
    if (eof) scanner.finish();
    if (records.length === 0) {
      if (!eof) throw new DataFileError(1, format === 'csv' ? `the header is longer than ${LIMITS.dataRowBytes / 1048576} MiB` : `the first line is longer than ${LIMITS.dataRowBytes / 1048576} MiB`);
      throw new DataFileError(undefined, format === 'csv' ? 'the file is empty: it needs a header row and at least one row' : 'the file is empty: it needs at least one line with a JSON object');
    }
    const h = records[0]!;
    if (format === 'ndjson') return Object.keys(parseObjectLine(buf.toString('utf8', h.start, h.end), h.line));
    if (records.length < 2 && eof) throw new DataFileError(undefined, 'the file has a header but no rows');
    return decodeCsvRecord(buf, h.start, h.end);
  } finally {
    closeSync(fd);
  }
}

function bom(buf: Buffer): number {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
}
