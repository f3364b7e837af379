// `npm run bench`: the benchmarks — a measurement, not a test (nothing here passes or fails;
// it prints figures and ratios, which docs/performance.md records). Sections:
//   validate  npx tsx bench/validate-bench.ts (scenario validation time)
//   server    bench/server-bench.ts under the language server's V8 flags (language-server timings)
//   engine    z6 vs autocannon vs wrk on the same loopback target, pinned, gated, repeated
//   memory    RSS per idle VU at 10,000 VUs
//   templates CPU per request of a static request, a templated (path + header) one and an
//             extract-and-reuse flow, side by side
//   events    the engine's throughput and CPU per request without and with the event log
//             (z6 run --events), interleaved, and the log's bytes per request
//   workers   z6 run --workers 1, 2 and auto, and 2 segment processes: requests/s, CPU per request
//   panel     bench/panel-bench.ts in chromium: a one-hour run's render time in the results panel,
//             and the page's JS heap over hours of live updates
// Options: --quick (1 repetition, 5 s runs), --only validate|server|engine|memory|templates|events|panel|workers
//          (comma list), --reps N, --seconds S, --vus N (memory bench), --baseline (also bare undici
//          in the engine comparison: what z6's engine costs on top of the transport it is built on),
//          --ab-build DIR (events: also run another build's z6 without the log, e.g. a checkout of
//          main built with `npm run build`: a run without the log must cost what it did).
// Writes the raw figures to bench/results/last-run.json (git-ignored).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineTable, runEngineBench } from '../bench/engine-bench.mjs';
import { memoryText, runMemoryBench } from '../bench/memory-bench.mjs';
import { runTemplatesBench, templatesText } from '../bench/templates-bench.mjs';
import { eventsTable, runEventsBench } from '../bench/events-bench.mjs';
import { runWorkersBench, workersText } from '../bench/workers-bench.mjs';
import { loadAverage } from '../bench/lib/proc.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECTIONS = ['validate', 'server', 'engine', 'memory', 'templates', 'events', 'panel', 'workers'];

function parseArgs(argv) {
  const o = { quick: false, baseline: false, only: SECTIONS, reps: undefined, seconds: undefined, vus: 10_000, abBuild: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--baseline') o.baseline = true;
    else if (a === '--only') {
      o.only = value().split(',');
      for (const s of o.only) if (!SECTIONS.includes(s)) usage(`unknown section "${s}" (one of ${SECTIONS.join(', ')})`);
    } else if (a === '--reps') o.reps = positiveInt(a, value());
    else if (a === '--seconds') o.seconds = positiveInt(a, value());
    else if (a === '--vus') o.vus = Math.max(2, positiveInt(a, value()));
    else if (a === '--ab-build') o.abBuild = value();
    else usage(`unknown option ${a}`);
  }
  o.reps ??= o.quick ? 1 : 3;
  o.seconds ??= o.quick ? 5 : 10;
  return o;
}

function positiveInt(name, v) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) usage(`${name} must be a positive integer, got "${v}"`);
  return n;
}

function usage(msg) {
  console.error(`bench: ${msg}\nUsage: npm run bench -- [--quick] [--only ${SECTIONS.join('|')}[,…]] [--reps N] [--seconds S] [--vus N] [--baseline] [--ab-build DIR]`);
  process.exit(2);
}

const log = (s) => console.log(s);
const heading = (s) => console.log(`\n=== ${s} ===`);

/** Runs a command with its output shown live and also captured. */
function runShown(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('close', (code) => resolve({ code, out }));
  });
}

function environment() {
  const version = (cmd, args, re) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return re.exec((r.stdout ?? '') + (r.stderr ?? ''))?.[1] ?? 'missing';
  };
  const pkg = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
    undici: pkg('undici'),
    hdrHistogramJs: pkg('hdr-histogram-js'),
    autocannon: pkg('autocannon'),
    wrk: version('wrk', ['--version'], /wrk (\S+)/),
    commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim(),
  };
}

function ensureWrk() {
  if (spawnSync('wrk', ['--version']).error === undefined) return true;
  log('wrk is not installed; trying `apt-get install -y wrk` (Debian package)…');
  const r = spawnSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'inherit' });
  return r.status === 0;
}

const opts = parseArgs(process.argv.slice(2));
const want = (s) => opts.only.includes(s);
const report = { environment: environment(), options: opts };
const t0 = Date.now();
log(`z6 bench — ${report.environment.cpu}, Node ${report.environment.node}, load avg ${loadAverage()}, commit ${report.environment.commit}`);

if (want('validate')) {
  heading('scenario validation (bench/validate-bench.ts)');
  report.validate = await runShown('npx', ['tsx', 'bench/validate-bench.ts']);
}

if (want('server')) {
  heading('language server (bench/server-bench.ts)');
  // With the V8 flag the language server itself runs with (client/languageClient.ts), so the figures are what editors get.
  if (existsSync(join(root, 'bench/server-bench.ts'))) report.server = await runShown(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', 'bench/server-bench.ts']);
  else log('bench/server-bench.ts is not there yet; skipped.');
}

if (want('engine') || want('memory') || want('templates') || want('events') || want('panel') || want('workers')) {
  // Measure the engine (and the renderer bundle) as they are in the tree now.
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) {
    console.error('bench: the build failed');
    process.exit(1);
  }
}
const workDir = join(root, 'bench/results/work');
mkdirSync(workDir, { recursive: true });

if (want('engine')) {
  heading(`engine: z6 vs autocannon vs wrk (${opts.reps} × ${opts.seconds} s per configuration)`);
  if (!ensureWrk()) log('wrk unavailable: its runs will fail.');
  const engine = await runEngineBench({
    root,
    workDir,
    reps: opts.reps,
    seconds: opts.seconds,
    connections: [10, 100],
    baseline: opts.baseline,
    // Bounded: a busy machine costs at most this many re-runs and this long a wait per run.
    retryBudget: opts.quick ? 2 : 8,
    maxAttempts: 2,
    quietMaxWaitMs: opts.quick ? 5_000 : 15_000,
    log,
  });
  report.engine = engine;
  log('\n' + engineTable(engine.summary));
}

if (want('memory')) {
  heading(`memory: RSS of ${opts.vus.toLocaleString('en-US')} idle VUs vs 1 VU`);
  report.memory = await runMemoryBench({ root, workDir, vus: opts.vus, seconds: 8, settleMs: 1500, log });
  log(memoryText(report.memory));
}

if (want('templates')) {
  heading(`templates: static vs templated path + header vs extract-and-reuse flow, side by side (${opts.reps * 2} × ${opts.seconds} s)`);
  // More repetitions than the engine comparison: the ratio of two close figures needs them.
  report.templates = await runTemplatesBench({ root, workDir, reps: opts.reps * 2, seconds: opts.seconds, vus: 10, log });
  log(templatesText(report.templates.summary));
}

if (want('events')) {
  heading(`event log: z6 without and with --events, interleaved (${opts.reps} × ${opts.seconds} s per configuration)`);
  report.events = await runEventsBench({
    root, workDir, reps: opts.reps, seconds: opts.seconds, connections: [10, 100], abBuild: opts.abBuild,
    quietMaxWaitMs: opts.quick ? 5_000 : 15_000, log,
  });
  log('\n' + eventsTable(report.events.summary, report.events.sideBySide));
}

if (want('panel')) {
  heading('results panel: a one-hour run rendered, and hours of live updates (bench/panel-bench.ts, chromium)');
  // --quick: 3 renders and one hour live; otherwise 7 renders, and one hour then four hours live.
  const figures = join(workDir, 'panel.json');
  const panel = await runShown(process.execPath, ['--import', 'tsx', 'bench/panel-bench.ts', '--reps', opts.quick ? '3' : '7', '--hours', opts.quick ? '1' : '1,4', '--out', figures]);
  report.panel = panel.code === 0 ? JSON.parse(readFileSync(figures, 'utf8')) : panel;
}

if (want('workers')) {
  heading(`workers: z6 run --workers 1 / 2 / auto and 2 segment processes, 100 VUs (${opts.reps} × ${opts.seconds} s each)`);
  report.workers = await runWorkersBench({ root, workDir, reps: opts.reps, seconds: opts.seconds, vus: 100, log });
  log('\n' + workersText(report.workers.summary));
}

writeFileSync(join(root, 'bench/results/last-run.json'), JSON.stringify(report, null, 2) + '\n');
log(`\nbench finished in ${((Date.now() - t0) / 1000).toFixed(0)} s; raw figures in bench/results/last-run.json`);
