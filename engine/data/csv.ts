/**
 * CSV (RFC 4180) as byte ranges: a scanner that finds where each record starts and ends in a
 * stream of chunks, and a decoder for one record's bytes. Indexing needs the byte offset of every
 * record and must handle quoted fields that hold commas and line breaks, so the scanner works on
 * bytes: `"`, `,`, CR and LF are ASCII, and no byte of a multi-byte UTF-8 character can be one of
 * them, so scanning bytes is exact without decoding (decoding 100 MB just to find offsets would
 * cost more than the scan). The CSV libraries we looked at (csv-parse, papaparse) report
 * characters or lines, not byte offsets, and materialise the rows; this is about 150 lines.
 *
 * The rules: a field that starts with `"` is quoted and ends at the next lone `"` (`""` is a
 * quote); it may hold commas, CR and LF. After its closing quote only a comma or the end of the
 * line may follow. A `"` inside an unquoted field is an ordinary character (as most tools read
 * it). A record ends at LF, or CRLF; a line with nothing on it is skipped (so a file may end
 * with or without a line break, and blank lines between rows do not count).
 */
import { DataFileError } from './format';

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/**
 * One record: bytes [start, end) without its line break, the line it starts on (1-based) and
 * its number of fields. Return false to stop scanning.
 */
export type OnRecord = (start: number, end: number, line: number, fields: number) => boolean | void;

export class CsvScanner {
  private inQuotes = false;
  /** Just after a quoted field's closing quote. */
  private afterQuote = false;
  private fieldStart = true;
  private fields = 1;
  /** Absolute offset where the current record started; -1 between records. */
  private recStart = -1;
  private recLine = 0;
  private line = 1;
  private quoteLine = 0;
  private last = -1;
  private pos = 0;
  stopped = false;

  constructor(private readonly onRecord: OnRecord, private readonly maxRecordBytes: number) {}

  /** Scans `buf[from, to)`, whose first byte is at absolute offset `base + from`. Throws DataFileError. */
  feed(buf: Uint8Array, base: number, from = 0, to = buf.length): void {
    for (let i = from; i < to && !this.stopped; i++) {
      const c = buf[i]!;
      const pos = base + i;
      if (this.recStart < 0) {
        // Between records: blank lines (and the CR of a CRLF blank line) are skipped.
        if (c === LF) {
          this.line++;
          this.last = c;
          continue;
        }
        if (c === CR) {
          this.last = c;
          continue;
        }
        this.recStart = pos;
        this.recLine = this.line;
        this.fields = 1;
        this.fieldStart = true;
      }
      if (this.inQuotes) {
        if (c === QUOTE) {
          this.inQuotes = false;
          this.afterQuote = true;
        } else if (c === LF) this.line++;
        this.last = c;
        continue;
      }
      if (this.afterQuote) {
        if (this.last === CR && c !== LF) throw new DataFileError(this.line, 'a closing quote must be followed by a comma or the end of the line');
        if (c === QUOTE) {
          // `""` inside a quoted field: an escaped quote, and the field goes on.
          this.inQuotes = true;
          this.afterQuote = false;
        } else if (c === COMMA) {
          this.afterQuote = false;
          this.fields++;
          this.fieldStart = true;
        } else if (c === LF) {
          this.afterQuote = false;
          this.endRecord(pos);
        } else if (c !== CR) {
          throw new DataFileError(this.line, 'a closing quote must be followed by a comma or the end of the line');
        }
        this.last = c;
        continue;
      }
      if (c === COMMA) {
        this.fields++;
        this.fieldStart = true;
      } else if (c === LF) {
        this.endRecord(pos);
      } else if (c === QUOTE && this.fieldStart) {
        this.inQuotes = true;
        this.quoteLine = this.line;
        this.fieldStart = false;
      } else this.fieldStart = false;
      this.last = c;
    }
    this.pos = base + to;
  }

  /** The end of the input: a last record without a line break, or an unclosed quote. */
  finish(): void {
    if (this.stopped) return;
    if (this.inQuotes) throw new DataFileError(this.quoteLine, 'a quoted field is never closed (its opening quote is on this line)');
    if (this.recStart >= 0) this.endRecord(this.pos, true);
  }

  private endRecord(lfAt: number, eof = false): void {
    const end = this.last === CR ? lfAt - 1 : lfAt;
    if (end - this.recStart > this.maxRecordBytes) {
      throw new DataFileError(this.recLine, `the row is longer than ${this.maxRecordBytes / 1048576} MiB`);
    }
    if (this.onRecord(this.recStart, end, this.recLine, this.fields) === false) this.stopped = true;
    this.recStart = -1;
    this.afterQuote = false;
    if (!eof) this.line++;
  }
}

/** The fields of one well-formed record, buf[start, end) (no line break), as UTF-8 text. */
export function decodeCsvRecord(buf: Buffer, start: number, end: number): string[] {
  const out: string[] = [];
  let i = start;
  for (;;) {
    if (i < end && buf[i] === QUOTE) {
      let text = '';
      let seg = i + 1;
      for (;;) {
        let q = buf.indexOf(QUOTE, seg);
        if (q < 0 || q >= end) q = end; // cannot happen in a record the scanner accepted
        text += buf.toString('utf8', seg, q);
        if (q + 1 < end && buf[q + 1] === QUOTE) {
          text += '"';
          seg = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(text);
      // Only a comma (or CR before the end) can follow a closing quote.
      while (i < end && buf[i] !== COMMA) i++;
    } else {
      let c = buf.indexOf(COMMA, i);
      if (c < 0 || c >= end) c = end;
      out.push(buf.toString('utf8', i, c));
      i = c;
    }
    if (i >= end) return out;
    i++; // the comma
    if (i === end) {
      out.push('');
      return out;
    }
  }
}
