/**
 * `z6 run --workers N`: the run's plan cut into N segments (engine/segments/), each run by a
 * worker thread on its own event loop (so on its own core), merged into one run here.
 *
 * The user sees one run: [[setup]] and [[teardown]] run once, in this thread (their values go to
 * every worker); the workers load the same file, wait until all are ready and start on one
 * message; their seconds are combined live (live-seconds.ts); a cancel reaches all of them; when
 * one ends the run early (abort_on_fail on its slice, nothing answers, a data file ran out with
 * stop_run) the others are stopped too; their results are merged exactly as z6 merge does
 * (every count added, every histogram added) and the assertions judged on the merge.
 *
 * Threads rather than processes: docs/performance.md (Workers) has the measurements.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Results } from '../metrics/results-types';
import type { Scenario } from '../scenario/model';
import { randomSeed } from '../plan/prng';
import { GENERATOR_WARN } from '../metrics/build-results';
import { RunSetupError, type Overrides, type RunOptions } from '../run';
import { withPhases } from '../run/runner';
import { checkSegments, mergeSegments, type SegmentInput } from '../segments/merge';
import { isWhole, WHOLE, type Segment } from '../segments/segment';
import { LiveSeconds } from './live-seconds';
import type { ParentToWorker, WorkerJob, WorkerMessage } from './protocol';

export interface WorkersOptions {
  workers: number;
  /** The scenario file: each worker loads it again (a Scenario holds buffers and open data files). */
  file: string;
  overrides: Overrides;
  /** Where the scenario was pointed (the demo server), if anywhere else than its base_url. */
  baseUrl?: string;
  /**
   * This process's segment of a distributed run (z6 run --segment i/n), split further: worker j
   * runs segment i + n·j of n·N — by the striping, exactly the units of i/n, in N even parts.
   */
  segment?: Segment;
}

/** As runScenario, with the load in `w.workers` worker threads. */
export function runInWorkers(scenario: Scenario, options: RunOptions, w: WorkersOptions): Promise<Results> {
  return withPhases(scenario, options, (s, o) => loadInWorkers(s, o, w));
}

/** A worker thread: dist/worker.js beside the bundle. */
function startWorker(workerData: WorkerJob): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(join(__dirname, 'worker.js'), { workerData });
  // From the sources (tests run them under tsx, which a thread does not inherit): tsx first.
  const tsx = require.resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(join(__dirname, 'worker.ts'))});`, { eval: true, workerData });
}

interface Slot {
  worker: Worker;
  ready: boolean;
  started?: Parameters<NonNullable<RunOptions['onStart']>>[0];
  results?: Results;
  failure?: string;
}

function loadInWorkers(scenario: Scenario, o: RunOptions, w: WorkersOptions): Promise<Results> {
  const n = w.workers;
  const parent = w.segment ?? WHOLE;
  const seed = o.seed ?? scenario.runtime.seed ?? randomSeed();
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  return new Promise<Results>((resolve, reject) => {
    const job = (index: number): WorkerJob => ({
      file: w.file, scenarioHash: scenario.source.hash, env: { ...(o.env ?? {}) }, overrides: w.overrides, baseUrl: w.baseUrl,
      seed, segment: { index: parent.index + parent.count * index, count: parent.count * n }, gracefulStopMs: o.gracefulStopMs, setupVars: o.setupVars ? [...o.setupVars] : undefined,
    });
    const slots: Slot[] = Array.from({ length: n }, (_, i) => ({ worker: startWorker(job(i)), ready: false }));
    const send = (s: Slot, m: ParentToWorker) => s.worker.postMessage(m);
    const live = new LiveSeconds(n, (sample, totals) => {
      try {
        o.onProgress?.(sample, totals);
      } catch {
        /* the listener's problem; the run goes on */
      }
    });
    const notices = new Set<string>();
    let started = false;
    let settled = false;
    const isDone = (s: Slot) => s.results !== undefined || s.failure !== undefined;
    const stopOthers = () => {
      for (const s of slots) if (!isDone(s)) send(s, { type: 'cancel' });
    };
    const onAbort = () => stopOthers();
    if (o.signal?.aborted) queueMicrotask(onAbort);
    o.signal?.addEventListener('abort', onAbort, { once: true });

    const settle = () => {
      if (settled || !slots.every(isDone)) return;
      settled = true;
      o.signal?.removeEventListener('abort', onAbort);
      for (const s of slots) void s.worker.terminate();
      const failed = slots.map((s, i) => (s.failure !== undefined ? `worker ${i + 1} of ${n}: ${s.failure}` : undefined)).filter((x) => x !== undefined);
      // Before the load started: nothing ran, it is an error of the run's set-up (exit 3).
      if (!started) return reject(new RunSetupError(failed.join('; ')));
      const inputs: SegmentInput[] = slots.flatMap((s, i) => (s.results ? [{ file: `worker ${i + 1}`, results: s.results }] : []));
      if (inputs.length === 0) return reject(new Error(failed.join('; ')));
      try {
        const merged = mergeSegments(inputs, scenario, checkSegments(inputs, true));
        resolve(asOneRun(merged, slots, n, parent, failed, o.signal?.aborted === true, cpuStart, wallStart));
      } catch (e) {
        reject(e);
      }
    };

    slots.forEach((s, i) => {
      s.worker.on('message', (m: WorkerMessage) => {
        switch (m.type) {
          case 'ready':
            s.ready = true;
            if (slots.every((x) => x.ready) && !started) {
              started = true;
              for (const x of slots) send(x, { type: 'start' });
            }
            return;
          case 'failed':
            s.failure = m.message;
            live.finished(i);
            stopOthers();
            // A worker that fails before the start fails them all: nothing is started.
            if (!started) for (const x of slots) if (!isDone(x)) x.failure = 'not started';
            return settle();
          case 'started':
            s.started = m.info;
            if (slots.every((x) => x.started)) {
              o.onStart?.({ ...m.info, peak: slots.reduce((a, x) => a + x.started!.peak, 0) });
            }
            return;
          case 'second':
            live.second(i, m.sample, m.totals, m.histogram);
            return;
          case 'notice':
            if (notices.has(m.notice.message)) return;
            notices.add(m.notice.message);
            try {
              o.onNotice?.(m.notice);
            } catch {
              /* the listener's problem */
            }
            return;
          case 'finished':
            s.results = m.results;
            live.finished(i);
            // One worker's slice lost an assertion (abort_on_fail) or found nothing answering: the run
            // ends for all. (A data file that ran out ends each worker's stripe of it on its own.)
            if (m.results.status === 'aborted' || m.results.status === 'error') stopOthers();
            return settle();
        }
      });
      s.worker.on('error', (e) => {
        if (isDone(s)) return;
        s.failure = `crashed: ${e.message}`;
        live.finished(i);
        stopOthers();
        settle();
      });
      s.worker.on('exit', () => {
        if (isDone(s)) return;
        s.failure = 'exited without results';
        live.finished(i);
        stopOthers();
        settle();
      });
    });
  });
}

/**
 * The merge of the workers' segments as the one run the user asked for (or the one segment of a
 * distributed run): no bookkeeping of the workers' segments, the worker count, the process's
 * CPU, the reason a worker stopped the others.
 */
function asOneRun(r: Results, slots: readonly Slot[], n: number, parent: Segment, failed: string[], cancelled: boolean, cpuStart: NodeJS.CpuUsage, wallStart: number): Results {
  delete r.merged;
  r.workers = n;
  // A segment of a distributed run keeps what z6 merge needs later; a whole run looks like any other.
  if (isWhole(parent)) {
    delete r.histograms.perSecond;
    delete r.histograms.schedulingLag;
  }
  else r.segment = { index: parent.index, count: parent.count };
  const own = slots.map((s) => s.results).filter((x) => x !== undefined);
  if (failed.length) {
    r.status = 'error';
    r.error = [r.error, ...failed].filter(Boolean).join('; ');
  } else if (!cancelled) {
    // The others were cancelled because one aborted: the run was aborted (and not cancelled by the user).
    const aborted = own.find((x) => x.status === 'aborted');
    if (aborted) {
      r.status = 'aborted';
      r.abortReason = aborted.abortReason;
    }
  }
  // process.cpuUsage() is the whole process (every thread); the event loops are each worker's own.
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - wallStart;
  const cpuPercent = Math.round((wallMs > 0 ? ((cpu.user + cpu.system) / 1000 / wallMs) * 100 : 0) * 10) / 10;
  const elu = Math.max(0, ...own.map((x) => x.generator?.eventLoopUtilization ?? 0));
  r.generator = { cpuPercent, eventLoopUtilization: elu };
  if (elu > GENERATOR_WARN) {
    r.generator.warning = `a worker's event loop was busy ${Math.round(elu * 100)} % of the time: latencies may include time spent waiting in z6 itself; use more workers (cores) or more machines`;
  }
  return r;
}
