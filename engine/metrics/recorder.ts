/**
 * Collects everything a run measures. The runner calls the record* methods on the hot path:
 * they only bump numbers in preallocated typed arrays and record into two histograms (the
 * request's own and the current second's). Whole-run latency is the sum of the per-second
 * histograms, added once per second, so no third record per request is needed.
 *
 * A request's histogram is created when its first sample arrives (once per request kind, not
 * per request): a scenario of 1,000 requests of which a run sends 50 holds 50 histograms.
 *
 * The per-request methods also take the VU the request belongs to (`vu`). This class ignores it;
 * the event log's recorder (engine/events/recorder.ts), a subclass, reads it. A run without an
 * event log has only this class, so its call sites stay monomorphic and cost what they did.
 */
import { FAILURE_KINDS, type FailureKind, type SecondSample } from './results-types';
import { encode, newHistogram, recordUs, type Histogram } from './histogram';

export const KIND_INDEX: Readonly<Record<FailureKind, number>> = Object.fromEntries(FAILURE_KINDS.map((k, i) => [k, i])) as Record<FailureKind, number>;
const KINDS = FAILURE_KINDS.length;
const SAMPLES_PER_KIND = 3;

/** n per second over `seconds`, to one decimal; 0 over an empty window. */
export function perSecond(n: number, seconds: number): number {
  return seconds > 0 ? Math.round((n / seconds) * 10) / 10 : 0;
}

export class Recorder {
  readonly requestCount: number;
  readonly issued: Float64Array;
  readonly succeeded: Float64Array;
  readonly failed: Float64Array;
  readonly interrupted: Float64Array;
  readonly redirects: Float64Array;
  /** HTTP responses (any status) per request. */
  readonly responded: Float64Array;
  /** failures[req * KINDS + kind] */
  readonly failures: Float64Array;
  /** Latency per request, created at its first sample (undefined until then). */
  private readonly perRequest: (Histogram | undefined)[];
  /** Whole-run latency: the per-second histograms added up at each second boundary. */
  readonly total: Histogram;
  readonly connect: Histogram;
  /** Open model only. */
  readonly fromIntended: Histogram | undefined;
  readonly lag: Histogram | undefined;
  /** Shared connections only: how long requests waited for a free connection (0 for those that did not). */
  queueWait: Histogram | undefined = undefined;
  /** statusCodes[code] for 0..599; anything else lands in `otherStatus`. */
  readonly statusCodes = new Float64Array(600);
  readonly otherStatus = new Map<number, number>();
  readonly failureSamples = new Map<FailureKind, string[]>();
  bytesReceived = 0;
  connectionsOpened = 0;
  dropped = 0;
  /** HTTP responses of any status: what rps counts. */
  responses = 0;
  /** Per check (response-plan.ts ids): evaluations that passed and failed. */
  readonly checkPassed: Float64Array;
  readonly checkFailed: Float64Array;
  /** performance.now() when the load stopped (Infinity while it runs): the end of the load window. */
  loadEndMs = Infinity;

  // The current second.
  private second: Histogram;
  private secondIndex = 0;
  private secondEndMs: number;
  private secRequests = 0;
  private secResponses = 0;
  private secFailures = 0;
  private secDropped = 0;
  private secChecksPassed = 0;
  private secChecksFailed = 0;
  readonly timeseries: SecondSample[] = [];
  /**
   * A segment's run keeps each second's latency histogram (encoded; '' for a second without
   * samples), so z6 merge can give the merged per-second percentiles exactly.
   */
  secondHistograms: string[] | undefined = undefined;
  /** Reads the active VUs (closed) or in-flight requests (open) when a second closes. */
  private readonly activeNow: () => number;
  /** Called with every closed second (progress lines, IPC). */
  onSecond: ((s: SecondSample) => void) | undefined;
  readonly startMs: number;

  constructor(requestCount: number, startMs: number, open: boolean, activeNow: () => number, checkCount = 0) {
    this.requestCount = requestCount;
    this.checkPassed = new Float64Array(checkCount);
    this.checkFailed = new Float64Array(checkCount);
    this.issued = new Float64Array(requestCount);
    this.succeeded = new Float64Array(requestCount);
    this.failed = new Float64Array(requestCount);
    this.interrupted = new Float64Array(requestCount);
    this.redirects = new Float64Array(requestCount);
    this.responded = new Float64Array(requestCount);
    this.failures = new Float64Array(requestCount * KINDS);
    this.perRequest = new Array<Histogram | undefined>(requestCount).fill(undefined);
    this.total = newHistogram();
    this.connect = newHistogram();
    this.fromIntended = open ? newHistogram() : undefined;
    this.lag = open ? newHistogram() : undefined;
    this.second = newHistogram();
    this.startMs = startMs;
    this.secondEndMs = startMs + 1000;
    this.activeNow = activeNow;
  }

  // ---- hot path -------------------------------------------------------------------------

  recordIssued(req: number, _vu?: unknown): void {
    this.issued[req]!++;
  }

  /** A response that arrived in time: success when status is 100–399, else an http_4xx/5xx (or protocol) failure. */
  recordResponse(req: number, status: number, latencyUs: number, nowMs: number, _vu?: unknown): void {
    if (nowMs >= this.secondEndMs) this.roll(nowMs);
    if (status >= 0 && status < 600) this.statusCodes[status]!++;
    else this.otherStatus.set(status, (this.otherStatus.get(status) ?? 0) + 1);
    recordUs(this.perRequest[req] ?? this.firstSample(req), latencyUs);
    recordUs(this.second, latencyUs);
    this.secRequests++;
    this.responses++;
    this.responded[req]!++;
    this.secResponses++;
    if (status < 400 && status >= 100) this.succeeded[req]!++;
    else {
      this.failed[req]!++;
      this.secFailures++;
      if (status < 600 && status >= 100) {
        this.failures[req * KINDS + (status < 500 ? 0 : 1)]!++;
        this.sample(status < 500 ? 'http_4xx' : 'http_5xx', `HTTP ${status}`);
      } else {
        // RFC 9110 §15 defines 100–599 only: anything else is a malformed response.
        this.failures[req * KINDS + KIND_INDEX.protocol]!++;
        this.sample('protocol', `HTTP status ${status} is outside 100-599`);
      }
    }
  }

  /**
   * A request that ended without a usable response. latencyUs < 0 when it was never sent
   * (e.g. the connection was refused): it then stays out of the latency histograms.
   */
  recordFailure(req: number, kind: FailureKind, latencyUs: number, message: string, nowMs: number, _vu?: unknown): void {
    if (nowMs >= this.secondEndMs) this.roll(nowMs);
    if (latencyUs >= 0) {
      recordUs(this.perRequest[req] ?? this.firstSample(req), latencyUs);
      recordUs(this.second, latencyUs);
    }
    this.secRequests++;
    this.secFailures++;
    this.failed[req]!++;
    this.failures[req * KINDS + KIND_INDEX[kind]]!++;
    this.sample(kind, message);
  }

  private firstSample(req: number): Histogram {
    return (this.perRequest[req] = newHistogram());
  }

  /** Keeps the first few distinct messages of each failure kind. */
  private sample(kind: FailureKind, message: string): void {
    let samples = this.failureSamples.get(kind);
    if (samples === undefined) this.failureSamples.set(kind, (samples = []));
    if (samples.length < SAMPLES_PER_KIND && !samples.includes(message)) samples.push(message);
  }

  /** One evaluation of check `id` on a response. */
  recordCheck(id: number, passed: boolean, nowMs: number): void {
    if (nowMs >= this.secondEndMs) this.roll(nowMs);
    if (passed) {
      this.checkPassed[id]!++;
      this.secChecksPassed++;
    } else {
      this.checkFailed[id]!++;
      this.secChecksFailed++;
    }
  }

  recordRedirect(req: number, _vu?: unknown): void {
    this.redirects[req]!++;
  }

  /** Bytes of a response body (every hop's) as they arrive. */
  recordBytes(n: number, _vu?: unknown): void {
    this.bytesReceived += n;
  }

  recordInterrupted(req: number, _vu?: unknown): void {
    this.interrupted[req]!++;
  }

  recordIntended(us: number): void {
    recordUs(this.fromIntended!, us);
  }

  recordLag(us: number): void {
    recordUs(this.lag!, us);
  }

  recordDropped(nowMs: number): void {
    if (nowMs >= this.secondEndMs) this.roll(nowMs);
    this.dropped++;
    this.secDropped++;
  }

  recordQueueWait(us: number, _vu?: unknown): void {
    recordUs(this.queueWait!, us);
  }

  recordConnect(us: number): void {
    this.connectionsOpened++;
    recordUs(this.connect, us);
  }

  /** The load stopped at nowMs (end of the duration, last iteration, cancel); later calls change nothing. */
  endLoad(nowMs: number): void {
    if (this.loadEndMs === Infinity) this.loadEndMs = nowMs;
  }

  /** Seconds of load up to nowMs: the drain after the load stopped does not count. */
  loadSeconds(nowMs: number): number {
    return Math.max(0, (Math.min(nowMs, this.loadEndMs) - this.startMs) / 1000);
  }

  /** rps as results and progress report it: responses received / seconds of load. */
  responseRate(nowMs: number): number {
    return perSecond(this.responses, this.loadSeconds(nowMs));
  }

  // ---- once per second ------------------------------------------------------------------

  /**
   * The second (from 0) outcomes are counted in now. An outcome stamped earlier than its start
   * (a deadline sweep's time, after another outcome or the tick closed that second) still counts
   * here: seconds never reopen.
   */
  get currentSecond(): number {
    return this.secondIndex;
  }

  /** Closes every second that ended before nowMs (called by the hot path and by the runner's tick). */
  roll(nowMs: number): void {
    while (nowMs >= this.secondEndMs) this.closeSecond(1);
  }

  /**
   * Closes the current, partial second at the end of the run, when anything happened in it or
   * it lasted long enough to be worth a point (its rate stays null either way: never extrapolated).
   */
  finish(nowMs: number): void {
    this.roll(nowMs);
    const covered = (nowMs - (this.secondEndMs - 1000)) / 1000;
    if (covered > 0.05 || this.secRequests > 0 || this.secDropped > 0) this.closeSecond(Math.max(0, covered));
  }

  /** covered: how much of the second the sample spans (1 but for the run's last second). */
  private closeSecond(covered: number): void {
    const h = this.second;
    const has = h.totalCount > 0;
    const whole = covered >= 1;
    const sample: SecondSample = {
      t: this.secondIndex,
      requests: this.secRequests,
      responses: this.secResponses,
      rps: whole ? this.secResponses : null,
      failures: this.secFailures,
      p50: has ? h.getValueAtPercentile(50) / 1000 : null,
      p95: has ? h.getValueAtPercentile(95) / 1000 : null,
      p99: has ? h.getValueAtPercentile(99) / 1000 : null,
      activeVus: this.activeNow(),
    };
    if (!whole) sample.seconds = Math.round(covered * 1000) / 1000;
    // 1 ms of slack: the second's start and the load's end are sums of the same start time.
    if (this.secondEndMs - 1000 >= this.loadEndMs - 1) sample.afterLoad = true;
    if (this.fromIntended) sample.dropped = this.secDropped;
    if (this.checkPassed.length > 0) {
      sample.checksPassed = this.secChecksPassed;
      sample.checksFailed = this.secChecksFailed;
    }
    this.timeseries.push(sample);
    this.secondHistograms?.push(has ? encode(h) : '');
    if (has) this.total.add(h);
    h.reset();
    this.secRequests = this.secResponses = this.secFailures = this.secDropped = this.secChecksPassed = this.secChecksFailed = 0;
    this.secondIndex++;
    this.secondEndMs += 1000;
    this.onSecond?.(sample);
  }

  // ---- totals ---------------------------------------------------------------------------

  sum(a: Float64Array): number {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]!;
    return s;
  }

  /** Whole-run latency including the current, still open second (for progress). */
  totalSoFar(): Histogram {
    if (this.second.totalCount === 0) return this.total;
    const h = newHistogram();
    h.add(this.total);
    h.add(this.second);
    return h;
  }

  /** Request req's latency histogram; undefined when it never got a sample. */
  histogramOf(req: number): Histogram | undefined {
    return this.perRequest[req];
  }

  failuresOf(req: number): Partial<Record<FailureKind, number>> {
    const out: Partial<Record<FailureKind, number>> = {};
    for (let k = 0; k < KINDS; k++) {
      const n = this.failures[req * KINDS + k]!;
      if (n > 0) out[FAILURE_KINDS[k]!] = n;
    }
    return out;
  }

  failuresAll(): Partial<Record<FailureKind, number>> {
    const out: Partial<Record<FailureKind, number>> = {};
    for (let r = 0; r < this.requestCount; r++) {
      for (let k = 0; k < KINDS; k++) {
        const n = this.failures[r * KINDS + k]!;
        if (n > 0) out[FAILURE_KINDS[k]!] = (out[FAILURE_KINDS[k]!] ?? 0) + n;
      }
    }
    return out;
  }

  statusCodeCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let c = 0; c < 600; c++) if (this.statusCodes[c]! > 0) out[String(c)] = this.statusCodes[c]!;
    for (const [c, n] of this.otherStatus) out[String(c)] = n;
    return out;
  }
}
