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
  } catch {
    throw new DataFileError(line, `not valid JSON (${jsonReason(text).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DataFileError(line, `each line must be a JSON object; found ${describeJson(v)}`);
  return v as Record<string, unknown>;
}

/**
 * Where text that JSON.parse refused goes wrong, as a message without the text itself (a data
 * file's content may be secret; Node's own message quotes it, and Node 20 gives no position).
 */
export function jsonReason(text: string): { offset: number; message: string } {
  const at = jsonErrorOffset(text);
  return { offset: at, message: at >= text.length ? 'it ends too early' : `a syntax error at column ${at + 1 - text.lastIndexOf('\n', at - 1) - 1}` };
}

/**
 * The offset of the first character where `text` stops being JSON (text.length: it ends too
 * early). Only called after JSON.parse failed, so it can be simple rather than fast.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const lit = (w: string) => {
    for (const ch of w) if (text[i++] !== ch) (i--, fail());
  };
  const str = () => {
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const ch = text[i]!;
      if (ch === '"') return void i++;
      if (ch < ' ') fail();
      if (ch === '\\') {
        i++;
        if (text[i] === 'u') {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) ((i += k), fail());
          i += 5;
        } else if (text[i] !== undefined && '"\\/bfnrt'.includes(text[i]!)) i++;
        else fail();
      } else i++;
    }
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (ch === '"') return str();
    if (ch === 't') return lit('true');
    if (ch === 'f') return lit('false');
    if (ch === 'n') return lit('null');
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, text.length);
    throw at;
  }
  return text.length;
}

export function describeJson(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v === 'string' ? 'a string' : `a ${typeof v}`;
}
