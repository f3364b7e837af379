/**
 * A data file opened for a run: its columns, its number of rows, and row i on demand.
 *
 * CSV and NDJSON are indexed, not loaded: one pass over the file (1 MiB reads) records where
 * each block of up to BLOCK_ROWS rows (and about BLOCK_BYTES) begins. Reading row i reads its
 * block (a few KiB, one pread) and decodes that row; the last few blocks are cached, so VUs
 * walking a shared cursor hit the cache. Memory is then the index (three numbers per block,
 * about 1.5 bytes per row) plus the cache, whatever the file's size, and it is shared by every VU.
 *
 * A JSON array is parsed whole (at most LIMITS.dataJsonBytes): JSON has no cheap way to find
 * where item i begins without parsing everything before it.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { kindOf } from '../scenario/file-kind';
import { LIMITS } from '../scenario/schema';
import type { DataFileSpec, DataFormat } from '../scenario/model';
import { CsvScanner, decodeCsvRecord, type OnRecord } from './csv';
import { DataFileError } from './format';
import { cellsOf, describeJson, jsonReason, LineScanner, parseObjectLine } from './lines';

export interface DataSource {
  /** Every column of the file, in order (CSV header cells, keys of the first JSON object). */
  readonly columns: readonly string[];
  readonly rowCount: number;
  /** The cells of row i (0-based, header not counted) in `columns` order; undefined for a missing JSON key. Throws DataFileError. */
  row(i: number): readonly (string | undefined)[];
  /** Closes the file; a later row() opens it again. */
  close(): void;
}

const BLOCK_ROWS = 16;
const BLOCK_BYTES = 16 * 1024;
const CACHED_BLOCKS = 8;
const READ_CHUNK = 1024 * 1024;

/** Opens and indexes a data file. Throws DataFileError (with a line when there is one) or a system error. */
export function openDataSource(spec: Pick<DataFileSpec, 'file' | 'format'>): DataSource {
  if (spec.format === 'json') return new JsonSource(readJsonArray(spec.file));
  return new IndexedSource(spec.file, spec.format);
}

/** Opens a regular file without blocking on a FIFO (see file-kind.ts); returns the descriptor and size. */
export function openRegular(file: string): { fd: number; size: number } {
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw new DataFileError(undefined, `is ${kindOf(st)}, not a regular file`);
  }
  return { fd, size: st.size };
}

export function scannerFor(format: Exclude<DataFormat, 'json'>, onRecord: OnRecord): CsvScanner | LineScanner {
  return format === 'csv' ? new CsvScanner(onRecord, LIMITS.dataRowBytes) : new LineScanner(onRecord, LIMITS.dataRowBytes);
}

/** Reads [pos, pos + len) of fd into a new buffer (short only at the end of the file). */
function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.allocUnsafe(len);
  let n = 0;
  while (n < len) {
    const got = readSync(fd, buf, n, len - n, pos + n);
    if (got === 0) break;
    n += got;
  }
  return n === len ? buf : buf.subarray(0, n);
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function bomLength(buf: Uint8Array): number {
  return buf.length >= 3 && buf[0] === UTF8_BOM[0] && buf[1] === UTF8_BOM[1] && buf[2] === UTF8_BOM[2] ? 3 : 0;
}

/**
 * One of the cached blocks. Its buffer and arrays are reused for every block it holds, so
 * reading rows all over a large file allocates only the decoded cells.
 */
class BlockSlot {
  /** The block held (-1: none). */
  block = -1;
  /** Last use, for least-recently-used replacement. */
  used = 0;
  buf: Buffer = Buffer.alloc(0);
  /** Per row of the block: start and end in buf, and its line in the file. */
  readonly starts = new Float64Array(BLOCK_ROWS);
  readonly ends = new Float64Array(BLOCK_ROWS);
  readonly lines = new Float64Array(BLOCK_ROWS);
  count = 0;
  firstLine = 0;
  readonly onRecord: OnRecord = (s, e, line) => {
    const k = this.count++;
    this.starts[k] = s;
    this.ends[k] = e;
    this.lines[k] = this.firstLine + line - 1;
  };
}

/** A Float64Array that grows by doubling: the index is built without a JS array per block. */
class Grow {
  a = new Float64Array(1024);
  n = 0;
  push(x: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = x;
  }
  done(): Float64Array {
    return this.a.slice(0, this.n);
  }
}

class IndexedSource implements DataSource {
  readonly columns: readonly string[];
  readonly rowCount: number;
  private readonly blockRow: Float64Array;
  private readonly blockOff: Float64Array;
  private readonly blockLine: Float64Array;
  private readonly endOff: number;
  private fd = -1;
  private readonly slots: BlockSlot[] = [];
  private clock = 0;

  constructor(private readonly file: string, private readonly format: 'csv' | 'ndjson') {
    const { fd, size } = openRegular(file);
    this.fd = fd;
    const blockRow = new Grow();
    const blockOff = new Grow();
    const blockLine = new Grow();
    const csv = format === 'csv';
    let header: { start: number; end: number; line: number; fields: number } | undefined;
    let rows = 0;
    let inBlock = 0;
    let blockStart = 0;
    let lastEnd = 0;
    const onRecord: OnRecord = (start, end, line, fields) => {
      if (csv && header === undefined) {
        header = { start, end, line, fields };
        return;
      }
      if (csv && fields !== header!.fields) {
        throw new DataFileError(line, `the row has ${fields} cell${fields === 1 ? '' : 's'}; the header has ${header!.fields}`);
      }
      if (inBlock === 0) {
        blockRow.push(rows);
        blockOff.push(start);
        blockLine.push(line);
        blockStart = start;
      }
      rows++;
      lastEnd = end;
      if (++inBlock === BLOCK_ROWS || end - blockStart >= BLOCK_BYTES) inBlock = 0;
    };
    const scanner = scannerFor(format, onRecord);
    try {
      // One buffer for the whole pass: the scanner keeps offsets, never the bytes.
      const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, Math.max(1, size)));
      for (let pos = 0; pos < size; ) {
        const got = readSync(fd, chunk, 0, Math.min(chunk.length, size - pos), pos);
        if (got === 0) break;
        scanner.feed(chunk, pos, pos === 0 ? bomLength(chunk.subarray(0, got)) : 0, got);
        pos += got;
      }
      scanner.finish();
      if (csv && header === undefined) throw new DataFileError(undefined, 'the file is empty: it needs a header row and at least one row');
      if (rows === 0) throw new DataFileError(undefined, csv ? 'the file has a header but no rows' : 'the file is empty: it needs at least one line with a JSON object');
      this.rowCount = rows;
      this.blockRow = blockRow.done();
      this.blockOff = blockOff.done();
      this.blockLine = blockLine.done();
      this.endOff = lastEnd;
      if (csv) this.columns = decodeCsvRecord(readAt(fd, header!.start, header!.end - header!.start), 0, header!.end - header!.start);
      else this.columns = Object.keys(parseObjectLine(this.readLine(0), this.blockLine[0]!));
    } catch (e) {
      this.close();
      throw e;
    }
  }

  row(i: number): readonly (string | undefined)[] {
    const b = this.blockOf(i);
    const block = this.block(b);
    const k = i - this.blockRow[b]!;
    if (this.format === 'csv') return decodeCsvRecord(block.buf, block.starts[k]!, block.ends[k]!);
    return cellsOf(parseObjectLine(block.buf.toString('utf8', block.starts[k]!, block.ends[k]!), block.lines[k]!), this.columns);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.slots.length = 0;
  }

  private readLine(i: number): string {
    const b = this.block(this.blockOf(i));
    const k = i - this.blockRow[this.blockOf(i)]!;
    return b.buf.toString('utf8', b.starts[k]!, b.ends[k]!);
  }

  /** The block holding row i: the last block that starts at or before it. */
  private blockOf(i: number): number {
    const rows = this.blockRow;
    let lo = 0;
    let hi = rows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (rows[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private block(b: number): BlockSlot {
    const slots = this.slots;
    let slot: BlockSlot | undefined;
    for (let k = 0; k < slots.length; k++) {
      if (slots[k]!.block === b) {
        slot = slots[k]!;
        slot.used = ++this.clock;
        return slot;
      }
    }
    if (slots.length < CACHED_BLOCKS) slots.push((slot = new BlockSlot()));
    else for (const x of slots) if (slot === undefined || x.used < slot.used) slot = x;
    if (this.fd < 0) this.fd = openRegular(this.file).fd;
    const start = this.blockOff[b]!;
    const len = (b + 1 < this.blockOff.length ? this.blockOff[b + 1]! : this.endOff) - start;
    if (slot!.buf.length < len) slot!.buf = Buffer.allocUnsafe(Math.max(len, BLOCK_BYTES * 2));
    const buf = slot!.buf;
    let n = 0;
    while (n < len) {
      const got = readSync(this.fd, buf, n, len - n, start + n);
      if (got === 0) break;
      n += got;
    }
    slot!.block = -1;
    slot!.count = 0;
    slot!.firstLine = this.blockLine[b]!;
    const scanner = scannerFor(this.format, slot!.onRecord);
    scanner.feed(buf, 0, 0, n);
    scanner.finish();
    slot!.block = b;
    slot!.used = ++this.clock;
    return slot!;
  }
}

class JsonSource implements DataSource {
  readonly columns: readonly string[];
  readonly rowCount: number;
  private readonly rows: (string | undefined)[][];

  constructor(items: Record<string, unknown>[]) {
    this.columns = Object.keys(items[0]!);
    this.rows = items.map((o) => cellsOf(o, this.columns));
    this.rowCount = this.rows.length;
  }

  row(i: number): readonly (string | undefined)[] {
    return this.rows[i]!;
  }

  close(): void {
    /* nothing open */
  }
}

/** A JSON data file: a non-empty array of objects, at most LIMITS.dataJsonBytes. Throws DataFileError. */
export function readJsonArray(file: string): Record<string, unknown>[] {
  const { fd, size } = openRegular(file);
  let text: string;
  try {
    if (size > LIMITS.dataJsonBytes) {
      throw new DataFileError(undefined, `is ${(size / 1048576).toFixed(1)} MiB; a JSON data file is parsed whole and may be at most ${LIMITS.dataJsonBytes / 1048576} MiB (NDJSON and CSV have no limit)`);
    }
    const buf = readAt(fd, 0, size);
    text = buf.toString('utf8', bomLength(buf));
  } finally {
    closeSync(fd);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    const why = jsonReason(text);
    throw new DataFileError(lineAt(text, why.offset), `not valid JSON (${why.message})`);
  }
  if (!Array.isArray(v)) throw new DataFileError(undefined, `a JSON data file must be an array of objects; found ${describeJson(v)}`);
  if (v.length === 0) throw new DataFileError(undefined, 'the array is empty: it needs at least one object');
  v.forEach((item, k) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new DataFileError(undefined, `item ${k + 1} of the array is ${describeJson(item)}, not an object`);
  });
  return v as Record<string, unknown>[];
}

function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
