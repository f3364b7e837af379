/**
 * `z6 run FILE`: runs a scenario, shows progress, prints the summary and exits with
 * 0 (assertions passed), 1 (an assertion failed), 2 (invalid scenario or usage), 3 (run error)
 * or 130 (interrupted). With --ipc (started by the editor via child_process.fork) it speaks the
 * messages of engine/run/protocol.ts instead of printing.
 */
import { randomUUID } from 'node:crypto';
import { isWhole, segmentOf, segmentText, SegmentError, type Segment } from '../../segments/segment';
import { BarrierError, leaveBarrier, waitAtBarrier } from '../../distributed/start-barrier';
import { readSharedSetup, writeSharedSetup } from '../../distributed/shared-setup';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Results, SecondSample } from '../../metrics/results-types';
import type { Scenario } from '../../scenario/model';
import { startDemoServer, type DemoServer } from '../../demo/demo-server';
import { applyOverrides, retarget, runScenario, RunSetupError, type RunOptions } from '../../run';
import type { EngineMessage, ProgressTotals } from '../../run/protocol';
import { PROTOCOL_VERSION, isParentMessage } from '../../run/protocol';
import { timeseriesCsv } from '../../report/csv';
import { terminalSafe } from '../../report/terminal-text';
import { renderHtmlReport } from '../../report/html';
import { junitXml } from '../../report/junit';
import { assertionsPassed, formatSummary } from '../../report/summary';
import { compareResults, type Comparison } from '../../compare/compare';
import { comparisonResult } from '../../report/compare-text';
import { displayPath } from '../format-diagnostics';
import { intOption, numberOption, parseArgs, UsageError } from './options';
import { loadForRun } from './scenario-input';
import { readRunInput, type RunInput } from './run-input';
import { ENV_OPTIONS_TEXT, ENV_VALUE_OPTIONS, envFromArgs } from './env-options';
import { EventLogWriter } from '../../events/writer';
import { parseWorkers, workersFor, WorkersError, type WorkersSetting } from '../../workers/count';
import { runInWorkers } from '../../workers/pool';

export const RUN_USAGE = 'z6 run FILE [options]';
export const RUN_OPTIONS = `Options:
  --seed N            seed for every random choice (default: prng_seed, else random and printed)
  --vus N             a constant N VUs instead of the schedule (open model: max_in_flight)
  --duration S        run for S seconds (the schedule's last level is held, or it is cut short)
  --smoke             one VU sends each request once (or the [sequence] once), no think time, no
                      assertions: does the scenario work at all?
  --out DIR           write DIR/results.json (and the files below)
  --csv               also write DIR/timeseries.csv (DIR defaults to z6-results)
  --html              also write DIR/report.html (DIR defaults to z6-results)
  --baseline FILE     compare with an earlier run's results.json: a section in report.html and a
                      line after the summary (the exit code stays the assertions'; gate on
                      regressions with z6 diff)
  --json              print the results JSON on stdout (the summary goes to stderr)
  --junit FILE        write the assertions as JUnit XML to FILE (one test case per assertion)
  --otlp URL          stream live metrics each second over OTLP/HTTP to URL (e.g.
                      http://collector:4318/v1/metrics); Z6_RUN_ID labels the run (default: random)
  --quiet             no progress; print only the RESULT line
  --demo              start the embedded demo target and run against it; writes z6-results/
  --graceful-stop S   time in-flight requests get after the end (default: longest timeout, max 30 s)
  --segment i/n       run segment i (0-based) of n: the VUs or arrivals i, i+n, i+2n, … of the plan,
                      with their own seeded streams; z6 merge adds the segments up (also Z6_SEGMENT)
  --barrier DIR       with --segment: wait in the shared folder DIR until all n segments are ready,
                      then start together (a distributed run: docs/kubernetes.md)
  --events FILE       write the run's event log (gzip) to FILE; check it with z6 replay FILE --verify
                      (the scenario's [output] events does the same)
  --events-max-mb N   size limit of the event log (default: [output] events_max_mb, else 1024)
  --workers N|auto    run the load in N worker threads (auto: one per core for a big run, else 1),
                      merged into one run (also runtime.workers; default 1)
${ENV_OPTIONS_TEXT}
  --ipc               speak engine/run/protocol.ts messages to the parent (the editor)

Exit codes: 0 assertions passed, 1 an assertion failed, 2 invalid scenario or usage,
3 run error, 130 interrupted.`;

const VALUE_OPTIONS = ['seed', 'vus', 'duration', 'out', 'baseline', 'junit', 'otlp', 'graceful-stop', 'segment', 'barrier', 'workers', 'events', 'events-max-mb', ...ENV_VALUE_OPTIONS] as const;
const FLAG_OPTIONS = ['json', 'csv', 'html', 'quiet', 'ipc', 'demo', 'smoke'] as const;
/** Where --csv/--html (and `z6 demo`) write when no --out is given. */
export const DEFAULT_OUT = 'z6-results';

export interface RunCommandOptions {
  file: string;
  seed?: number;
  vus?: number;
  durationSeconds?: number;
  gracefulStopMs?: number;
  out?: string;
  /** A results file to compare the run with (report section, one line after the summary). */
  baseline?: string;
  /** --segment i/n or Z6_SEGMENT; the whole run without either. */
  segment: Segment;
  /** --barrier DIR: the start barrier folder shared by the segments. */
  barrier?: string;
  /** --workers N|auto (over runtime.workers). */
  workers?: WorkersSetting;
  /** --junit FILE: the assertions as JUnit XML. */
  junit?: string;
  /** --otlp URL: live metrics over OTLP/HTTP. */
  otlp?: string;
  json: boolean;
  csv: boolean;
  html: boolean;
  quiet: boolean;
  smoke: boolean;
  ipc: boolean;
  demo: boolean;
  /** For templates' env.NAME: the process environment, then --env-file, then --env. */
  env: Record<string, string | undefined>;
  /** --events: the event log file (wins over the scenario's [output] events). */
  events?: string;
  /** --events-max-mb, in bytes. */
  eventsMaxBytes?: number;
}

/** An http(s) URL, or a usage error naming the option. */
function urlOption(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UsageError(`${option}: '${value}' is not a URL (e.g. http://127.0.0.1:4318/v1/metrics)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`${option}: '${value}' is not an http:// or https:// URL`);
  return value;
}

function segmentOption(value: string | undefined): Segment {
  try {
    return segmentOf(value, process.env);
  } catch (e) {
    throw e instanceof SegmentError ? new UsageError(e.message) : e;
  }
}

function workersOption(value: string | undefined): WorkersSetting | undefined {
  try {
    return value === undefined ? undefined : parseWorkers(value);
  } catch (e) {
    throw e instanceof WorkersError ? new UsageError(e.message) : e;
  }
}

export function parseRunArgs(args: string[]): RunCommandOptions {
  const p = parseArgs(args, VALUE_OPTIONS, FLAG_OPTIONS);
  if (p.positional.length !== 1) throw new UsageError(p.positional.length ? 'give exactly one scenario file' : 'no scenario file given');
  const grace = numberOption(p, 'graceful-stop', 0, 3600);
  if (p.values.has('barrier') && !p.values.has('segment') && !process.env.Z6_SEGMENT) throw new UsageError('--barrier needs --segment i/n (or Z6_SEGMENT): it waits for n segments');
  const eventsMb = numberOption(p, 'events-max-mb', 0.1, 1_048_576);
  return {
    file: p.positional[0]!,
    seed: intOption(p, 'seed', 0, Number.MAX_SAFE_INTEGER),
    vus: intOption(p, 'vus', 1, 100_000),
    durationSeconds: intOption(p, 'duration', 1, 86_400),
    gracefulStopMs: grace === undefined ? undefined : grace * 1000,
    // --demo is the showcase: it always leaves results.json and report.html behind.
    out: p.values.get('out') ?? (p.flags.has('csv') || p.flags.has('html') || p.flags.has('demo') ? DEFAULT_OUT : undefined),
    baseline: p.values.get('baseline'),
    segment: segmentOption(p.values.get('segment')),
    barrier: p.values.get('barrier'),
    workers: workersOption(p.values.get('workers')),
    junit: p.values.get('junit'),
    otlp: urlOption(p.values.get('otlp'), '--otlp'),
    json: p.flags.has('json'),
    csv: p.flags.has('csv'),
    html: p.flags.has('html') || p.flags.has('demo'),
    quiet: p.flags.has('quiet'),
    smoke: p.flags.has('smoke'),
    ipc: p.flags.has('ipc'),
    demo: p.flags.has('demo'),
    env: envFromArgs(p, process.env),
    events: p.values.get('events'),
    eventsMaxBytes: eventsMb === undefined ? undefined : Math.round(eventsMb * 1024 * 1024),
  };
}

export async function runCommand(args: string[]): Promise<number> {
  let opts: RunCommandOptions;
  try {
    opts = parseRunArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (args.includes('--ipc')) sendIpc({ type: 'error', message: e.message, exitCode: 2 });
    console.error(`z6 run: ${e.message}\nUsage: ${RUN_USAGE}\n\n${RUN_OPTIONS}`);
    return 2;
  }
  let code: number;
  try {
    code = await (opts.ipc ? runIpc(opts) : runCli(opts));
  } catch (e) {
    leaveOnFailure(opts, (e as Error).message);
    throw e;
  }
  if (code === 2 || code === 3) leaveOnFailure(opts, `z6 run ended with exit code ${code}; its output says why`);
  return code;
}

/**
 * A segment that will not run tells the others at the barrier, so they stop now with its reason
 * instead of waiting out the barrier's timeout (harmless after the start: no one waits any more).
 */
function leaveOnFailure(opts: RunCommandOptions, reason: string): void {
  if (opts.barrier !== undefined && !isWhole(opts.segment)) leaveBarrier(resolve(opts.barrier), opts.segment.index, reason);
}

/** A segment's plan is the whole plan's only with the seed every segment uses: none given is an error. */
function unseededSegment(opts: RunCommandOptions, s: Scenario): string | undefined {
  if (isWhole(opts.segment)) return undefined;
  if (s.setup.length > 0 && opts.barrier === undefined) {
    return `segment ${segmentText(opts.segment)}: the scenario has [[setup]], which runs once, in segment 0, and reaches the others through the start barrier's folder: give --barrier DIR`;
  }
  if (opts.seed !== undefined || s.runtime.seed !== undefined) return undefined;
  return `segment ${segmentText(opts.segment)} needs the seed all segments share: set runtime.prng_seed or give --seed N`;
}

/**
 * A segment of a distributed run: the start barrier, and [[setup]] once — segment 0 runs it and
 * shares its values at the barrier (after setup, before the load), the others wait at the barrier
 * first and take them; only segment 0 sends setup and teardown requests.
 */
async function segmentPhases(opts: RunCommandOptions, s: Scenario, say: (m: string) => void): Promise<Pick<RunOptions, 'afterSetup' | 'sharedSetup'>> {
  if (isWhole(opts.segment)) return {};
  const dir = opts.barrier === undefined ? undefined : resolve(opts.barrier);
  const meet = async () => {
    if (dir === undefined) return;
    say(`z6: segment ${segmentText(opts.segment)} waiting at the start barrier in ${displayPath(dir)}\n`);
    await waitAtBarrier(dir, opts.segment.index, opts.segment.count);
  };
  const lead = opts.segment.index === 0;
  if (lead && s.setup.length > 0) {
    return { afterSetup: async (outcome) => {
      writeSharedSetup(dir!, outcome);
      await meet();
    } };
  }
  await meet();
  if (lead) return {};
  return { sharedSetup: s.setup.length > 0 ? readSharedSetup(dir!) : { vars: new Map() } };
}

/** Exit code of a finished run (decisions §3). */
export function exitCodeOf(r: Results): number {
  if (r.status === 'cancelled') return 130;
  if (r.status === 'error') return 3;
  // abort_on_fail stopped it because an assertion had failed: a failed run, whatever the end figures say.
  if (r.status === 'aborted') return 1;
  // A segment's figures are a slice (its rps is a fraction of the run's): its assertions are shown
  // but do not decide; z6 merge judges the whole run.
  if (r.segment) return 0;
  return assertionsPassed(r) ? 0 : 1;
}

/** The scenario with --demo (or target.demo) and --vus/--duration applied; the demo server when it runs one. */
async function prepare(scenario: Scenario, opts: RunCommandOptions): Promise<{ scenario: Scenario; demo?: DemoServer }> {
  let s = applyOverrides(scenario, { vus: opts.vus, durationSeconds: opts.durationSeconds, smoke: opts.smoke });
  let demo: DemoServer | undefined;
  if (opts.demo || scenario.target.demo) {
    demo = await startDemoServer(0);
    s = retarget(s, demo.url + s.target.basePath);
  }
  return { scenario: s, demo };
}

/**
 * The run's event log: --events, else the scenario's [output] events; undefined without either.
 * The file is created here, so a path that cannot be written stops the command before any load.
 */
function openEventLog(scenario: Scenario, opts: RunCommandOptions): EventLogWriter | undefined {
  const file = opts.events !== undefined ? resolve(opts.events) : scenario.output.events;
  if (file === undefined) return undefined;
  return new EventLogWriter({
    file,
    maxBytes: opts.eventsMaxBytes ?? scenario.output.eventsMaxBytes,
    options: { vus: opts.vus, durationSeconds: opts.durationSeconds, smoke: opts.smoke || undefined, gracefulStopMs: opts.gracefulStopMs },
    results: opts.out ? join(resolve(opts.out), 'results.json') : undefined,
  });
}

/** What to say about the event log after the run: where it is, and whether it is whole. */
function eventLogLines(log: EventLogWriter): { info?: string; warning?: string } {
  if (log.problem !== undefined) return { warning: log.problem };
  const mib = (log.maxBytes / 1048576).toFixed(log.maxBytes < 10 * 1048576 ? 1 : 0);
  if (log.truncated) return { warning: `the event log ${displayPath(log.file)} reached its size limit (${mib} MiB) and ends before the run did (its footer says so); the results are complete` };
  return { info: `wrote event log ${displayPath(log.file)}` };
}

/** The results JSON as written to disk. */
export const resultsJsonText = (r: Results) => JSON.stringify(r, null, 2) + '\n';

/** Writes results.json (+ timeseries.csv, report.html with the comparison if any); returns the paths written. */
export function writeOutputs(r: Results, dir: string, o: { csv: boolean; html: boolean; comparison?: Comparison }): string[] {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true });
  const written: string[] = [];
  // Written whole, then renamed into place: a reader waiting for results.json (the merge step of a
  // distributed run) never sees half a file.
  const put = (name: string, text: string) => {
    const file = join(abs, name);
    writeFileSync(`${file}.partial`, text);
    renameSync(`${file}.partial`, file);
    written.push(file);
  };
  put('results.json', resultsJsonText(r));
  if (o.csv) put('timeseries.csv', timeseriesCsv(r));
  if (o.html) put('report.html', renderHtmlReport(r, { comparison: o.comparison }));
  return written;
}

// ---- terminal ------------------------------------------------------------------------------

function progressText(planned: number | null, t: ProgressTotals, s: SecondSample): string {
  const total = planned === null ? '' : `/${planned}`;
  const p99 = s.p99 === null ? '-' : s.p99.toFixed(s.p99 >= 100 ? 0 : 1);
  // The run's last, partial second has no rate (never extrapolated): show the run's so far.
  const rps = s.rps ?? t.rps;
  return `${t.elapsedSeconds.toFixed(0)}${total} s  VUs ${t.activeVus}  ${rps.toFixed(0)} rps  p99 ${p99} ms  ` +
    `${t.issued} issued  ${t.failed} failed` + (t.dropped ? `  ${t.dropped} dropped` : '');
}

/** The baseline named by --baseline, read before the run so a wrong path costs no load. */
async function readBaseline(opts: RunCommandOptions): Promise<RunInput | undefined> {
  return opts.baseline === undefined ? undefined : readRunInput(opts.baseline);
}

function compareWithBaseline(baseline: RunInput | undefined, results: Results): Comparison | undefined {
  return baseline?.ok ? compareResults(baseline.results, results, { labels: [displayPath(baseline.file), 'this run'] }) : undefined;
}

async function runCli(opts: RunCommandOptions): Promise<number> {
  const input = loadForRun(opts.file, { readBodies: true, env: opts.env });
  if (!input.ok) {
    for (const l of input.lines) console.error(l);
    return input.exitCode;
  }
  const unseeded = unseededSegment(opts, input.scenario);
  if (unseeded) {
    console.error(`z6 run: ${unseeded}`);
    return 2;
  }
  const baseline = await readBaseline(opts);
  if (baseline && !baseline.ok) {
    console.error(`z6 run: --baseline ${baseline.message}`);
    return 2;
  }
  for (const w of input.warnings) console.error(w);
  if (opts.workers !== undefined && opts.workers !== 1 && (opts.events !== undefined || input.scenario.output.events !== undefined)) {
    console.error('z6 run: an event log (--events, [output] events) records a run in one event loop: use --workers 1 with it (workers do not write one yet)');
    return 2;
  }
  let events: EventLogWriter | undefined;
  try {
    events = openEventLog(input.scenario, opts);
  } catch (e) {
    console.error(`z6 run: cannot write the event log: ${(e as Error).message}`);
    leaveOnFailure(opts, `cannot write the event log: ${(e as Error).message}`);
    return 3;
  }
  const { scenario, demo } = await prepare(input.scenario, opts);
  const err = process.stderr;
  let phases: Pick<RunOptions, 'afterSetup' | 'sharedSetup'>;
  try {
    phases = await segmentPhases(opts, scenario, (m) => !opts.quiet && err.write(m));
  } catch (e) {
    await demo?.close();
    if (!(e instanceof BarrierError)) throw e;
    console.error(`z6 run: ${e.message}`);
    return 3;
  }
  const tty = Boolean(err.isTTY) && !opts.quiet;
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      if (!opts.quiet) err.write('\nz6: interrupted, stopping (press Ctrl-C again to quit at once)\n');
      controller.abort();
    } else process.exit(130);
  };
  // SIGTERM (a CI job's time limit, `kill`) stops the run the same way: partial results are kept.
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  let planned: number | null = null;
  let lastPlain = 0;
  let results: Results;
  // Loaded only when asked for: the OpenTelemetry SDK is not part of every run's start-up.
  const otlp = opts.otlp ? await import('../../live-metrics/otlp') : undefined;
  let live: import('../../live-metrics/otlp').OtlpLiveMetrics | undefined;
  let workers = workersFor(opts.workers ?? scenario.runtime.workers, scenario);
  if (events && workers > 1) {
    // The event log is one event loop's record (engine/events/); workers do not write one yet.
    err.write('z6: warning: runtime.workers ignored: the event log records a run in one event loop, so this run uses 1 worker\n');
    workers = 1;
  }
  try {
    const run = (s: Scenario, o: RunOptions) => (workers > 1 ? runInWorkers(s, o, {
      workers, file: input.file, segment: opts.segment, baseUrl: demo ? scenario.target.baseUrl : undefined,
      overrides: { vus: opts.vus, durationSeconds: opts.durationSeconds, smoke: opts.smoke },
    }) : runScenario(s, o));
    results = await run(scenario, {
      seed: opts.seed,
      signal: controller.signal,
      gracefulStopMs: opts.gracefulStopMs,
      env: opts.env,
      segment: opts.segment,
      ...phases,
      events,
      onStart: (info) => {
        planned = info.plannedDurationSeconds;
        if (otlp && opts.otlp) {
          const run = { runId: process.env.Z6_RUN_ID || randomUUID(), scenarioName: scenario.metadata.name ?? displayPath(input.file), scenarioHash: scenario.source.hash, seed: info.seed, requestNames: info.requests,
            segment: isWhole(opts.segment) ? undefined : segmentText(opts.segment) };
          live = new otlp.OtlpLiveMetrics(run, { url: opts.otlp, onError: (m) => err.write(`z6: warning: ${terminalSafe(m)}\n`) });
        }
        if (!opts.quiet) {
          err.write(`z6: running ${displayPath(input.file)} against ${scenario.target.baseUrl} — seed ${info.seed}` +
            (planned === null ? '' : `, ${planned} s`) + (workers > 1 ? `, ${workers} workers` : '') + ` (repeat with --seed ${info.seed})\n`);
        }
      },
      // Said even with --quiet: a run against nothing should not look like a quiet success.
      onNotice: (n) => err.write(`${tty ? '\r\x1b[2K' : ''}z6: warning: ${terminalSafe(n.message)}\n`),
      onProgress: (sample, totals) => {
        live?.update(sample, totals);
        if (opts.quiet) return;
        if (tty) err.write(`\r\x1b[2K${progressText(planned, totals, sample)}`);
        else if (totals.elapsedSeconds - lastPlain >= 5) {
          lastPlain = totals.elapsedSeconds;
          err.write(progressText(planned, totals, sample) + '\n');
        }
      },
    });
  } catch (e) {
    if (tty) err.write('\n');
    console.error(`z6 run: ${e instanceof RunSetupError || e instanceof BarrierError ? '' : 'run error: '}${(e as Error).message}`);
    leaveOnFailure(opts, (e as Error).message);
    return 3;
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigint);
    await demo?.close();
    await events?.finish();
  }
  if (tty) err.write('\r\x1b[2K');
  const liveProblem = await live?.finish(results);
  if (liveProblem) err.write(`z6: warning: ${terminalSafe(liveProblem)}\n`);
  const summary = formatSummary(results);
  if (opts.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  const summaryOut = opts.json ? err : process.stdout;
  if (opts.quiet) summaryOut.write(summary.split('\n').filter((l) => l.startsWith('RESULT')).join('\n') + '\n');
  else summaryOut.write(summary + '\n');
  const comparison = compareWithBaseline(baseline, results);
  if (comparison) summaryOut.write(`baseline ${comparison.a.label}: ${comparisonResult(comparison).replace(/^RESULT: /, '')}\n`);
  if (events) {
    const said = eventLogLines(events);
    if (said.warning) err.write(`z6: warning: ${said.warning}\n`);
    else if (!opts.quiet) err.write(`${said.info}\n`);
  }
  if (opts.out) {
    try {
      const files = writeOutputs(results, opts.out, { ...opts, comparison });
      if (!opts.quiet) err.write(`wrote ${files.map(displayPath).join(', ')}\n`);
    } catch (e) {
      console.error(`z6 run: cannot write results to ${opts.out}: ${(e as Error).message}`);
      return 3;
    }
  }
  if (opts.junit) {
    try {
      writeFileSync(resolve(opts.junit), junitXml(results));
      if (!opts.quiet) err.write(`wrote ${displayPath(resolve(opts.junit))}\n`);
    } catch (e) {
      console.error(`z6 run: cannot write the JUnit XML to ${opts.junit}: ${(e as Error).message}`);
      return 3;
    }
  }
  return exitCodeOf(results);
}

// ---- editor (IPC) ------------------------------------------------------------------------

function sendIpc(m: EngineMessage): Promise<void> {
  return new Promise((r) => {
    if (!process.send || !process.connected) return r();
    process.send(m, undefined, {}, () => r());
  });
}

async function runIpc(opts: RunCommandOptions): Promise<number> {
  if (!process.send) {
    console.error('z6 run --ipc: this process was not started with an IPC channel (use child_process.fork)');
    return 2;
  }
  const input = loadForRun(opts.file, { readBodies: true, env: opts.env });
  if (!input.ok) {
    await sendIpc({ type: 'error', message: input.message, exitCode: input.exitCode, diagnostics: input.diagnostics });
    return input.exitCode;
  }
  const baseline = await readBaseline(opts);
  if (baseline && !baseline.ok) {
    await sendIpc({ type: 'error', message: `--baseline ${baseline.message}`, exitCode: 2 });
    return 2;
  }
  const unseeded = unseededSegment(opts, input.scenario);
  if (unseeded) {
    await sendIpc({ type: 'error', message: unseeded, exitCode: 2 });
    return 2;
  }
  const controller = new AbortController();
  const onMessage = (m: unknown) => {
    if (isParentMessage(m) && m.type === 'cancel') controller.abort();
  };
  // The editor went away: stop rather than load a target nobody watches.
  const onDisconnect = () => controller.abort();
  process.on('message', onMessage);
  process.on('disconnect', onDisconnect);
  process.on('SIGINT', onDisconnect);
  let demo: DemoServer | undefined;
  let events: EventLogWriter | undefined;
  try {
    events = openEventLog(input.scenario, opts);
    const prepared = await prepare(input.scenario, opts);
    demo = prepared.demo;
    const scenario = prepared.scenario;
    const results = await runScenario(scenario, {
      seed: opts.seed,
      signal: controller.signal,
      gracefulStopMs: opts.gracefulStopMs,
      env: opts.env,
      segment: opts.segment,
      events,
      onStart: (info) =>
        void sendIpc({
          type: 'started',
          protocol: PROTOCOL_VERSION,
          seed: info.seed,
          plannedDurationSeconds: info.plannedDurationSeconds,
          requests: info.requests,
          scenario: { name: scenario.metadata.name, file: scenario.source.file, hash: scenario.source.hash },
          model: info.model,
          target: scenario.target.baseUrl,
          scheduleType: info.scheduleType,
          peak: info.peak,
        }),
      onProgress: (sample, totals) => void sendIpc({ type: 'progress', sample, totals }),
      onNotice: (n) => void sendIpc({ type: 'notice', kind: n.kind, message: n.message }),
    });
    const exitCode = exitCodeOf(results);
    // The results go to the editor first: a directory that cannot be written must not lose them.
    await sendIpc({ type: 'finished', results, exitCode });
    if (opts.out) {
      try {
        writeOutputs(results, opts.out, { ...opts, comparison: compareWithBaseline(baseline, results) });
      } catch (e) {
        await sendIpc({ type: 'output-error', dir: resolve(opts.out), message: `cannot write results to ${resolve(opts.out)}: ${(e as Error).message}` });
        return 3;
      }
    }
    return exitCode;
  } catch (e) {
    await sendIpc({ type: 'error', message: (e as Error).message, exitCode: 3 });
    return 3;
  } finally {
    await demo?.close();
    await events?.finish();
    const warning = events && eventLogLines(events).warning;
    if (warning) console.error(`z6: warning: ${warning}`);
    process.removeListener('message', onMessage);
    process.removeListener('disconnect', onDisconnect);
    process.removeListener('SIGINT', onDisconnect);
    if (process.connected) process.disconnect();
  }
}
