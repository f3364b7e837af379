/**
 * Writes the event log (format.ts) off the VU's path: a record is a few numbers stored into a
 * preallocated Float64Array; turning records into text happens in batches — soon after a
 * quarter of the buffer filled (setImmediate), every 250 ms, or at once when the buffer is full —
 * and gzip compresses in libuv's thread pool (zlib's async stream), not on the event loop.
 *
 * The size limit is on the file. Before a batch is handed to gzip, the writer counts the
 * compressed bytes already out, the raw bytes gzip has not consumed yet (at their raw size, an
 * upper bound) and LIMIT_RESERVE for what deflate holds and the footer; the first record that
 * would pass the limit ends the log there, with a footer that says it was truncated. The run is
 * never affected: the recorder keeps counting, only the log stops.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, mkdirSync, openSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { createGzip, type Gzip } from 'node:zlib';
import { FAILURE_KINDS } from '../metrics/results-types';
import {
  CONNECT, DROPPED, EVENTS_FORMAT, INTERRUPTED, ISSUED, LOAD_END, NONE, OUTCOME, REC_LETTERS, VU_START, VU_STOP,
  checkOf, checkStart, footerHashed, mix, outcomeText,
  type EventLogFooter, type RunEnd, type EventLogHeader, type EventLogOptions, type RecordLetter,
} from './format';

/** Numbers per buffered record: type, time, vu, then up to 8 fields (layouts in the encoders below). */
const F = 11;
/** Records the buffer holds; a flush is scheduled when SOON are in. */
const CAP = 8192;
const SOON = 2048;
const FLUSH_EVERY_MS = 250;
/**
 * Kept free below the limit: what deflate may hold without having emitted it yet (a block of at
 * most 16,384 symbols at zlib's default memLevel, ≈ 20–50 KB compressed), the footer and the
 * gzip trailer.
 */
export const LIMIT_RESERVE = 64 * 1024;
/** gzip level 1: about 3× smaller than the text at a fifth of level 6's CPU (docs/event-log.md). */
const GZIP_LEVEL = 1;

const [TAB, NEWLINE, DASH, COMMA, ZERO, ONE] = [9, 10, 45, 44, 48, 49];
const LETTER_BYTES = REC_LETTERS.map((l) => l.charCodeAt(0));
const HEX_BYTES = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
/** The failure kinds' and `interrupted`'s names, by outcome code. */
const OUTCOME_BYTES = new Map([INTERRUPTED, ...FAILURE_KINDS.map((_, k) => -1 - k)].map((code) => [code, Buffer.from(outcomeText(code), 'latin1')]));
/** The longest line a record can take: 11 numbers of up to 17 characters and a separator, the check, plus rows and check results. */
const lineBytes = (nFiles: number, maxChecks: number) => 12 * 18 + 6 + nFiles * 18 + maxChecks;

export interface EventLogWriterOptions {
  /** The log file; its folder is created. Opened at once, so a path that cannot be written fails before the run. */
  file: string;
  maxBytes: number;
  /** For the header: what changed the scenario for this run (--vus, --duration, --smoke), so replay can do the same. */
  options: EventLogOptions;
  /** For the header: where the run will write its results JSON (absolute). */
  results?: string;
}

export class EventLogWriter {
  readonly file: string;
  readonly maxBytes: number;
  readonly options: EventLogOptions;
  readonly results: string | undefined;
  /** Why the log stopped early (a write error); undefined when it did not. */
  problem: string | undefined;
  /** The size limit ended the log before the run ended. */
  truncated = false;
  /** Resolves when the file is closed, footer written (or the log failed: see problem). Never rejects. */
  readonly closed: Promise<void>;

  private accepting = false;
  private finished = false;
  private runEnd: RunEnd | undefined;
  /** The header's format: how the footer is hashed. */
  private format = EVENTS_FORMAT;
  private readonly rec = new Float64Array(CAP * F);
  private n = 0;
  /** Per buffered record: the rows of an issue (nFiles each), the check results of an outcome (maxChecks each). */
  private rows = new Int32Array(0);
  private nFiles = 0;
  private checks = new Uint8Array(0);
  private maxChecks = 0;
  /** The record an outcome's checks and from-intended time go to (-1: none). */
  private lastOutcome = -1;
  private flushSoon = false;
  /** Where a batch is encoded (CAP lines at most); `pos`: bytes in it. */
  private text = Buffer.alloc(0);
  private pos = 0;
  private timer: NodeJS.Timeout | undefined;

  // What has been encoded and handed to gzip.
  private seq = 0;
  private lastT = 0;
  private readonly counts = new Float64Array(REC_LETTERS.length);
  private rawWritten = 0;
  private compressedOut = 0;
  private readonly sha: Hash = createHash('sha256');
  private readonly gzip: Gzip;
  private readonly out: WriteStream;

  constructor(o: EventLogWriterOptions) {
    this.file = o.file;
    this.maxBytes = o.maxBytes;
    this.options = o.options;
    this.results = o.results;
    mkdirSync(dirname(o.file), { recursive: true });
    const fd = openSync(o.file, 'w');
    this.out = createWriteStream(o.file, { fd });
    this.gzip = createGzip({ level: GZIP_LEVEL });
    this.gzip.on('data', (c: Buffer) => (this.compressedOut += c.length));
    this.gzip.pipe(this.out);
    const fail = (e: Error) => this.fail(e);
    this.gzip.on('error', fail);
    this.out.on('error', fail);
    this.closed = new Promise((resolve) => this.out.once('close', () => resolve()));
  }

  /** Writes the header and starts taking records. */
  start(header: EventLogHeader): void {
    this.nFiles = header.data.length;
    this.maxChecks = Math.max(0, ...header.checks.map((c) => c.length));
    if (this.nFiles > 0) this.rows = new Int32Array(CAP * this.nFiles);
    if (this.maxChecks > 0) this.checks = new Uint8Array(CAP * this.maxChecks);
    this.text = Buffer.allocUnsafe(CAP * lineBytes(this.nFiles, this.maxChecks));
    this.format = header.z6events;
    const line = Buffer.from(JSON.stringify(header) + '\n', 'utf8');
    this.sha.update(line);
    this.gzip.write(line);
    this.rawWritten += line.length;
    this.accepting = true;
    this.timer = setInterval(() => this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  // ---- records (the recorder calls these while the run goes: numbers into the buffer) -----

  /** Index of a new record's first number, or -1 when the log takes no more. */
  private slot(type: number, t: number, vu: number): number {
    if (!this.accepting) return -1;
    if (this.n === CAP) {
      this.flush();
      if (!this.accepting) return -1;
    }
    const i = this.n++;
    if (i === SOON && !this.flushSoon) {
      this.flushSoon = true;
      setImmediate(() => this.flush());
    }
    this.lastOutcome = -1;
    const b = i * F;
    const r = this.rec;
    r[b] = type;
    r[b + 1] = t;
    r[b + 2] = vu;
    return b;
  }

  vu(start: boolean, t: number, vu: number): void {
    this.slot(start ? VU_START : VU_STOP, t, vu);
  }

  /** rows: the VU's row of each data file, when this request drew them; null when it drew none. */
  issued(t: number, vu: number, req: number, k: number, lagUs: number, rows: Int32Array | null): void {
    const b = this.slot(ISSUED, t, vu);
    if (b < 0) return;
    const r = this.rec;
    r[b + 3] = req;
    r[b + 4] = k;
    r[b + 5] = lagUs;
    r[b + 6] = rows === null ? 0 : 1;
    if (rows !== null) this.rows.set(rows, (b / F) * this.nFiles);
  }

  outcome(t: number, vu: number, code: number, latencyUs: number, queueUs: number, bytes: number, redirects: number): void {
    const b = this.slot(OUTCOME, t, vu);
    if (b < 0) return;
    const r = this.rec;
    r[b + 3] = code;
    r[b + 4] = latencyUs;
    r[b + 5] = queueUs;
    r[b + 6] = bytes;
    r[b + 7] = redirects;
    r[b + 8] = 0;
    r[b + 9] = NONE;
    this.lastOutcome = b;
  }

  /** One check of the outcome just recorded, in the request's check order. */
  check(passed: boolean): void {
    const b = this.lastOutcome;
    if (b < 0) return;
    const c = this.rec[b + 8]!;
    if (c >= this.maxChecks) return;
    this.checks[(b / F) * this.maxChecks + c] = passed ? 1 : 0;
    this.rec[b + 8] = c + 1;
  }

  /** Open model: the outcome just recorded, measured from its arrival's intended start (µs). */
  fromIntended(us: number): void {
    if (this.lastOutcome >= 0) this.rec[this.lastOutcome + 9] = us;
  }

  dropped(t: number): void {
    this.slot(DROPPED, t, 0);
  }

  connect(t: number, us: number): void {
    const b = this.slot(CONNECT, t, 0);
    if (b >= 0) this.rec[b + 3] = us;
  }

  /** The load stopped at `atUs` (the end of the duration may lie before now, when the tick came late). */
  loadEnd(t: number, atUs: number): void {
    const b = this.slot(LOAD_END, t, 0);
    if (b >= 0) this.rec[b + 3] = atUs;
  }

  // ---- batches ------------------------------------------------------------------------

  /**
   * Encodes the buffered records and hands them to gzip, as many as the size limit allows. Those
   * that do not fit yet stay buffered: gzip may not have emitted what it has compressed, and its
   * output is what the budget counts. The log ends (truncated) when nothing fits although gzip
   * has consumed everything given to it, or when the buffer is full and nothing fits.
   */
  flush(): void {
    this.flushSoon = false;
    this.lastOutcome = -1;
    const n = this.n;
    if (n === 0 || !this.accepting) return;
    const pending = this.rawWritten - this.gzip.bytesWritten;
    // Raw bytes gzip has not consumed yet count at their raw size: more than they will take.
    const budget = this.maxBytes - LIMIT_RESERVE - this.compressedOut - pending;
    this.pos = 0;
    let i = 0;
    for (; i < n; i++) {
      const at = this.pos;
      const lastT = this.lastT;
      this.line(i);
      if (this.pos > budget) {
        // Record i does not fit: take it back (line() counted it).
        this.pos = at;
        this.lastT = lastT;
        this.seq--;
        this.counts[this.rec[i * F]!]!--;
        break;
      }
    }
    if (this.pos > 0) {
      const text = this.text.subarray(0, this.pos);
      this.sha.update(text);
      // A copy: gzip reads it later, and the next flush reuses `text`.
      this.gzip.write(Buffer.from(text));
      this.rawWritten += this.pos;
    }
    if (i === n) {
      this.n = 0;
      return;
    }
    if (i === 0 && (pending === 0 || n === CAP)) return this.truncate();
    // The rest waits for gzip to catch up.
    this.keep(i, n);
  }

  /** Moves records from..n-1 to the front of the buffer. */
  private keep(from: number, n: number): void {
    this.rec.copyWithin(0, from * F, n * F);
    if (this.nFiles > 0) this.rows.copyWithin(0, from * this.nFiles, n * this.nFiles);
    if (this.maxChecks > 0) this.checks.copyWithin(0, from * this.maxChecks, n * this.maxChecks);
    this.n = n - from;
    if (!this.flushSoon) {
      this.flushSoon = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes one record as its line (format.ts) with its check at `pos`. Advances seq, lastT and the counts. */
  private line(i: number): void {
    const r = this.rec;
    const b = i * F;
    const type = r[b]!;
    const t = r[b + 1]!;
    const dt = t - this.lastT;
    this.lastT = t;
    const out = this.text;
    out[this.pos++] = LETTER_BYTES[type]!;
    let h = mix(checkStart(this.seq, type), dt);
    this.tab(dt);
    switch (type) {
      case VU_START:
      case VU_STOP: {
        const vu = r[b + 2]!;
        h = mix(h, vu);
        this.tab(vu);
        break;
      }
      case ISSUED: {
        // vu, req, k, lag
        for (let f = 2; f <= 5; f++) {
          h = mix(h, r[b + f]!);
          this.tab(r[b + f]!);
        }
        out[this.pos++] = TAB;
        if (r[b + 6] === 0) {
          h = mix(h, 0);
          out[this.pos++] = DASH;
        } else {
          const at = i * this.nFiles;
          h = mix(h, this.nFiles);
          for (let f = 0; f < this.nFiles; f++) {
            const row = this.rows[at + f]!;
            h = mix(h, row);
            if (f > 0) out[this.pos++] = COMMA;
            this.int(row);
          }
        }
        break;
      }
      case OUTCOME: {
        const vu = r[b + 2]!;
        const code = r[b + 3]!;
        h = mix(mix(h, vu), code);
        this.tab(vu);
        out[this.pos++] = TAB;
        if (code >= 0) this.int(code);
        else {
          const name = OUTCOME_BYTES.get(code)!;
          out.set(name, this.pos);
          this.pos += name.length;
        }
        // latency, queue wait, bytes, redirects
        for (let f = 4; f <= 7; f++) {
          h = mix(h, r[b + f]!);
          this.tabOrDash(r[b + f]!);
        }
        const nc = r[b + 8]!;
        h = mix(h, nc);
        out[this.pos++] = TAB;
        if (nc === 0) out[this.pos++] = DASH;
        else {
          const at = i * this.maxChecks;
          for (let c = 0; c < nc; c++) {
            const p = this.checks[at + c]!;
            h = mix(h, p);
            out[this.pos++] = p === 1 ? ONE : ZERO;
          }
        }
        const fi = r[b + 9]!;
        h = mix(h, fi);
        this.tabOrDash(fi);
        break;
      }
      case CONNECT:
      case LOAD_END: {
        const v = r[b + 3]!;
        h = mix(h, v);
        this.tab(v);
        break;
      }
      case DROPPED:
        break;
    }
    const c = checkOf(h);
    out[this.pos++] = TAB;
    out[this.pos++] = HEX_BYTES[c >>> 12]!;
    out[this.pos++] = HEX_BYTES[(c >>> 8) & 15]!;
    out[this.pos++] = HEX_BYTES[(c >>> 4) & 15]!;
    out[this.pos++] = HEX_BYTES[c & 15]!;
    out[this.pos++] = NEWLINE;
    this.seq++;
    this.counts[type]!++;
  }

  private tab(v: number): void {
    this.text[this.pos++] = TAB;
    this.int(v);
  }

  private tabOrDash(v: number): void {
    this.text[this.pos++] = TAB;
    if (v === NONE) this.text[this.pos++] = DASH;
    else this.int(v);
  }

  /** An integer in decimal ASCII: written by hand, as String(n) on a double and Buffer.from cost several times more. */
  private int(v: number): void {
    const out = this.text;
    let p = this.pos;
    if (v < 0) {
      out[p++] = DASH;
      v = -v;
    }
    const first = p;
    if (v < 2147483648) {
      let x = v | 0;
      do {
        const q = (x / 10) | 0;
        out[p++] = 48 + x - q * 10;
        x = q;
      } while (x > 0);
    } else {
      let x = v;
      do {
        const q = Math.floor(x / 10);
        out[p++] = 48 + x - q * 10;
        x = q;
      } while (x > 0);
    }
    for (let a = first, z = p - 1; a < z; a++, z--) {
      const d = out[a]!;
      out[a] = out[z]!;
      out[z] = d;
    }
    this.pos = p;
  }

  // ---- the end --------------------------------------------------------------------------

  /** The run ended (how, when the runner says so): the last records, the footer, and the file closed (await `closed`). */
  finish(end?: RunEnd): Promise<void> {
    if (!this.finished) {
      this.runEnd = end;
      this.flush();
      // Records still waiting for room at the end did not fit: the log holds fewer than the run made.
      this.end(this.n > 0);
    }
    return this.closed;
  }

  private truncate(): void {
    this.end(true);
  }

  private end(truncated: boolean): void {
    if (this.finished) return;
    this.truncated = truncated;
    this.finished = true;
    this.accepting = false;
    if (this.timer) clearInterval(this.timer);
    const counts: Partial<Record<RecordLetter, number>> = {};
    for (let c = 1; c < REC_LETTERS.length; c++) if (this.counts[c]! > 0) counts[REC_LETTERS[c]!] = this.counts[c]!;
    // Only a log that lasted to the run's end says how it ended; the sha256 covers that too.
    const end = !truncated ? this.runEnd : undefined;
    if (this.format >= 2) this.sha.update(footerHashed({ truncated, end }), 'utf8');
    const footer: EventLogFooter = { z6eventsEnd: true, records: this.seq, counts, sha256: this.sha.digest('hex'), truncated };
    if (end) footer.end = end;
    this.gzip.end(JSON.stringify(footer) + '\n');
  }

  private fail(e: Error): void {
    if (this.problem === undefined) this.problem = `the event log ${this.file} stopped: ${e.message}`;
    this.accepting = false;
    this.finished = true;
    if (this.timer) clearInterval(this.timer);
    this.gzip.destroy();
    this.out.destroy();
  }
}
