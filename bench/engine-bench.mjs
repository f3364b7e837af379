/**
 * The engine comparison: z6, autocannon and wrk side by side against the same loopback target
 * (bench/target-server.mjs on CPU 0, each generator on CPU 1), at each connection count, each
 * configuration repeated with a rotating tool order, every run gated on foreign CPU
 * (performance.md §1): wait until the machine is quiet, measure other processes' CPU during
 * the run, and retry a run they disturbed (> 10 % of a core), keeping the cleanest attempt.
 *
 * Figures are medians over the clean runs (all runs when none was clean); ratios are medians of
 * per-repetition ratios (each against the z6 run of the same repetition), so slow drift of the
 * machine cancels out.
 */
import { join } from 'node:path';
import { BASELINE, TOOLS, runGenerator } from './lib/generators.mjs';
import { foreignCores, loadAverage, processCpu, snapshot, waitQuiet } from './lib/proc.mjs';
import { startTarget } from './lib/target.mjs';

/** Foreign CPU above this (cores) marks a run as disturbed. */
export const FOREIGN_LIMIT = 0.10;

export function median(xs) {
  const a = xs.filter((x) => Number.isFinite(x)).sort((p, q) => p - q);
  if (a.length === 0) return NaN;
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

/**
 * @param {{ root: string, workDir: string, reps: number, seconds: number, connections: number[],
 *           retryBudget: number, maxAttempts: number, quietMaxWaitMs: number, baseline?: boolean, log: (s: string) => void }} o
 */
export async function runEngineBench(o) {
  const tools = o.baseline ? [...TOOLS, BASELINE] : TOOLS;
  const target = await startTarget(o.root);
  const runs = [];
  let retriesLeft = o.retryBudget;
  try {
    o.log(`target 127.0.0.1:${target.port} (pid ${target.pid}, CPU 0); generators on CPU 1; ${o.reps} × ${o.connections.length} × ${tools.length} runs of ${o.seconds} s`);
    for (let rep = 0; rep < o.reps; rep++) {
      for (let ci = 0; ci < o.connections.length; ci++) {
        const c = o.connections[ci];
        // Rotate the order so no tool always runs first (or right after another one).
        const shift = (rep + ci) % tools.length;
        const order = [...tools.slice(shift), ...tools.slice(0, shift)];
        for (const tool of order) {
          let best;
          for (let attempt = 0; ; attempt++) {
            const quiet = await waitQuiet({ ourPids: [target.pid], maxWaitMs: o.quietMaxWaitMs });
            const load = loadAverage();
            const a = snapshot([target.pid]);
            const targetCpu0 = processCpu(target.pid);
            const r = await runGenerator(tool, { root: o.root, port: target.port, connections: c, seconds: o.seconds, workDir: join(o.workDir, 'engine') });
            const b = snapshot([target.pid]);
            // Target CPU over the generator's run (wall incl. its start-up): ~1 core = target-bound.
            const targetCores = (processCpu(target.pid) - targetCpu0) / r.wallSec;
            const run = {
              ...r,
              rep,
              attempt,
              load,
              quietBefore: quiet.quiet,
              foreignCores: foreignCores(a, b, r.cpuSec),
              targetCores,
              stealCores: (b.steal - a.steal) / (b.wall - a.wall),
              cpuUsPerRequest: r.requests ? (r.cpuSec / r.requests) * 1e6 : NaN,
            };
            run.clean = run.foreignCores <= FOREIGN_LIMIT;
            if (!best || run.foreignCores < best.foreignCores) best = run;
            o.log(
              `  rep ${rep + 1} c=${String(c).padEnd(3)} ${tool.padEnd(10)} ${fmtInt(run.rps).padStart(7)} req/s  p99 ${fmtMs(run.p99Ms).padStart(7)}  ` +
                `CPU ${run.cpuUsPerRequest.toFixed(1)} µs/req  target ${(targetCores * 100).toFixed(0)} % CPU  foreign ${run.foreignCores.toFixed(2)} cores  load ${load}` +
                (run.errors ? `  ${run.errors} errors` : '') +
                (run.clean ? '' : retriesLeft > 0 && attempt + 1 < o.maxAttempts ? '  (disturbed, retrying)' : '  (disturbed, kept)'),
            );
            if (run.clean || retriesLeft <= 0 || attempt + 1 >= o.maxAttempts) break;
            retriesLeft--;
          }
          runs.push(best);
        }
      }
    }
  } finally {
    await target.close();
  }
  return { runs, summary: summarize(runs, o.connections, tools) };
}

/** Medians per (c, tool), and per-repetition ratios against z6. */
export function summarize(runs, connections, tools = TOOLS) {
  const rows = [];
  for (const c of connections) {
    const at = runs.filter((r) => r.connections === c);
    const z6ByRep = new Map(at.filter((r) => r.tool === 'z6').map((r) => [r.rep, r]));
    for (const tool of tools) {
      const mine = at.filter((r) => r.tool === tool);
      const clean = mine.filter((r) => r.clean);
      // Medians over the clean runs when there are any: one disturbed run can be off by 2× here.
      const use = clean.length >= 1 ? clean : mine;
      const paired = use.filter((r) => z6ByRep.has(r.rep));
      // autocannon's latency histogram has 1 ms buckets: a loopback p99 under 1 ms reads 0.
      const p99Known = (r) => !(r.tool === 'autocannon' && r.p99Ms === 0);
      rows.push({
        connections: c,
        tool,
        runs: mine.length,
        cleanRuns: clean.length,
        rps: median(use.map((r) => r.rps)),
        p99Ms: median(use.map((r) => r.p99Ms)),
        p50Ms: median(use.map((r) => r.p50Ms)),
        cpuUsPerRequest: median(use.map((r) => r.cpuUsPerRequest)),
        maxRssMb: median(use.map((r) => r.maxRssKb / 1024)),
        errors: use.reduce((s, r) => s + (r.errors ?? 0), 0),
        rpsVsZ6: median(paired.map((r) => r.rps / z6ByRep.get(r.rep).rps)),
        p99VsZ6: median(paired.filter(p99Known).map((r) => r.p99Ms / z6ByRep.get(r.rep).p99Ms)),
        p99BelowResolution: use.some((r) => !p99Known(r)),
        cpuVsZ6: median(paired.map((r) => r.cpuUsPerRequest / z6ByRep.get(r.rep).cpuUsPerRequest)),
        foreignCores: median(use.map((r) => r.foreignCores)),
        targetCores: median(use.map((r) => r.targetCores)),
        loads: use.map((r) => r.load),
      });
    }
    const ac = new Map(at.filter((r) => r.tool === 'autocannon').map((r) => [r.rep, r]));
    const z6Row = rows.find((r) => r.connections === c && r.tool === 'z6');
    const pairs = [...z6ByRep.values()].filter((r) => ac.has(r.rep));
    z6Row.z6VsAutocannon = median(pairs.map((r) => r.rps / ac.get(r.rep).rps));
    // Requests per CPU-second, z6 ÷ autocannon: what the req/s ratio would be if both were
    // generator-bound. Steadier than req/s on a shared machine, where neighbours move the rate.
    z6Row.z6EfficiencyVsAutocannon = median(pairs.map((r) => ac.get(r.rep).cpuUsPerRequest / r.cpuUsPerRequest));
    z6Row.verdictDisturbed = !pairs.some((r) => r.clean && ac.get(r.rep).clean);
  }
  return rows;
}

export const fmtInt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
export const fmtMs = (x) => (Number.isFinite(x) ? (x < 1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(1)) + ' ms' : '–');
const fmtRatio = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');

/** The summary table as Markdown (printed, and pasted into docs/performance.md). */
export function engineTable(rows) {
  const out = [
    '| c | tool | req/s (median) | ÷ z6 | p99 | ÷ z6 | gen CPU µs/req | ÷ z6 | target CPU | gen max RSS MB | clean runs | foreign CPU (cores) | load avg (1 min) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    out.push(
      `| ${r.connections} | ${r.tool} | ${fmtInt(r.rps)} | ${fmtRatio(r.rpsVsZ6)} | ${r.p99BelowResolution && !(r.p99Ms > 0) ? '< 1 ms' : fmtMs(r.p99Ms)} | ${fmtRatio(r.p99VsZ6)} | ` +
        `${r.cpuUsPerRequest.toFixed(1)} | ${fmtRatio(r.cpuVsZ6)} | ${(r.targetCores * 100).toFixed(0)} % | ${r.maxRssMb.toFixed(0)} | ${r.cleanRuns}/${r.runs} | ${r.foreignCores.toFixed(2)} | ${r.loads.join(', ')} |`,
    );
  }
  const verdicts = rows
    .filter((r) => r.tool === 'z6')
    .map(
      (r) =>
        `c=${r.connections}: z6 ÷ autocannon req/s = ${fmtRatio(r.z6VsAutocannon)} (target ≥ 0.85: ${r.z6VsAutocannon >= 0.85 ? 'met' : 'NOT met'}); ` +
        `requests per CPU-second z6 ÷ autocannon = ${fmtRatio(r.z6EfficiencyVsAutocannon)}` +
        (r.verdictDisturbed ? ' — NOT CONCLUSIVE: no repetition had both runs clean (other processes were busy); run again when the machine is quiet' : ''),
    );
  return out.join('\n') + '\n\n' + verdicts.join('\n');
}
