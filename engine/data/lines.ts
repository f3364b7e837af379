/**
 * NDJSON (JSON Lines) as byte ranges: each line that is not blank is one record. Like the CSV
 * scanner (csv.ts) it works on bytes, since LF never occurs inside a UTF-8 character.
 */
import { DataFileError } from './format';
import type { OnRecord } from './csv';

const CR = 0x0d;
const LF = 0x0a;

export class LineScanner {
  private start = 0;
  private line = 1;
  /** The current line has a byte other than space, tab or CR. */
  private nonBlank = false;
  private last = -1;
  private pos = 0;
  stopped = false;

  constructor(private readonly onRecord: OnRecord, private readonly maxRecordBytes: number) {}

  feed(buf: Uint8Array, base: number, from = 0, to = buf.length): void {
    for (let i = from; i < to && !this.stopped; i++) {
      const c = buf[i]!;
      if (c === LF) {
        this.endLine(base + i);
        this.start = base + i + 1;
        this.line++;
      } else if (c !== 0x20 && c !== 0x09 && c !== CR) this.nonBlank = true;
      this.last = c;
    }
    this.pos = base + to;
  }

  finish(): void {
    if (!this.stopped) this.endLine(this.pos);
  }

  private endLine(lfAt: number): void {
    const end = this.last === CR ? lfAt - 1 : lfAt;
    if (this.nonBlank) {
      if (end - this.start > this.maxRecordBytes) throw new DataFileError(this.line, `the line is longer than ${this.maxRecordBytes / 1048576} MiB`);
      if (this.onRecord(this.start, end, this.line, 1) === false) this.stopped = true;
    }
    this.nonBlank = false;
  }
}

/**
 * The value of each column in one NDJSON line (or one item of a JSON array): a string as it is,
 * a number or boolean as its text, an array or object as its JSON text; undefined when the key
 * is missing or null (the request that uses it then fails as kind 'template').
 */
export function cellsOf(obj: Record<string, unknown>, columns: readonly string[]): (string | undefined)[] {
  const out = new Array<string | undefined>(columns.length);
  for (let k = 0; k < columns.length; k++) {
    const v = obj[columns[k]!];
    out[k] = v === undefined || v === null ? undefined : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

/** Parses one line as a JSON object; throws DataFileError at `line` otherwise. */
export function parseObjectLine(text: string, line: number): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new DataFileError(line, `not valid JSON (${jsonReason(e)})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DataFileError(line, `each line must be a JSON object; found ${describeJson(v)}`);
  return v as Record<string, unknown>;
}

/** What JSON.parse said, without the text it quotes (a data file's content may be secret). */
export function jsonReason(e: unknown): string {
  const m = (e as Error).message;
  const at = /position (\d+)/.exec(m);
  return at ? `a syntax error at character ${Number(at[1]) + 1}` : /end of (JSON|data) input/i.test(m) ? 'it ends too early' : 'a syntax error';
}

export function describeJson(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v === 'string' ? 'a string' : `a ${typeof v}`;
}
