/**
 * What the event log costs (issue 11): the engine-bench load (constant VUs, one GET, no think
 * time, against bench/target-server.mjs on CPU 0) run by z6 on CPU 1 without and with
 * `--events`, interleaved in one session with the order rotated, each run gated on foreign CPU
 * as the engine bench does. Optionally a third variant, another build's z6 without the log (e.g.
 * a checkout of main: `--ab-build DIR`), shows that a run without the log costs what it did.
 *
 * Figures per run: requests/s (the results' rps), z6's CPU per request (user + sys of the whole
 * process from /usr/bin/time — compression runs in zlib's thread pool, so it counts), p99, and
 * the log's bytes per request (file size ÷ requests). Ratios are medians of per-repetition
 * ratios against the run without the log.
 *
 * Then the variants run side by side, at the same time on the same CPU (as the templates bench
 * does): they share the core, so requests/s say little, but whatever else the machine does hits
 * them alike, and the ratio of their CPU per request (the results' own CPU figure, start-up
 * excluded) holds on a busy machine.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, fmtInt, fmtMs } from './engine-bench.mjs';
import { engineScenario, GENERATOR_CPU, runCommand } from './lib/generators.mjs';
import { foreignCores, loadAverage, snapshot, waitQuiet } from './lib/proc.mjs';
import { startTarget } from './lib/target.mjs';

const FOREIGN_LIMIT = 0.1;
export const NO_LOG = 'no log';
export const LOG = 'event log';
export const AB = 'other build, no log';

/**
 * @param {{ root: string, workDir: string, reps: number, seconds: number, connections: number[],
 *           abBuild?: string, quietMaxWaitMs: number, log: (s: string) => void }} o
 */
export async function runEventsBench(o) {
  const variants = [NO_LOG, LOG, ...(o.abBuild ? [AB] : [])];
  const target = await startTarget(o.root);
  const runs = [];
  const together = [];
  try {
    o.log(`target 127.0.0.1:${target.port} (CPU 0); z6 on CPU ${GENERATOR_CPU}; ${o.reps} × ${o.connections.length} × ${variants.length} runs of ${o.seconds} s` +
      (o.abBuild ? `; other build: ${o.abBuild}` : ''));
    for (let rep = 0; rep < o.reps; rep++) {
      for (const [ci, c] of o.connections.entries()) {
        const file = join(o.workDir, `events-c${c}.z6.toml`);
        writeFileSync(file, engineScenario({ port: target.port, vus: c, seconds: o.seconds }));
        const shift = (rep + ci) % variants.length;
        for (const variant of [...variants.slice(shift), ...variants.slice(0, shift)]) {
          let best;
          // One re-run when other processes disturbed it; the cleaner attempt is kept.
          for (let attempt = 0; attempt < 2; attempt++) {
            await waitQuiet({ ourPids: [target.pid], maxWaitMs: o.quietMaxWaitMs });
            const load = loadAverage();
            const a = snapshot([target.pid]);
            const r = await runZ6(o, variant, file, c);
            const b = snapshot([target.pid]);
            const run = { ...r, rep, connections: c, variant, load, foreignCores: foreignCores(a, b, r.cpuSec) };
            run.clean = run.foreignCores <= FOREIGN_LIMIT;
            if (!best || run.foreignCores < best.foreignCores) best = run;
            o.log(`  rep ${rep + 1} c=${String(c).padEnd(3)} ${variant.padEnd(19)} ${fmtInt(run.rps).padStart(7)} req/s  CPU ${run.cpuUsPerRequest.toFixed(2)} µs/req  ` +
              `p99 ${fmtMs(run.p99Ms)}` + (run.logBytes ? `  log ${(run.logBytes / run.requests).toFixed(1)} B/req` : '') +
              `  foreign ${run.foreignCores.toFixed(2)} cores  load ${load}${run.clean ? '' : attempt === 0 ? '  (disturbed, retrying)' : '  (disturbed, kept)'}`);
            if (run.clean) break;
          }
          runs.push(best);
        }
      }
    }
    o.log('side by side, at once on the same CPU:');
    for (let rep = 0; rep < o.reps; rep++) {
      await waitQuiet({ ourPids: [target.pid], maxWaitMs: o.quietMaxWaitMs });
      const load = loadAverage();
      const c = o.connections[0];
      const file = join(o.workDir, `events-c${c}.z6.toml`);
      writeFileSync(file, engineScenario({ port: target.port, vus: c, seconds: o.seconds }));
      const both = await Promise.all(variants.map((v) => runZ6(o, v, file, c, true)));
      both.forEach((r, i) => {
        together.push({ ...r, rep, variant: variants[i], load });
        o.log(`  rep ${rep + 1} c=${c} ${variants[i].padEnd(19)} ${fmtInt(r.rps).padStart(7)} req/s  CPU ${r.selfCpuUsPerRequest.toFixed(2)} µs/req (run only)  load ${load}`);
      });
    }
  } finally {
    await target.close();
  }
  return { runs, together, summary: summarize(runs, o.connections, variants), sideBySide: sideBySide(together, variants) };
}

/** Per variant: its CPU per request ÷ the no-log run's at the same moment, median over repetitions. */
function sideBySide(together, variants) {
  return variants.filter((v) => v !== NO_LOG).map((variant) => {
    const ratios = [...new Set(together.map((r) => r.rep))].map((rep) => {
      const mine = together.find((r) => r.rep === rep && r.variant === variant);
      const base = together.find((r) => r.rep === rep && r.variant === NO_LOG);
      return mine.selfCpuUsPerRequest / base.selfCpuUsPerRequest;
    });
    return { variant, cpuRatio: median(ratios), cpuRatios: ratios };
  });
}

async function runZ6(o, variant, file, c, together = false) {
  const bin = variant === AB ? join(o.abBuild, 'bin/z6.js') : join(o.root, 'bin/z6.js');
  const tag = `${variant.replace(/\W+/g, '-')}${together ? '-together' : ''}`;
  const logFile = join(o.workDir, `events-c${c}-${tag}.events.gz`);
  const timeFile = join(o.workDir, `time-events-${tag}.txt`);
  const argv = ['taskset', '-c', GENERATOR_CPU, '/usr/bin/time', '-o', timeFile, '-f', '%e %U %S %M',
    process.execPath, bin, 'run', file, '--json', '--quiet', ...(variant === LOG ? ['--events', logFile] : [])];
  const r = await runCommand(argv, { cwd: o.root });
  if (r.code !== 0) throw new Error(`z6 (${variant}) exited ${r.code ?? r.signal}:\n${r.stderr.slice(-2000)}`);
  const res = JSON.parse(r.stdout);
  const [wallSec, userSec, sysSec] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  const requests = res.totals.succeeded + res.totals.failed;
  return {
    rps: res.totals.rps,
    p99Ms: res.latency.p99,
    requests,
    cpuSec: userSec + sysSec,
    wallSec,
    cpuUsPerRequest: ((userSec + sysSec) / requests) * 1e6,
    // The results' own figure: the run only, without Node's start-up.
    selfCpuUsPerRequest: ((res.generator.cpuPercent / 100) * res.durationSeconds * 1e6) / requests,
    logBytes: variant === LOG ? statSync(logFile).size : undefined,
  };
}

function summarize(runs, connections, variants) {
  const rows = [];
  for (const c of connections) {
    const at = runs.filter((r) => r.connections === c);
    const base = new Map(at.filter((r) => r.variant === NO_LOG).map((r) => [r.rep, r]));
    for (const variant of variants) {
      const mine = at.filter((r) => r.variant === variant);
      const clean = mine.filter((r) => r.clean);
      const use = clean.length >= 2 ? clean : mine;
      const paired = mine.filter((r) => base.has(r.rep));
      rows.push({
        connections: c,
        variant,
        runs: mine.length,
        cleanRuns: clean.length,
        rps: median(use.map((r) => r.rps)),
        cpuUsPerRequest: median(use.map((r) => r.cpuUsPerRequest)),
        p99Ms: median(use.map((r) => r.p99Ms)),
        logBytesPerRequest: variant === LOG ? median(mine.map((r) => r.logBytes / r.requests)) : undefined,
        rpsRatio: median(paired.map((r) => r.rps / base.get(r.rep).rps)),
        rpsRatios: paired.map((r) => r.rps / base.get(r.rep).rps),
        cpuRatio: median(paired.map((r) => r.cpuUsPerRequest / base.get(r.rep).cpuUsPerRequest)),
        cpuRatios: paired.map((r) => r.cpuUsPerRequest / base.get(r.rep).cpuUsPerRequest),
        loads: mine.map((r) => r.load),
        foreign: median(mine.map((r) => r.foreignCores)),
      });
    }
  }
  return rows;
}

const f2 = (x) => (Number.isFinite(x) ? x.toFixed(3) : '–');

export function eventsTable(rows, side = []) {
  const out = [
    '| c | z6 | req/s (median) | ÷ no log | CPU µs/req | ÷ no log | p99 | log bytes/req | clean runs | foreign CPU | load avg (1 min) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    out.push(`| ${r.connections} | ${r.variant} | ${fmtInt(r.rps)} | ${f2(r.rpsRatio)} | ${r.cpuUsPerRequest.toFixed(2)} | ${f2(r.cpuRatio)} | ${fmtMs(r.p99Ms)} | ` +
      `${r.logBytesPerRequest === undefined ? '' : r.logBytesPerRequest.toFixed(1)} | ${r.cleanRuns}/${r.runs} | ${r.foreign.toFixed(2)} | ${r.loads.join(', ')} |`);
  }
  const verdicts = rows.filter((r) => r.variant !== NO_LOG).map((r) => r.variant === LOG
    ? `c=${r.connections}: with the log ÷ without, req/s ${f2(r.rpsRatio)} (${r.rpsRatios.map(f2).join(', ')}), CPU per request ${f2(r.cpuRatio)} (${r.cpuRatios.map(f2).join(', ')}); ` +
      `target: the log costs under 10 % — ${r.cpuRatio < 1.1 && r.rpsRatio > 0.9 ? 'met' : 'NOT met'}; ${r.logBytesPerRequest.toFixed(1)} bytes of log per request`
    : `c=${r.connections}: other build ÷ this build, both without the log: req/s ${f2(r.rpsRatio)} (${r.rpsRatios.map(f2).join(', ')}), CPU per request ${f2(r.cpuRatio)} (${r.cpuRatios.map(f2).join(', ')})`);
  for (const s of side) {
    verdicts.push(`side by side at once (c=${rows[0].connections}): ${s.variant} ÷ no log, CPU per request ${f2(s.cpuRatio)} (${s.cpuRatios.map(f2).join(', ')})`);
  }
  return out.join('\n') + '\n\n' + verdicts.join('\n');
}
