/**
 * A run's figures recomputed from its event log, by the rules the Recorder follows
 * (engine/metrics/recorder.ts): counts per request and in total, status codes, failures by kind,
 * checks, the latency histograms rebuilt from the logged µs with the same settings
 * (histogram.ts), so their percentiles are the results' exactly, and the per-second series.
 * `z6 replay --verify` compares them with the results JSON.
 */
import { FAILURE_KINDS, statusFailureKind, type FailureKind } from '../metrics/results-types';
import { newHistogram, recordUs, type Histogram } from '../metrics/histogram';
import type { ConnectRecord, DroppedRecord, IssuedRecord, LoadEndRecord, OutcomeRecord } from './reader';

/** One second of the series, the fields of a results' SecondSample that the log can give. */
export interface LogSecond {
  requests: number;
  responses: number;
  failures: number;
  dropped: number;
  checksPassed: number;
  checksFailed: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export const emptySecond = (): LogSecond => ({ requests: 0, responses: 0, failures: 0, dropped: 0, checksPassed: 0, checksFailed: 0, p50: null, p95: null, p99: null });

export class LogFigures {
  readonly issued: number[];
  readonly succeeded: number[];
  readonly failed: number[];
  readonly interrupted: number[];
  readonly redirects: number[];
  /** Per request: failures by kind (http_4xx/5xx and protocol come from statuses, as the recorder counts them). */
  readonly failures: Map<FailureKind, number>[];
  readonly statusCodes = new Map<number, number>();
  /** Per request: its latency histogram (undefined until its first sample). */
  readonly latency: (Histogram | undefined)[];
  readonly total = newHistogram();
  readonly queueWait = newHistogram();
  readonly connect = newHistogram();
  readonly fromIntended = newHistogram();
  readonly lag = newHistogram();
  /** Per request, per check in its order: passed and failed evaluations. */
  readonly checksPassed: number[][];
  readonly checksFailed: number[][];
  /** Per data file: rows drawn. */
  readonly drawn: number[];
  responses = 0;
  bytes = 0;
  dropped = 0;
  connections = 0;
  /** µs from the start to the moment the load stopped (the L record); undefined without one. */
  loadEndUs: number | undefined;
  /** The per-second series as the results' timeseries counts it: second → its figures (seconds with nothing are absent). */
  readonly seconds = new Map<number, LogSecond>();
  /** The second being counted, and its latencies. */
  private second = 0;
  private readonly secondLatency = newHistogram();

  constructor(checkNames: readonly (readonly string[])[], dataFiles: number) {
    const n = checkNames.length;
    const zeros = () => new Array<number>(n).fill(0);
    this.issued = zeros();
    this.succeeded = zeros();
    this.failed = zeros();
    this.interrupted = zeros();
    this.redirects = zeros();
    this.failures = Array.from({ length: n }, () => new Map());
    this.latency = new Array<Histogram | undefined>(n).fill(undefined);
    this.checksPassed = checkNames.map((c) => new Array<number>(c.length).fill(0));
    this.checksFailed = checkNames.map((c) => new Array<number>(c.length).fill(0));
    this.drawn = new Array<number>(dataFiles).fill(0);
  }

  issue(r: IssuedRecord, open: boolean): void {
    this.issued[r.req]!++;
    if (r.rows !== null) for (let f = 0; f < r.rows.length; f++) this.drawn[f]!++;
    // The open model's scheduling lag: one sample per issued arrival.
    if (open) recordUs(this.lag, r.lag);
  }

  /** `req`: the request of the issue this outcome ends. */
  outcome(r: OutcomeRecord, req: number): void {
    if (r.latency !== null) {
      recordUs((this.latency[req] ??= newHistogram()), r.latency);
      recordUs(this.total, r.latency);
    }
    if (r.queueWait !== null) recordUs(this.queueWait, r.queueWait);
    if (r.fromIntended !== null) recordUs(this.fromIntended, r.fromIntended);
    this.bytes += r.bytes;
    this.redirects[req]! += r.redirects;
    if (r.kind === 'interrupted') {
      this.interrupted[req]!++;
      return;
    }
    const second = this.secondAt(r.t);
    second.requests++;
    if (r.latency !== null) recordUs(this.secondLatency, r.latency);
    const kind = r.status === null ? r.kind! : statusFailureKind(r.status);
    if (r.status !== null) {
      second.responses++;
      this.responses++;
      this.statusCodes.set(r.status, (this.statusCodes.get(r.status) ?? 0) + 1);
    }
    if (kind === undefined) this.succeeded[req]!++;
    else {
      this.fail(req, kind);
      second.failures++;
    }
    r.checks?.forEach((ok, i) => {
      if (ok) {
        this.checksPassed[req]![i]!++;
        second.checksPassed++;
      } else {
        this.checksFailed[req]![i]!++;
        second.checksFailed++;
      }
    });
  }

  private fail(req: number, kind: FailureKind): void {
    this.failed[req]!++;
    const m = this.failures[req]!;
    m.set(kind, (m.get(kind) ?? 0) + 1);
  }

  connected(r: ConnectRecord): void {
    this.connections++;
    recordUs(this.connect, r.us);
  }

  droppedArrival(r: DroppedRecord): void {
    this.dropped++;
    this.secondAt(r.t).dropped++;
  }

  /**
   * The second an outcome or a drop at `us` counts in: its own, or the one being counted when that
   * is later — seconds never reopen, in the Recorder as here (a late-stamped record is logged at
   * the start of the second it was counted in: EventRecorder.countedAt).
   */
  private secondAt(us: number): LogSecond {
    const t = Math.floor(us / 1e6);
    if (t > this.second) {
      this.closeSecond();
      this.second = t;
    }
    let s = this.seconds.get(this.second);
    if (s === undefined) this.seconds.set(this.second, (s = emptySecond()));
    return s;
  }

  /** The second being counted gets its percentiles (in ms, as the results give them); call once more after the last record. */
  closeSecond(): void {
    const s = this.seconds.get(this.second);
    const h = this.secondLatency;
    if (s === undefined || h.totalCount === 0) return;
    s.p50 = h.getValueAtPercentile(50) / 1000;
    s.p95 = h.getValueAtPercentile(95) / 1000;
    s.p99 = h.getValueAtPercentile(99) / 1000;
    h.reset();
  }

  loadEnd(r: LoadEndRecord): void {
    this.loadEndUs ??= r.at;
  }

  /** Failures of request `req` (or of all) by kind, in FAILURE_KINDS order, as the results list them. */
  failuresOf(req?: number): Partial<Record<FailureKind, number>> {
    const out: Partial<Record<FailureKind, number>> = {};
    for (const k of FAILURE_KINDS) {
      let n = 0;
      for (let r = 0; r < this.failures.length; r++) if (req === undefined || r === req) n += this.failures[r]!.get(k) ?? 0;
      if (n > 0) out[k] = n;
    }
    return out;
  }
}

export const sum = (a: readonly number[]): number => a.reduce((x, y) => x + y, 0);
