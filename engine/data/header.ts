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

/** Where a column's name is written in the data file (0-based line, UTF-16 columns): for go-to-definition. */
export interface CellPlace {
  line: number;
  start: number;
  end: number;
}

export type HeaderResult = { columns: string[]; places?: (CellPlace | undefined)[] } | { error: DataFileError };

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
    result = format === 'json' ? jsonColumns(file) : readStart(file, format);
  } catch (e) {
    result = { error: e instanceof DataFileError ? e : new DataFileError(undefined, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`) };
  }
  cache.set(key, { ...st, result });
  return result;
}

/** The keys of a JSON array's first object, each placed at its first `"key":` in the text. */
function jsonColumns(file: string): { columns: string[]; places: (CellPlace | undefined)[] } {
  const columns = Object.keys(readJsonArray(file)[0]!);
  const fd = openRegular(file);
  let text: string;
  try {
    // Enough to find the first object's keys; the file itself is within LIMITS.dataJsonBytes.
    const buf = Buffer.allocUnsafe(Math.min(fd.size, 1024 * 1024));
    text = buf.subarray(0, readSync(fd.fd, buf, 0, buf.length, 0)).toString('utf8').replace(/^\ufeff/, '');
  } finally {
    closeSync(fd.fd);
  }
  return { columns, places: columns.map((c) => keyPlace(text, c, 0)) };
}

/** Where `"key"` followed by `:` first occurs in text (whose first line is `line0`). */
function keyPlace(text: string, key: string, line0: number): CellPlace | undefined {
  const quoted = JSON.stringify(key);
  for (let at = text.indexOf(quoted); at >= 0; at = text.indexOf(quoted, at + 1)) {
    if (!/^\s*:/.test(text.slice(at + quoted.length, at + quoted.length + 20))) continue;
    const before = text.slice(0, at);
    const nl = before.lastIndexOf('\n');
    return { line: line0 + (before.match(/\n/g)?.length ?? 0), start: at - nl - 1, end: at - nl - 1 + quoted.length };
  }
  return undefined;
}

/** Where each cell of a CSV header line is written: from its first character to its last (quotes included). */
export function csvCellPlaces(text: string, line: number): CellPlace[] {
  const out: CellPlace[] = [];
  let i = 0;
  for (;;) {
    const start = i;
    if (text[i] === '"') {
      i++;
      while (i < text.length && !(text[i] === '"' && text[i + 1] !== '"')) i += text[i] === '"' ? 2 : 1;
      i++;
    }
    while (i < text.length && text[i] !== ',') i++;
    out.push({ line, start, end: i });
    if (i >= text.length) return out;
    i++;
  }
}

/** CSV: the header cells, once a first row is seen to follow. NDJSON: the keys of the first object. */
function readStart(file: string, format: 'csv' | 'ndjson'): { columns: string[]; places: (CellPlace | undefined)[] } {
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
    const text = buf.toString('utf8', h.start, h.end);
    if (format === 'ndjson') {
      const columns = Object.keys(parseObjectLine(text, h.line));
      return { columns, places: columns.map((c) => keyPlace(text, c, h.line - 1)) };
    }
    if (records.length < 2 && eof) throw new DataFileError(undefined, 'the file has a header but no rows');
    return { columns: decodeCsvRecord(buf, h.start, h.end), places: csvCellPlaces(text, h.line - 1) };
  } finally {
    closeSync(fd);
  }
}

function bom(buf: Buffer): number {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
}
