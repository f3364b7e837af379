/**
 * Runs a scenario: starts and stops VUs as the schedule says (closed model) or starts arrivals
 * at the scheduled rate (open model), records every outcome, and always resolves with Results
 * — also when the target is down (a run full of classified failures) or the run is cancelled
 * (partial results, status 'cancelled').
 *
 * Timing: one scheduler tick (10–100 ms, see sweepPeriodMs) adjusts the active VUs, closes
 * per-second samples and enforces whole-request deadlines; think time uses a timer per pause; open-model arrivals use
 * one timer that wakes at the next intended start and issues every arrival that is due.
 */
// The run's clock (clock.ts): real time, or a simulated run's virtual time.
import { clockDate, clearInterval, clearTimeout, performance, setInterval, setTimeout } from './clock';
import type { Dispatcher } from 'undici';
import type { Scenario } from '../scenario/model';
import type { Results, SecondSample } from '../metrics/results-types';
import type { ProgressTotals } from './protocol';
import { PlanTables, VuPlan } from '../plan/choice';
import { randomSeed } from '../plan/prng';
import { ArrivalCurve, modelOf, peakOf, targetVus, type Model } from '../plan/schedule';
import { Recorder } from '../metrics/recorder';
import { assertionsSoFar, buildResults } from '../metrics/build-results';
import { newHistogram } from '../metrics/histogram';
import { Connections, type Connection } from './connections';
import { makeConnectionFactory } from './transport';
import { compileRequest, scopeOf, type RequestRenderer } from '../templates/request';
import { TemplateState } from '../templates/state';
import { compileResponsePlans, type CheckInfo, type ResponsePlan } from '../session/response-plan';
import { VuSession } from '../session/vu-session';
import { runPhase, type PhaseOutcome } from '../setup/phase';
import type { Var } from '../templates/scope';
import { UnreachableWatch } from './unreachable';
import { DataRun, type VuRows } from '../data/draw';
import { Vu, type VuHost } from './vu';
import { globalIndex, isWhole, ownedCount, shareOf, WHOLE, type Segment } from '../segments/segment';
import { SegmentArrivals } from '../segments/arrivals';
import { EventRecorder, eventLogHeader } from '../events/recorder';
import type { EventLogWriter } from '../events/writer';

export interface RunStartInfo {
  seed: number;
  plannedDurationSeconds: number | null;
  requests: string[];
  model: Model;
  /** The schedule's type and peak VUs (in-flight requests in the open model), as the results say them. */
  scheduleType: string;
  peak: number;
}

export interface RunOptions {
  /** Overrides runtime.prng_seed; without either a random seed is drawn (and stored in the results). */
  seed?: number;
  /** Abort to cancel: in-flight requests are interrupted and partial results returned. */
  signal?: AbortSignal;
  onStart?: (info: RunStartInfo) => void;
  /** Called when the user should know something now (nothing answers at the target). */
  onNotice?: (notice: { kind: 'unreachable'; message: string }) => void;
  /**
   * Called once per second of the run with the closed second and running totals; in a segment,
   * also that second's latency histogram (encoded, '' when it had no sample), so a parent running
   * segments in workers can show the whole run's percentiles live.
   */
  onProgress?: (sample: SecondSample, totals: ProgressTotals, secondHistogram?: string) => void;
  /**
   * How long in-flight requests may still finish after the run's duration before they are
   * interrupted. Default: the longest request timeout, at most 30 s.
   */
  gracefulStopMs?: number;
  /** Scheduler tick, ms (default: the deadline sweep's period, see sweepPeriodMs). */
  tickMs?: number;
  /**
   * The environment for templates' env.NAME (the CLI passes it; the engine never reads
   * process.env). A name missing here fails each request that uses it, as kind 'template'.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** What [[setup]] extracted: constants for every VU (set by runScenario, not by callers). */
  setupVars?: ReadonlyMap<string, Var>;
  /** Run only this segment of the plan (engine/segments/): its VUs or arrivals, with their global indices. */
  segment?: Segment;
  /**
   * Called once [[setup]] is done (failed or not), before the load: a distributed run's segment 0
   * shares what setup extracted and waits at the start barrier here.
   */
  afterSetup?: (outcome: PhaseOutcome) => Promise<void>;
  /**
   * What another process's [[setup]] gave (a distributed run's segments after the first): this run
   * sends no setup or teardown requests, takes these values, and ends with an error if it failed.
   */
  sharedSetup?: { vars: ReadonlyMap<string, Var>; failure?: string };
  /**
   * Log every VU start and stop, request and outcome to this writer (engine/events/). The run
   * ends its log (footer, file closed) before it resolves; a log that fails or reaches its size
   * limit never stops the run.
   */
  events?: EventLogWriter;
}

/**
 * The tick also enforces request deadlines, so a timeout fires at most one period late (and
 * never early): a twentieth of the shortest timeout, between 10 and 100 ms.
 */
export function sweepPeriodMs(timeoutsMs: readonly number[]): number {
  return Math.min(100, Math.max(10, Math.min(...timeoutsMs) / 20));
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<Results> {
  // Without phases the run starts here, so a scenario that cannot run (a data file that cannot
  // be indexed, a clashing name) throws at once, as callers expect, rather than rejecting later.
  if (!options.sharedSetup && scenario.setup.length === 0 && scenario.teardown.length === 0) return runLoad(scenario, options);
  return withPhases(scenario, options, runLoad);
}

/** The load alone, in this process: no [[setup]] or [[teardown]] (a worker's part, given setupVars). */
export function runLoad(scenario: Scenario, options: RunOptions): Promise<Results> {
  return new Run(scenario, options).start();
}

/** What runs the load between setup and teardown: this process (runScenario), or workers (engine/workers/). */
export type LoadRunner = (scenario: Scenario, options: RunOptions) => Promise<Results>;

/**
 * [[setup]] first (a failure ends the run before any load: status error, exit 3), then the load
 * with what setup extracted as constants, then [[teardown]] — also after a cancel or an abort,
 * so the fixture a setup created is cleaned up. Both phases run once, here, however the load runs.
 */
export async function withPhases(scenario: Scenario, options: RunOptions, load: LoadRunner): Promise<Results> {
  const shared = options.sharedSetup;
  if (shared) {
    const loadOptions = { ...options, setupVars: shared.vars };
    return shared.failure === undefined ? load(scenario, loadOptions) : new Run(scenario, loadOptions).failBeforeLoad(`setup failed in segment 0: ${shared.failure}`);
  }
  if (scenario.setup.length === 0 && scenario.teardown.length === 0) return load(scenario, options);
  // One seed for all three, so setup's random built-ins are reproducible like the rest.
  const seed = options.seed ?? scenario.runtime.seed ?? randomSeed();
  const base = scopeOf(scenario, options.env);
  const setup = await runPhase('setup', scenario.setup, scenario, base, seed, options.signal);
  await options.afterSetup?.(setup);
  const loadOptions = { ...options, seed, setupVars: setup.vars };
  const results = setup.failure !== undefined ? await new Run(scenario, loadOptions).failBeforeLoad(setup.failure) : await load(scenario, loadOptions);
  if (scenario.setup.length) results.setup = setup.results;
  if (setup.failure === undefined && scenario.teardown.length) {
    results.teardown = (await runPhase('teardown', scenario.teardown, scenario, { ...base, vars: setup.vars }, seed)).results;
  }
  return results;
}

class Run implements VuHost {
  readonly recorder: Recorder;
  readonly dispatchOpts: Dispatcher.DispatchOptions[];
  /** Per request: its renderer when it has templates to render per send, else undefined. */
  readonly renderers: (RequestRenderer | undefined)[];
  readonly timeouts: Float64Array;
  readonly connections: Connections;
  readonly maxRedirects: number;
  readonly origin: string;
  /** Per request: its extractions and checks, or undefined when it has neither. */
  readonly responsePlans: (ResponsePlan | undefined)[];
  /** [sequence] reset_state: each pass starts without the last pass's extracted values and cookies. */
  readonly resetState: boolean;
  stopping = false;
  inFlight = 0;
  issued = 0;

  private readonly scenario: Scenario;
  private readonly options: RunOptions;
  /** Some request renders templates per send, or some name is extracted: VUs get a TemplateState. */
  private readonly templated: boolean;
  private readonly dynamicCount: number;
  /** VUs get a VuSession: a cookie jar, or a request with extractions or checks. */
  private readonly sessions: boolean;
  private readonly extractSlots: number[];
  readonly checks: CheckInfo[];
  /** The run's data files, or null without [[data]]. */
  private readonly data: DataRun | null;
  /** Why the run ended before its duration, when a data file ended it (results endReason). */
  private endReason: string | undefined;
  private readonly seed: number;
  private readonly model: Model;
  private readonly segment: Segment;
  /** This segment's VUs at the schedule's peak (closed), or its share of max_in_flight (open). */
  private readonly peak: number;
  private readonly tables: PlanTables;
  private readonly vus: Vu[] = [];
  private readonly startMs: number;
  private readonly startedAt = clockDate();
  /** performance.now() at which the load stops (Infinity: ends by iterations). */
  private readonly endMs: number;
  private readonly iterations: number | undefined;
  private readonly cpuStart = process.cpuUsage();
  private readonly eluStart = performance.eventLoopUtilization();

  // closed model
  private level = 0;
  private activeCount = 0;
  private doneCount = 0;
  // open model
  /** This segment's arrivals (all of them in a whole run), positioned at the next one to issue. */
  private arrivals: SegmentArrivals | undefined;
  private readonly free: Vu[] = [];
  private pumpTimer: NodeJS.Timeout | undefined;

  private tick: NodeJS.Timeout | undefined;
  /** abort_on_fail: the seconds of load after which a closed second is still to be judged. */
  private abortDue: number | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private status: Results['status'] = 'completed';
  private error: string | undefined;
  private abortReason: string | undefined;
  private readonly unreachable: UnreachableWatch;
  /** The recorder when it also writes the event log; null without one. */
  private readonly events: EventRecorder | null;
  private finished = false;
  private resolve!: (r: Results) => void;
  private readonly onAbort = () => this.stop('cancelled', 0);

  constructor(scenario: Scenario, options: RunOptions) {
    this.scenario = scenario;
    this.options = options;
    this.seed = options.seed ?? scenario.runtime.seed ?? randomSeed();
    this.model = modelOf(scenario.schedule);
    this.segment = options.segment ?? WHOLE;
    this.peak = this.model === 'open' ? shareOf(this.segment, peakOf(scenario.schedule)) : ownedCount(this.segment, peakOf(scenario.schedule));
    this.tables = new PlanTables(scenario);
    const scope = scopeOf(scenario, options.env, options.setupVars);
    const compiled = scenario.requests.map((r) => compileRequest(r, scenario.target.basePath, scope, { mask: false }, scenario.target.origin));
    this.dispatchOpts = compiled.map((c) => c.opts);
    this.renderers = compiled.map((c) => c.render);
    const dynamic = scope.dynamic ?? new Map();
    this.dynamicCount = dynamic.size;
    this.templated = this.renderers.some((r) => r !== undefined) || this.dynamicCount > 0;
    const { plans, checks } = compileResponsePlans(scenario, dynamic);
    this.responsePlans = plans;
    this.checks = checks;
    this.sessions = scenario.target.cookies || plans.some((p) => p !== undefined);
    this.extractSlots = [...dynamic.values()].filter((d) => d.source === 'extract').map((d) => d.slot);
    // Without a sequence every request is an iteration: resetting then would make extraction useless.
    this.resetState = scenario.resetState && scenario.sequence !== undefined;
    this.data = scenario.data.length > 0 ? new DataRun(scenario.data, dynamic, this.seed, this.segment) : null;
    this.maxRedirects = scenario.target.maxRedirects;
    this.origin = new URL(scenario.target.origin).origin;
    this.timeouts = Float64Array.from(scenario.requests.map((r) => r.timeoutMs));
    this.iterations = this.model === 'closed' ? scenario.runtime.iterations : undefined;
    // The event log's header (its plan hash takes milliseconds for many VUs) is made before the clock starts.
    const segment = isWhole(this.segment) ? null : { index: this.segment.index, count: this.segment.count };
    const header = options.events ? eventLogHeader(options.events, { scenario, seed: this.seed, model: this.model, startedAt: this.startedAt, checks, segment }) : undefined;
    this.startMs = performance.now();
    const d = scenario.runtime.durationSeconds;
    this.endMs = d === undefined ? Infinity : this.startMs + d * 1000;
    // After the end (graceful stop) only the VUs still finishing a request are active.
    const activeNow = () => (this.model === 'open' || this.stopping ? this.inFlight : this.activeCount);
    this.events = options.events ? new EventRecorder(options.events, header!, { requests: scenario.requests.length,
      // A segment's VUs keep their global indices (their streams): the log's per-VU arrays cover them.
      peak: this.peak === 0 ? 0 : globalIndex(this.segment, this.peak - 1) + 1, open: this.model === 'open', checks: checks.length, startMs: this.startMs, activeNow }) : null;
    this.recorder = this.events ?? new Recorder(scenario.requests.length, this.startMs, this.model === 'open', activeNow, checks.length);
    // One slot per VU (or in-flight request) unless max_connections asks for fewer: HTTP/1.1 VUs
    // then queue for a free one, HTTP/2 VUs multiplex on them (connections.ts).
    const cap = scenario.target.maxConnections;
    const slots = Math.max(1, Math.min(cap === undefined ? this.peak : shareOf(this.segment, cap), this.peak));
    const queued = scenario.target.httpVersion === 'http1.1' && slots < this.peak;
    const make = makeConnectionFactory(scenario, { onConnect: (us) => this.recorder.recordConnect(us) });
    this.connections = new Connections(slots, queued, make);
    if (queued) this.recorder.queueWait = newHistogram();
    if (!isWhole(this.segment)) this.recorder.secondHistograms = [];
    const u = new URL(scenario.target.origin);
    this.unreachable = new UnreachableWatch(this.recorder, `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`,
      scenario.target.unreachableStopSeconds * 1000, Math.min(3, this.peak));
  }

  /** Setup failed: results with no load, status error and the reason (exit 3). */
  failBeforeLoad(message: string): Promise<Results> {
    const done = new Promise<Results>((r) => (this.resolve = r));
    this.error = message;
    this.status = 'error';
    this.stopping = true;
    this.recorder.endLoad(performance.now());
    this.finish();
    return done;
  }

  start(): Promise<Results> {
    const done = new Promise<Results>((r) => (this.resolve = r));
    const s = this.scenario;
    this.options.onStart?.({
      seed: this.seed,
      plannedDurationSeconds: s.runtime.durationSeconds ?? null,
      requests: s.requests.map((r) => r.name),
      model: this.model,
      scheduleType: s.schedule.type,
      peak: this.peak,
    });
    // Runs inside undici's callbacks: a throwing listener must not break the accounting.
    this.recorder.onSecond = (sample) => {
      try {
        this.options.onProgress?.(sample, this.totals(), this.recorder.secondHistograms?.at(-1));
      } catch {
        /* the listener's problem; the run goes on */
      }
      // Judged once the record that closed the second is counted (checkAbort): a stop from inside
      // that record could end the run before its outcome is.
      if (s.abort.onFail && !this.stopping) this.abortDue = sample.t + 1;
    };
    const signal = this.options.signal;
    if (signal?.aborted) {
      this.stop('cancelled', 0);
      return done;
    }
    // A segment beyond the schedule's VUs (more segments than VUs) has nothing to run.
    if (this.model === 'closed' && this.peak === 0) {
      this.stop('completed', 0);
      return done;
    }
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.tick = setInterval(() => this.guard(() => this.onTick()), this.options.tickMs ?? sweepPeriodMs(s.requests.map((r) => r.timeoutMs)));
    this.guard(() => {
      if (this.model === 'open') {
        this.arrivals = new SegmentArrivals(new ArrivalCurve(s.schedule), new VuPlan(this.tables, this.seed, 0), this.segment);
        this.pump();
      } else {
        this.adjust(0);
      }
    });
    return done;
  }

  /**
   * Runs scheduler work; an unexpected exception ends the run with status 'error' and the
   * results so far, instead of crashing the process or leaving the promise pending.
   */
  private guard(work: () => void): void {
    try {
      work();
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    this.error = `internal error: ${e instanceof Error ? e.message : String(e)}`;
    this.status = 'error';
    this.stop('error', 0);
  }

  // ---- closed model -----------------------------------------------------------------------

  /** The segment's i-th VU (the whole plan's VU of the same global index). */
  private vu(i: number): Vu {
    const g = globalIndex(this.segment, i);
    return (this.vus[i] ??= new Vu(g, new VuPlan(this.tables, this.seed, g), this, i));
  }

  /** Brings the number of running VUs to the schedule's target at t seconds. */
  private adjust(t: number): void {
    const target = ownedCount(this.segment, targetVus(this.scenario.schedule, t));
    for (let i = this.level; i < target; i++) {
      const vu = this.vu(i);
      if (vu.done || vu.active) continue;
      vu.active = true;
      this.activeCount++;
      this.events?.vuStarted(vu.index);
      // A VU stopped while its request was still in flight simply carries on.
      if (!vu.inFlight && vu.timer === undefined) this.next(vu);
      if (this.stopping) return;
    }
    for (let i = target; i < this.level; i++) {
      const vu = this.vus[i]!;
      if (!vu.active) continue;
      vu.active = false;
      if (!vu.done) {
        this.activeCount--;
        // A VU that finished was logged as stopped then.
        this.events?.vuStopped(vu.index);
      }
      if (vu.timer !== undefined) {
        clearTimeout(vu.timer);
        vu.timer = undefined;
      }
      // In flight: it finishes its request, then stays idle (afterRequest sees !active).
    }
    this.level = target;
  }

  /** The VU's next request, unless it has done its iterations. */
  private next(vu: Vu): void {
    if (this.iterations !== undefined && vu.plan.iterations >= this.iterations) {
      this.retire(vu);
      return;
    }
    vu.send(vu.plan.next(), performance.now());
  }

  /** The VU never sends again (iterations done, or out of data rows); the run ends when every VU has. */
  private retire(vu: Vu): void {
    vu.done = true;
    this.events?.vuStopped(vu.index);
    if (vu.active) this.activeCount--;
    this.doneCount++;
    if (this.doneCount >= this.peak) this.stop('completed', this.graceMs());
  }

  dataRows(index: number): VuRows | null {
    return this.data === null ? null : this.data.forVu(index, this.model === 'open');
  }

  /**
   * A unique data file had no row left for this VU's iteration (on_exhausted): stop_vu retires
   * the VU; stop_run (and stop_vu in the open model, where there is no VU to stop) ends the run
   * as its duration would.
   */
  outOfRows(vu: Vu): void {
    const f = vu.rows!.exhausted!.spec;
    const what = `data file ${f.name}: all ${f.source!.rowCount} rows used (mode = "unique", on_exhausted = "${f.onExhausted}")`;
    if (f.onExhausted === 'stop_vu' && this.model === 'closed') {
      // The last VU to stop ends the run (retire may finish it at once: the reason comes first).
      if (this.doneCount + 1 >= this.peak) this.endReason ??= `${what}: every VU has stopped`;
      this.retire(vu);
      return;
    }
    this.endReason ??= `${what}: the run stopped`;
    this.stop('completed', this.graceMs());
  }

  afterRequest(vu: Vu, failed: boolean): void {
    // The open model's latency from the intended start belongs to this outcome (the event log
    // writes it into the outcome's record), so it is recorded before anything else can end.
    if (this.model === 'open' && !vu.interrupted) this.recorder.recordIntended((performance.now() - vu.intendedAt) * 1000);
    // The connection goes to the next queued VU now that this request's outcome is recorded.
    vu.handOff();
    this.checkAbort();
    if (this.model === 'open') {
      this.free.push(vu);
    } else if (!this.stopping && vu.active) {
      const think = vu.plan.thinkMs;
      if (this.iterations !== undefined && vu.plan.iterations >= this.iterations) this.next(vu);
      // After a transport failure wait at least a timer turn (and the connect back-off), so a
      // refused port cannot spin the loop.
      else if (think > 0 || failed) vu.timer = setTimeout(vu.wake, Math.max(think, vu.backoffMs));
      else this.next(vu);
    }
    if (this.stopping && this.inFlight === 0) this.finish();
  }

  templateState(index: number): TemplateState | null {
    return this.templated ? new TemplateState(this.seed, index, this.startMs, this.dynamicCount) : null;
  }

  session(): VuSession | null {
    return this.sessions ? new VuSession(this.scenario.target.cookies, this.extractSlots) : null;
  }

  connectFailed(vu: Vu, slot: number, conn: Connection): void {
    this.connections.replace(slot, conn);
    const max = this.scenario.target.connectBackoffMaxMs;
    vu.backoffMs = max === 0 ? 0 : Math.min(max, vu.backoffMs > 0 ? vu.backoffMs * 2 : 10);
  }

  afterThink(vu: Vu): void {
    try {
      if (!this.stopping && vu.active) this.next(vu);
    } catch (e) {
      this.fail(e);
    }
  }

  // ---- open model -------------------------------------------------------------------------

  /** Issues every arrival that is due, then sleeps until the next one. */
  private pump(): void {
    this.pumpTimer = undefined;
    if (this.stopping) return;
    const arrivals = this.arrivals!;
    const maxInFlight = this.peak;
    const now = performance.now();
    let intended = this.startMs + arrivals.at * 1000;
    // stopping: a data file ran out during this loop (on_exhausted); later arrivals are not issued.
    while (intended <= now && intended < this.endMs && !this.stopping) {
      // Every arrival takes its choice, dropped or not, so arrival k always makes the same choice.
      const req = arrivals.req;
      const k = arrivals.k;
      arrivals.advance();
      let slot = this.free.pop();
      if (slot === undefined && this.vus.length < maxInFlight) slot = this.vu(this.vus.length);
      if (slot === undefined) this.recorder.recordDropped(now);
      else {
        slot.intendedAt = intended;
        slot.arrival = k;
        this.recorder.recordLag((now - intended) * 1000);
        slot.send(req, now);
      }
      // A drop can close a second: judged here, so a lost run stops issuing at once, as before.
      this.checkAbort();
      intended = this.startMs + arrivals.at * 1000;
    }
    if (intended < this.endMs && !this.stopping) {
      this.pumpTimer = setTimeout(() => this.guard(() => this.pump()), Math.max(0, intended - performance.now()));
    }
  }

  // ---- tick, stop, finish -----------------------------------------------------------------

  private onTick(): void {
    const now = performance.now();
    this.recorder.roll(now);
    this.checkAbort();
    for (let i = 0; i < this.vus.length; i++) this.vus[i]!.checkDeadline(now);
    if (this.stopping) return;
    const dead = this.unreachable.check(now - this.startMs);
    if (dead !== undefined) {
      if ('notice' in dead) this.notify(dead.notice);
      else {
        this.error = dead.stop;
        this.status = 'error';
        this.stop('error', 0);
        return;
      }
    }
    if (now >= this.endMs) {
      // Arrivals meant for before the end but not yet started (the timer was late) start now,
      // late: they are then issued or dropped, never silently skipped.
      if (this.model === 'open') this.pump();
      this.stop('completed', this.graceMs());
      return;
    }
    if (this.model === 'closed') this.adjust((now - this.startMs) / 1000);
  }

  /** abort_on_fail for the seconds closed since the last call (after an outcome, a tick, the pump). */
  private checkAbort(): void {
    const seconds = this.abortDue;
    if (seconds === undefined) return;
    this.abortDue = undefined;
    if (!this.stopping) this.guard(() => this.abortIfLost(seconds));
  }

  /**
   * abort_on_fail: after abort_delay_seconds, the first assertion that fails on the figures so far
   * stops the run. rps_min is left out (a rate is not final before the load ends), and so is an
   * assertion that cannot be measured yet (no sample).
   */
  private abortIfLost(seconds: number): void {
    if (seconds < this.scenario.abort.delaySeconds) return;
    const now = performance.now();
    const lost = assertionsSoFar({ recorder: this.recorder, scenario: this.scenario, checks: this.checks }, this.recorder.loadSeconds(now))
      .find((a) => !a.pass && a.actual !== null && a.key !== 'rps_min');
    if (lost === undefined) return;
    const what = lost.scope ? `${lost.scope.check !== undefined ? `check "${lost.scope.check}" of ` : ''}request "${lost.scope.request}": ` : '';
    this.abortReason = `abort_on_fail after ${seconds} s: ${what}${lost.key} = ${lost.actual} (must be ${lost.op} ${lost.expected})`;
    this.stop('aborted', this.graceMs());
  }

  private notify(message: string): void {
    try {
      this.options.onNotice?.({ kind: 'unreachable', message });
    } catch {
      /* the listener's problem; the run goes on */
    }
  }

  private graceMs(): number {
    if (this.options.gracefulStopMs !== undefined) return this.options.gracefulStopMs;
    return Math.min(30_000, Math.max(...this.timeouts));
  }

  /** Stops issuing; in-flight requests get windowMs to finish, then are interrupted. */
  private stop(status: Results['status'], windowMs: number): void {
    if ((status === 'cancelled' || status === 'aborted') && this.status === 'completed') this.status = status;
    if (this.finished) return;
    if (!this.stopping) {
      this.stopping = true;
      // The load window ends here, or at the end of the duration when the tick came late.
      this.recorder.endLoad(Math.min(performance.now(), this.endMs));
      if (this.pumpTimer) clearTimeout(this.pumpTimer);
      for (const vu of this.vus) {
        if (this.model === 'closed' && vu.active && !vu.done) this.events?.vuStopped(vu.index);
        if (vu.timer !== undefined) {
          clearTimeout(vu.timer);
          vu.timer = undefined;
        }
      }
    }
    if (this.inFlight === 0) return this.finish();
    if (windowMs <= 0) this.interruptAll();
    else if (this.graceTimer === undefined) this.graceTimer = setTimeout(() => this.interruptAll(), windowMs);
  }

  private interruptAll(): void {
    if (this.finished) return;
    for (const vu of this.vus) vu.interrupt();
    // Requests not yet on a connection are errored by destroy() and count as interrupted too.
    void this.connections.destroyAll().then(() => {
      if (this.finished) return;
      // Anything still unaccounted for (should not happen) is interrupted, so the totals add up.
      for (const vu of this.vus) {
        if (vu.inFlight) {
          vu.inFlight = false;
          this.inFlight--;
          this.recorder.recordInterrupted(vu.req, vu);
        }
      }
      this.finish();
    });
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.tick) clearInterval(this.tick);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    const endMs = performance.now();
    this.recorder.finish(endMs);
    void this.connections.destroyAll();
    const cpu = process.cpuUsage(this.cpuStart);
    const elu = performance.eventLoopUtilization(this.eluStart);
    const wallMs = endMs - this.startMs;
    this.data?.close();
    const results = buildResults({
      scenario: this.scenario,
      recorder: this.recorder,
      seed: this.seed,
      startedAt: this.startedAt,
      // The run's clock: the wall clock, or the virtual one in a simulated run.
      endedAt: clockDate(),
      durationSeconds: wallMs / 1000,
      loadSeconds: this.recorder.loadSeconds(endMs),
      status: this.status,
      model: this.model,
      peak: this.peak,
      checks: this.checks,
      cpuPercent: wallMs > 0 ? ((cpu.user + cpu.system) / 1000 / wallMs) * 100 : 0,
      eventLoopUtilization: elu.utilization,
      error: this.error,
      abortReason: this.abortReason,
      data: this.data?.stats(),
      endReason: this.endReason,
    });
    if (!isWhole(this.segment)) results.segment = { index: this.segment.index, count: this.segment.count };
    // With an event log the run is over once its footer is written and the file closed.
    if (this.options.events) {
      // The footer says how the run ended, so a report from the log alone has what the records do not.
      const end = { us: Math.floor(wallMs * 1000), endedAt: results.endedAt, status: this.status, endReason: this.endReason, abortReason: this.abortReason, error: this.error };
      void this.options.events.finish(end).then(() => this.resolve(results));
    } else this.resolve(results);
  }

  private totals(): ProgressTotals {
    const r = this.recorder;
    const elapsed = (performance.now() - this.startMs) / 1000;
    const succeeded = r.sum(r.succeeded);
    const failed = r.sum(r.failed);
    const h = r.total;
    return {
      elapsedSeconds: Math.round(elapsed * 10) / 10,
      issued: this.issued,
      succeeded,
      failed,
      interrupted: r.sum(r.interrupted),
      dropped: r.dropped,
      inFlight: this.inFlight,
      activeVus: this.model === 'open' || this.stopping ? this.inFlight : this.activeCount,
      responses: r.responses,
      rps: r.responseRate(performance.now()),
      p50: h.totalCount > 0 ? h.getValueAtPercentile(50) / 1000 : null,
      p99: h.totalCount > 0 ? h.getValueAtPercentile(99) / 1000 : null,
      ...(this.checks.length > 0 ? { checks: { passed: r.sum(r.checkPassed), failed: r.sum(r.checkFailed) } } : {}),
      requests: Array.from(r.issued, (issued, i) => ({ issued, succeeded: r.succeeded[i]!, failed: r.failed[i]!, interrupted: r.interrupted[i]! })),
      failures: r.failuresAll(),
    };
  }
}
