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

  /**
   * Scans `buf[from, to)`, whose first byte is at absolute offset `base + from`. Throws
   * DataFileError. The state lives in locals while the loop runs (a property access per byte made
   * it about three times slower) and goes back to the fields at the end.
   */
  feed(buf: Uint8Array, base: number, from = 0, to = buf.length): void {
    let inQuotes = this.inQuotes;
    let afterQuote = this.afterQuote;
    let fieldStart = this.fieldStart;
    let fields = this.fields;
    let recStart = this.recStart;
    let recLine = this.recLine;
    let line = this.line;
    let last = this.last;
    const max = this.maxRecordBytes;
    let i = from;
    try {
      for (; i < to; i++) {
        const c = buf[i]!;
        if (recStart < 0) {
          // Between records: blank lines (and the CR of a CRLF blank line) are skipped.
          if (c === LF) {
            line++;
            last = c;
            continue;
          }
          if (c === CR) {
            last = c;
            continue;
          }
          recStart = base + i;
          recLine = line;
          fields = 1;
          fieldStart = true;
        }
        if (inQuotes) {
          if (c === QUOTE) {
            inQuotes = false;
            afterQuote = true;
          } else if (c === LF) line++;
          last = c;
          continue;
        }
        let end = false;
        if (afterQuote) {
          if (last === CR && c !== LF) throw new DataFileError(line, 'a closing quote must be followed by a comma or the end of the line');
          if (c === QUOTE) {
            // `""` inside a quoted field: an escaped quote, and the field goes on.
            inQuotes = true;
            afterQuote = false;
          } else if (c === COMMA) {
            afterQuote = false;
            fields++;
            fieldStart = true;
          } else if (c === LF) {
            afterQuote = false;
            end = true;
          } else if (c !== CR) {
            throw new DataFileError(line, 'a closing quote must be followed by a comma or the end of the line');
          }
        } else if (c === COMMA) {
          fields++;
          fieldStart = true;
        } else if (c === LF) {
          end = true;
        } else if (c === QUOTE && fieldStart) {
          inQuotes = true;
          this.quoteLine = line;
          fieldStart = false;
        } else fieldStart = false;
        if (end) {
          const pos = base + i;
          const recEnd = last === CR ? pos - 1 : pos;
          if (recEnd - recStart > max) throw new DataFileError(recLine, `the row is longer than ${max / 1048576} MiB`);
          const start = recStart;
          recStart = -1;
          line++;
          if (this.onRecord(start, recEnd, recLine, fields) === false) {
            this.stopped = true;
            i++;
            break;
          }
        }
        last = c;
      }
    } finally {
      this.inQuotes = inQuotes;
      this.afterQuote = afterQuote;
      this.fieldStart = fieldStart;
      this.fields = fields;
      this.recStart = recStart;
      this.recLine = recLine;
      this.line = line;
      this.last = last;
      this.pos = base + i;
    }
  }

  /** The end of the input: a last record without a line break, or an unclosed quote. */
  finish(): void {
    if (this.stopped) return;
    if (this.inQuotes) throw new DataFileError(this.quoteLine, 'a quoted field is never closed (its opening quote is on this line)');
    if (this.recStart < 0) return;
    const start = this.recStart;
    const end = this.last === CR ? this.pos - 1 : this.pos;
    if (end - start > this.maxRecordBytes) throw new DataFileError(this.recLine, `the row is longer than ${this.maxRecordBytes / 1048576} MiB`);
    this.recStart = -1;
    this.onRecord(start, end, this.recLine, this.fields);
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
