/**
 * The event log's hook into a run: a Recorder that also logs what it records. The runner uses
 * it instead of the plain Recorder when the run has an event log, so a run without one keeps
 * exactly its code path (no branch, no call more).
 *
 * Everything the log says about a request comes from calls the recorder already receives, in
 * the order they happen: the issue (VU, request, plan index, intended and actual start, data
 * rows), then its queue wait, bytes and redirect hops (kept per VU), then its outcome, followed
 * at once by its checks and, in the open model, its latency from the intended start. Times are
 * integer µs since the run started (the recorder's start).
 */
// The run's clock: a simulated run's records are on its virtual clock, so its log repeats byte for byte.
import { performance } from '../run/clock';
import { Recorder } from '../metrics/recorder';
import { TOOL_VERSION } from '../metrics/build-results';
import type { FailureKind } from '../metrics/results-types';
import type { Scenario } from '../scenario/model';
import type { CheckInfo } from '../session/response-plan';
import { planHash } from '../plan/plan';
import { EVENTS_FORMAT, INTERRUPTED, NONE, kindCode, type EventLogHeader } from './format';
import type { EventLogWriter } from './writer';

/** What the log reads from a VU (engine/run/vu.ts). */
export interface LoggedVu {
  readonly index: number;
  readonly req: number;
  /** performance.now() when it issued the request. */
  readonly startedAt: number;
  /** Open model: the arrival's intended start and number (-1 in the closed model). */
  readonly intendedAt: number;
  readonly arrival: number;
  readonly rows: { readonly iteration: number; readonly rows: Int32Array } | null;
  readonly plan: { readonly thinkMs: number };
  readonly backoffMs: number;
}

/** What the header says about the run, besides what the writer holds (options, results path). */
export interface EventRunInfo {
  scenario: Scenario;
  seed: number;
  model: 'closed' | 'open';
  startedAt: Date;
  checks: readonly CheckInfo[];
  /** The segment this run is (null: the whole run). */
  segment: { index: number; count: number } | null;
}

/** The log's header; made before the run's clock starts (the plan hash takes a few ms for 1,000 VUs). */
export function eventLogHeader(log: EventLogWriter, run: EventRunInfo): EventLogHeader {
  const s = run.scenario;
  const checks: string[][] = s.requests.map(() => []);
  for (const c of run.checks) checks[c.request]!.push(c.name);
  return {
    z6events: EVENTS_FORMAT,
    engine: { name: 'z6', version: TOOL_VERSION },
    scenario: { name: s.metadata.name, file: s.source.file, hash: s.source.hash },
    seed: run.seed,
    planHash: planHash(s, run.seed),
    segment: run.segment,
    startedAt: run.startedAt.toISOString(),
    model: run.model,
    options: log.options,
    ...(log.results !== undefined ? { results: log.results } : {}),
    requests: s.requests.map((r) => r.name),
    checks,
    data: s.data.map((d) => ({ file: d.name, mode: d.mode, rows: d.source?.rowCount ?? 0 })),
    maxBytes: log.maxBytes,
  };
}

/** The Recorder's own arguments, and the VU count. */
export interface EventRecorderArgs {
  requests: number;
  /** VUs (closed) or in-flight slots (open): the highest VU index + 1 (global indices in a segment). */
  peak: number;
  open: boolean;
  checks: number;
  startMs: number;
  activeNow: () => number;
}

export class EventRecorder extends Recorder {
  private readonly log: EventLogWriter;
  /** Per VU: requests issued so far (the next plan index, closed model). */
  private readonly planIndex: Float64Array;
  /** Per VU: when its next request is meant to start, µs (closed model; -1: as soon as it is sent). */
  private readonly readyAt: Float64Array;
  /** Per VU, the request in flight: bytes received, queue wait (µs, -1: none), redirect hops. */
  private readonly bytes: Float64Array;
  private readonly queueUs: Float64Array;
  private readonly hops: Float64Array;
  /** Per VU: the iteration whose data rows were last logged. */
  private readonly rowsIteration: Float64Array;
  private loadEnded = false;

  constructor(log: EventLogWriter, header: EventLogHeader, a: EventRecorderArgs) {
    super(a.requests, a.startMs, a.open, a.activeNow, a.checks);
    this.log = log;
    const n = Math.max(1, a.peak);
    this.planIndex = new Float64Array(n);
    this.readyAt = new Float64Array(n).fill(-1);
    this.bytes = new Float64Array(n);
    this.queueUs = new Float64Array(n).fill(NONE);
    this.hops = new Float64Array(n);
    this.rowsIteration = new Float64Array(n).fill(-1);
    log.start(header);
  }

  private us(ms: number): number {
    // Down, not to the nearest: a time just before a second's end stays in that second when a
    // report replays the log (the recorder's seconds end on whole ms from the start).
    return Math.floor((ms - this.startMs) * 1000);
  }

  /**
   * When an outcome or a dropped arrival is logged: its time, but always in the second the
   * recorder counted it in (Recorder.currentSecond). A sweep stamps its expiries with the time it
   * began, and an outcome recorded during the sweep may already have closed that second: logged as
   * stamped, a report from the log would put it back in a second the run had closed.
   */
  private countedAt(nowMs: number): number {
    // And never after its end: the second's bound and the log's µs are sums of the start rounded
    // apart, so a time within a hair of the bound could land on the other side in the log.
    const start = this.currentSecond * 1_000_000;
    return Math.min(Math.max(this.us(nowMs), start), start + 999_999);
  }

  // ---- VUs (the runner calls these when the schedule starts or stops one) ----------------

  vuStarted(vu: number): void {
    // A VU (re)started by the schedule sends at once: its first request is not late.
    this.readyAt[vu] = -1;
    this.log.vu(true, this.us(performance.now()), vu);
  }

  vuStopped(vu: number): void {
    this.log.vu(false, this.us(performance.now()), vu);
  }

  // ---- requests -------------------------------------------------------------------------

  override recordIssued(req: number, vu: LoggedVu): void {
    super.recordIssued(req);
    const i = vu.index;
    const t = this.us(vu.startedAt);
    let k: number;
    let lag: number;
    if (vu.arrival >= 0) {
      k = vu.arrival;
      // As the recorder's scheduling lag: the same number, rounded the same way.
      lag = Math.round((vu.startedAt - vu.intendedAt) * 1000);
    } else {
      k = this.planIndex[i]!++;
      const ready = this.readyAt[i]!;
      lag = ready >= 0 ? t - ready : 0;
      this.readyAt[i] = -1;
    }
    let rows: Int32Array | null = null;
    const r = vu.rows;
    if (r !== null && r.iteration !== this.rowsIteration[i]) {
      rows = r.rows;
      this.rowsIteration[i] = r.iteration;
    }
    this.bytes[i] = 0;
    this.queueUs[i] = NONE;
    this.hops[i] = 0;
    this.log.issued(t, i, req, k, lag, rows);
  }

  override recordQueueWait(us: number, vu: LoggedVu): void {
    super.recordQueueWait(us);
    this.queueUs[vu.index] = Math.round(us);
  }

  override recordBytes(n: number, vu: LoggedVu): void {
    super.recordBytes(n);
    this.bytes[vu.index]! += n;
  }

  override recordRedirect(req: number, vu: LoggedVu): void {
    super.recordRedirect(req);
    this.hops[vu.index]!++;
  }

  override recordResponse(req: number, status: number, latencyUs: number, nowMs: number, vu: LoggedVu): void {
    super.recordResponse(req, status, latencyUs, nowMs);
    this.outcome(vu, status, latencyUs, nowMs, false);
  }

  override recordFailure(req: number, kind: FailureKind, latencyUs: number, message: string, nowMs: number, vu: LoggedVu): void {
    super.recordFailure(req, kind, latencyUs, message, nowMs);
    this.outcome(vu, kindCode(kind), latencyUs, nowMs, true);
  }

  override recordInterrupted(req: number, vu: LoggedVu): void {
    super.recordInterrupted(req);
    this.outcome(vu, INTERRUPTED, NONE, performance.now(), false);
  }

  /** failed: the runner then waits at least a timer turn and the VU's back-off (Run.afterRequest). */
  private outcome(vu: LoggedVu, code: number, latencyUs: number, nowMs: number, failed: boolean): void {
    const i = vu.index;
    // An interrupt is counted in no second (the recorder does not roll for it): its own time.
    const t = code === INTERRUPTED ? this.us(nowMs) : this.countedAt(nowMs);
    // The latency exactly as recordUs rounds it (before its clamp to [1 µs, 1 h], which replay applies too).
    this.log.outcome(t, i, code, latencyUs < 0 ? NONE : Math.round(latencyUs), this.queueUs[i]!, this.bytes[i]!, this.hops[i]!);
    if (vu.arrival < 0 && code !== INTERRUPTED) {
      // When the VU's next request is meant to start, as Run.afterRequest schedules it.
      const think = vu.plan.thinkMs;
      const pause = think > 0 || failed ? Math.max(think, vu.backoffMs) : 0;
      this.readyAt[i] = t + pause * 1000;
    }
  }

  override recordCheck(id: number, passed: boolean, nowMs: number): void {
    super.recordCheck(id, passed, nowMs);
    this.log.check(passed);
  }

  override recordIntended(us: number): void {
    super.recordIntended(us);
    this.log.fromIntended(Math.round(us));
  }

  override recordDropped(nowMs: number): void {
    super.recordDropped(nowMs);
    this.log.dropped(this.countedAt(nowMs));
  }

  override recordConnect(us: number): void {
    super.recordConnect(us);
    this.log.connect(this.us(performance.now()), Math.round(us));
  }

  override endLoad(nowMs: number): void {
    super.endLoad(nowMs);
    if (this.loadEnded) return;
    this.loadEnded = true;
    this.log.loadEnd(this.us(performance.now()), this.us(nowMs));
  }
}
