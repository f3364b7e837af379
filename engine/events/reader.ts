/**
 * Reads an event log (format.ts): the header, then the records one by one as typed objects with
 * absolute times, then the footer. Streaming — a log of millions of records is read in constant
 * memory — so `z6 replay` and anything else that reads logs (reports, comparisons) share it:
 *
 *   const log = await EventLogReader.open(file);          // EventLogError: not a readable z6 log
 *   for await (const r of log.records()) { … }             // r.type: 'S' 'E' 'I' 'O' 'D' 'C' 'L'
 *   log.footer; log.problems;                              // after the loop
 *
 * The reader checks the log as a file: each record's check against its place (a record changed,
 * missing or out of order is named by its line), the footer's counts and sha256, and that the
 * footer is there. What the records say is checked by verify.ts.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { FailureKind } from '../metrics/results-types';
import {
  READABLE_FORMATS, INTERRUPTED, footerHashed, NONE, REC_LETTERS, checkOf, checkStart, checkText, mix, outcomeCode, outcomeText,
  type EventLogFooter, type EventLogHeader, type RecordLetter,
} from './format';

interface Place {
  /** 1-based line in the decompressed file (the header is line 1). */
  line: number;
  /** 0-based sequence number the record's check was written with. */
  seq: number;
  /** µs since the run started. */
  t: number;
}

export interface VuRecord extends Place { type: 'S' | 'E'; vu: number }
export interface IssuedRecord extends Place {
  type: 'I';
  vu: number;
  req: number;
  /** Index in the VU's plan (closed model) or the arrival number (open model). */
  k: number;
  /** µs from the intended start to the actual one (t). */
  lag: number;
  /** Per [[data]] file, the row this request drew (-1: drawn but unreadable); null when it drew none. */
  rows: number[] | null;
}
export interface OutcomeRecord extends Place {
  type: 'O';
  vu: number;
  /** An HTTP status (≥ 0), a failure kind, or interrupted (format.ts). */
  code: number;
  status: number | null;
  kind: FailureKind | 'interrupted' | null;
  /** µs as recorded into the latency histograms; null: no sample. */
  latency: number | null;
  queueWait: number | null;
  bytes: number;
  redirects: number;
  /** The request's checks in order (true: passed); null when none ran. */
  checks: boolean[] | null;
  /** Open model: µs from the arrival's intended start to its end. */
  fromIntended: number | null;
}
export interface DroppedRecord extends Place { type: 'D' }
export interface ConnectRecord extends Place { type: 'C'; us: number }
export interface LoadEndRecord extends Place { type: 'L'; at: number }
export type EventRecord = VuRecord | IssuedRecord | OutcomeRecord | DroppedRecord | ConnectRecord | LoadEndRecord;

/** A problem with the log as a file: where, and what. */
export interface LogProblem {
  line: number;
  message: string;
}

/** The file is not a z6 event log that can be read at all (exit 2). */
export class EventLogError extends Error {}

/**
 * The latest time z6 reads in a log, µs from the start. A duration-bound run lasts at most a day
 * plus its drain; only a run bound by iterations alone can be longer, and a week of it is 604,800
 * seconds of series. A later time is refused rather than read: a broken or forged time would make
 * a report fill every second up to it.
 */
export const MAX_RUN_US = 7 * 86_400e6;

/** How far ahead a record's check is searched for, to tell a missing or moved record from a changed one. */
const WINDOW = 16;
const FIELDS: Record<RecordLetter, number> = { '': 0, S: 4, E: 4, I: 8, O: 11, D: 3, C: 4, L: 4 };

export class EventLogReader {
  readonly file: string;
  readonly header: EventLogHeader;
  /** Set once records() has ended, when the log has one. */
  footer: EventLogFooter | undefined;
  readonly problems: LogProblem[] = [];
  /** Records per type letter, as read. */
  readonly counts: Partial<Record<RecordLetter, number>> = {};
  private readonly lines: AsyncGenerator<string>;
  private readonly sha = createHash('sha256');

  private constructor(file: string, header: EventLogHeader, lines: AsyncGenerator<string>, headerLine: string) {
    this.file = file;
    this.header = header;
    this.lines = lines;
    this.sha.update(headerLine + '\n', 'utf8');
  }

  static async open(file: string): Promise<EventLogReader> {
    const lines = linesOf(file);
    let first: IteratorResult<string>;
    try {
      first = await lines.next();
    } catch (e) {
      throw new EventLogError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read it as a gzip file (${(e as Error).message})`}`);
    }
    if (first.done) throw new EventLogError(`${file}: the file is empty`);
    let header: EventLogHeader;
    try {
      header = JSON.parse(first.value) as EventLogHeader;
    } catch {
      throw new EventLogError(`${file}:1: the first line is not an event log header (JSON)`);
    }
    if (header === null || typeof header !== 'object' || header.z6events === undefined) throw new EventLogError(`${file}:1: not a z6 event log (no "z6events" in the header)`);
    if (!READABLE_FORMATS.includes(header.z6events)) throw new EventLogError(`${file}:1: event log format ${String(header.z6events)}; this z6 reads formats ${READABLE_FORMATS.join(' and ')}`);
    return new EventLogReader(file, header, lines, first.value);
  }

  /** The records, in order. Afterwards `footer`, `counts` and `problems` are complete. */
  async *records(): AsyncGenerator<EventRecord> {
    const nFiles = this.header.data.length;
    let line = 1;
    let seq = 0;
    let t = 0;
    let timeOff = false;
    /** Sequence numbers skipped over (a record missing, or moved later): seq → the line they were missed at. */
    const missing = new Map<number, number>();
    const seen = (s: number) => {
      // Older gaps than the window are missing for good.
      for (const [m, at] of missing) {
        if (m >= s - WINDOW) break;
        this.problems.push({ line: at, message: `record #${m} is missing before line ${at} (removed, or moved too far)` });
        missing.delete(m);
      }
    };
    try {
      for (;;) {
        const next = await this.lines.next();
        if (next.done) break;
        const text = next.value;
        line++;
        if (this.footer !== undefined) {
          this.problems.push({ line, message: 'a line after the footer' });
          continue;
        }
        if (text.startsWith('{')) {
          this.footer = this.readFooter(text, line);
          this.footerLine = line;
          continue;
        }
        this.sha.update(text + '\n', 'utf8');
        const parsed = parseRecord(text, nFiles);
        if (typeof parsed === 'string') {
          this.problems.push({ line, message: parsed });
          seq++;
          continue;
        }
        // Which record is this? Its check says, given its place.
        const at = (s: number) => parsed.check === checkText(checkOf(parsed.hash(s)));
        let s = seq;
        if (at(seq)) seq++;
        else {
          let moved: number | undefined;
          for (const m of missing.keys()) if (at(m)) moved = m;
          if (moved !== undefined) {
            this.problems.push({ line, message: `out of order: this is record #${moved}, which belongs before line ${missing.get(moved)}` });
            missing.delete(moved);
            s = moved;
          } else {
            let ahead = 0;
            for (let d = 1; d <= WINDOW && ahead === 0; d++) if (at(seq + d)) ahead = d;
            if (ahead > 0) {
              for (let m = seq; m < seq + ahead; m++) missing.set(m, line);
              s = seq + ahead;
              seq += ahead + 1;
            } else {
              this.problems.push({ line, message: `changed: the record does not match its check (as record #${seq})` });
              seq++;
            }
          }
        }
        seen(seq);
        t += parsed.dt;
        if (!timeOff && (t < 0 || t > MAX_RUN_US)) {
          // Said once: every later time is a sum through this one.
          timeOff = true;
          this.problems.push({ line, message: `the record's time, ${t} µs from the start, is outside what z6 reads from a log (0 to ${MAX_RUN_US / 86_400e6} days): a broken or forged time, or a run longer than that` });
        }
        this.counts[parsed.letter] = (this.counts[parsed.letter] ?? 0) + 1;
        yield parsed.record({ line, seq: s, t });
      }
    } catch (e) {
      this.problems.push({ line: line + 1, message: `the compressed data ends or breaks after line ${line} (${(e as Error).message}): the log is incomplete` });
    }
    seen(Infinity);
    for (const [m, at] of missing) this.problems.push({ line: at, message: `record #${m} is missing before line ${at}` });
    if (this.footer === undefined) this.problems.push({ line: line + 1, message: 'no footer: the log ends without one (the run did not finish writing it)' });
    else this.checkFooter(this.footer, seq);
    this.problems.sort((a, b) => a.line - b.line);
  }

  private readFooter(text: string, line: number): EventLogFooter | undefined {
    try {
      const f = JSON.parse(text) as EventLogFooter;
      if (f.z6eventsEnd === true) return f;
    } catch {
      /* said below */
    }
    this.problems.push({ line, message: 'a line that is neither a record nor the footer' });
    return undefined;
  }

  private checkFooter(f: EventLogFooter, seq: number): void {
    const line = this.footerLine;
    const say = (message: string) => this.problems.push({ line, message: `footer: ${message}` });
    if (f.records !== seq) say(`it says ${f.records} records; the log holds ${seq}`);
    for (const letter of REC_LETTERS.slice(1)) {
      const said = f.counts?.[letter] ?? 0;
      const read = this.counts[letter] ?? 0;
      if (said !== read) say(`it counts ${said} ${letter} records; the log holds ${read}`);
    }
    const hashed = this.header.z6events >= 2;
    if (hashed) this.sha.update(footerHashed(f), 'utf8');
    const sha = this.sha.digest('hex');
    if (f.sha256 !== sha) say(`the sha256 of the header, records${hashed ? ', truncated and end' : ''} is ${sha}; the footer says ${f.sha256}`);
  }

  private footerLine = 0;
}

interface ParsedLine {
  letter: RecordLetter;
  dt: number;
  check: string;
  /** The record's check hash as if it were record `seq`. */
  hash(seq: number): number;
  record(p: Place): EventRecord;
}

const INT = /^-?\d{1,16}$/;

/** A record line's fields, or what is wrong with it. */
export function parseRecord(text: string, nFiles: number): ParsedLine | string {
  const f = text.split('\t');
  const letter = f[0] as RecordLetter;
  const type = REC_LETTERS.indexOf(letter);
  if (type <= 0) return `unknown record type '${f[0]!.slice(0, 10)}'`;
  if (f.length !== FIELDS[letter]) return `a ${letter} record has ${FIELDS[letter]} fields, this one ${f.length}`;
  const num = (i: number, none = false): number => {
    const v = f[i]!;
    if (none && v === '-') return NONE;
    if (!INT.test(v)) throw new Error(`field ${i + 1} ('${v.slice(0, 20)}') is not a number`);
    return Number(v);
  };
  try {
    const dt = num(1);
    const check = f[f.length - 1]!;
    const values: number[] = [];
    let record: (p: Place) => EventRecord;
    switch (letter) {
      case 'S':
      case 'E': {
        const vu = num(2);
        values.push(vu);
        record = (p) => ({ type: letter, ...p, vu });
        break;
      }
      case 'I': {
        const [vu, req, k, lag] = [num(2), num(3), num(4), num(5)];
        values.push(vu, req, k, lag);
        let rows: number[] | null = null;
        if (f[6] === '-') values.push(0);
        else {
          rows = f[6]!.split(',').map((x) => {
            if (!INT.test(x)) throw new Error(`rows field '${f[6]!.slice(0, 20)}' is not a list of numbers`);
            return Number(x);
          });
          if (rows.length !== nFiles) throw new Error(`${rows.length} rows for ${nFiles} data files`);
          values.push(nFiles, ...rows);
        }
        record = (p) => ({ type: 'I', ...p, vu, req, k, lag, rows });
        break;
      }
      case 'O': {
        const vu = num(2);
        const code = outcomeCode(f[3]!);
        if (code === undefined) throw new Error(`'${f[3]!.slice(0, 20)}' is neither a status nor a failure kind`);
        const [latency, queueWait, bytes, redirects] = [num(4, true), num(5, true), num(6), num(7)];
        let checks: boolean[] | null = null;
        if (f[8] !== '-') {
          if (!/^[01]+$/.test(f[8]!)) throw new Error(`checks field '${f[8]!.slice(0, 20)}' is not made of 0 and 1`);
          checks = [...f[8]!].map((c) => c === '1');
        }
        const fromIntended = num(9, true);
        values.push(vu, code, latency, queueWait, bytes, redirects, checks?.length ?? 0, ...(checks ?? []).map((c) => (c ? 1 : 0)), fromIntended);
        const text = outcomeText(code);
        record = (p) => ({
          type: 'O', ...p, vu, code,
          status: code >= 0 ? code : null,
          kind: code >= 0 ? null : code === INTERRUPTED ? 'interrupted' : (text as FailureKind),
          latency: latency === NONE ? null : latency,
          queueWait: queueWait === NONE ? null : queueWait,
          bytes, redirects, checks,
          fromIntended: fromIntended === NONE ? null : fromIntended,
        });
        break;
      }
      case 'D':
        record = (p) => ({ type: 'D', ...p });
        break;
      case 'C': {
        const us = num(2);
        values.push(us);
        record = (p) => ({ type: 'C', ...p, us });
        break;
      }
      case 'L': {
        const at = num(2);
        values.push(at);
        record = (p) => ({ type: 'L', ...p, at });
        break;
      }
      default:
        return `unknown record type '${letter}'`;
    }
    if (!/^[0-9a-f]{4}$/.test(check)) return `the check '${check.slice(0, 10)}' is not 4 hex digits`;
    return {
      letter, dt, check, record,
      hash: (seq) => {
        let h = mix(checkStart(seq, type), dt);
        for (const v of values) h = mix(h, v);
        return h;
      },
    };
  } catch (e) {
    return `${letter} record: ${(e as Error).message}`;
  }
}

/** The decompressed file's lines (without their newline); throws what gunzip or the file throws. */
async function* linesOf(file: string): AsyncGenerator<string> {
  const src = createReadStream(file);
  const gunzip = createGunzip();
  src.on('error', (e) => gunzip.destroy(e));
  src.pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    let from = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', from)) >= 0) {
      yield text.slice(from, nl);
      from = nl + 1;
    }
    rest = text.slice(from);
  }
  rest += decoder.end();
  if (rest.length > 0) yield rest;
}
