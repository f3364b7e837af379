/**
 * `z6 plan`: what a run would do, without sending anything. The load over time, the expected
 * request mix, the duration, and a plan hash over the first decisions of every VU stream, so
 * two runs with the same seed can be seen to make the same choices.
 */
import { createHash } from 'node:crypto';
import type { Scenario } from '../scenario/model';
import { PlanTables, VuPlan } from './choice';
import { previewRequests, type RenderedRequest } from '../templates/preview';
import { usesTemplates } from '../templates/request';
import { ArrivalCurve, arrivalRate, breakpoints, modelOf, ownLength, peakOf, targetVus, type Model } from './schedule';
import { describeSimulation } from '../sim/describe';

/** Decisions per VU stream that go into the plan hash. */
export const HASH_DECISIONS = 64;
/** VU streams that go into the plan hash (the first ones; a 100 k VU scenario stays quick). */
export const HASH_STREAMS = 1024;

export interface PlanPoint {
  t: number;
  /** Target VUs (closed) or arrivals per second (open). */
  value: number;
}

export interface PlanPreview {
  seed: number;
  model: Model;
  scheduleType: string;
  /** null when the run ends by iterations only. */
  durationSeconds: number | null;
  scheduleLengthSeconds: number | null;
  peak: number;
  iterations?: number;
  timeline: PlanPoint[];
  /** Open model: the arrivals the schedule starts over the run. */
  expectedArrivals?: number;
  mix: { name: string; method: string; path: string; share: number }[];
  think: string;
  /** First requests of VU 0 (in the open model, of the arrival stream: arrival k makes choice k), by name. */
  firstRequests: string[];
  /** With templates: the first requests of the first VUs as they would be sent, secrets as ***. */
  rendered?: RenderedRequest[];
  /** The [[data]] files: how rows are drawn and how many there are (when the file was opened). */
  data?: { file: string; mode: string; rows?: number }[];
  /** A simulated target (sim://): what it is and how it answers, in words. */
  simulation?: string[];
  hash: string;
}

export interface PlanOptions {
  /** The environment for env.NAME (the CLI's); its values are shown masked. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Rendered preview: the first PREVIEW_REQUESTS requests of each of the first PREVIEW_VUS VUs. */
export const PREVIEW_VUS = 2;
export const PREVIEW_REQUESTS = 3;

/** Decisions of one stream: request index and think time, K times. */
export function streamDecisions(tables: PlanTables, seed: number, stream: number, k: number): Int32Array {
  const p = new VuPlan(tables, seed, stream);
  const out = new Int32Array(2 * k);
  for (let i = 0; i < k; i++) {
    out[2 * i] = p.next();
    out[2 * i + 1] = p.thinkMs;
  }
  return out;
}

export function planHash(scenario: Scenario, seed: number): string {
  const tables = new PlanTables(scenario);
  const h = createHash('sha256');
  h.update(JSON.stringify({ scenario: scenario.source.hash, seed, schedule: scenario.schedule, duration: scenario.runtime.durationSeconds ?? null, iterations: scenario.runtime.iterations ?? null }));
  const streams = modelOf(scenario.schedule) === 'open' ? 1 : Math.min(HASH_STREAMS, Math.max(1, peakOf(scenario.schedule)));
  for (let v = 0; v < streams; v++) {
    const d = streamDecisions(tables, seed, v, HASH_DECISIONS);
    h.update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  }
  return h.digest('hex');
}

function thinkText(s: Scenario): string {
  const t = s.thinkTime;
  if (t.type === 'none') return 'none';
  if (t.type === 'constant') return `${t.durationMs} ms after each response`;
  return `uniform ${t.minMs}..${t.maxMs} ms after each response (seeded)`;
}

export function buildPlan(scenario: Scenario, seed: number, opts: PlanOptions = {}): PlanPreview {
  const s = scenario.schedule;
  const model = modelOf(s);
  const duration = scenario.runtime.durationSeconds ?? null;
  const level = (t: number) => (model === 'open' ? arrivalRate(s, t) : targetVus(s, t));
  const span = duration ?? ownLength(s) ?? 0;
  // Sample at every breakpoint and at ~20 even steps in between, so ramps show their slope.
  const pts = new Set<number>(breakpoints(s, span));
  const step = span > 0 ? Math.max(1, Math.ceil(span / 20)) : 1;
  for (let t = 0; t < span; t += step) pts.add(t);
  const timeline = [...pts]
    .sort((a, b) => a - b)
    .map((t) => ({ t, value: round2(level(Math.min(t, Math.max(0, span - 1e-9)))) }));
  const tables = new PlanTables(scenario);
  const shares = tables.mix(scenario.requests.length);
  const first = streamDecisions(tables, seed, 0, 12);
  const firstRequests: string[] = [];
  for (let i = 0; i < first.length; i += 2) firstRequests.push(scenario.requests[first[i]!]!.name);
  return {
    seed,
    model,
    scheduleType: s.type,
    durationSeconds: duration,
    scheduleLengthSeconds: ownLength(s) ?? null,
    peak: peakOf(s),
    iterations: scenario.runtime.iterations,
    timeline,
    expectedArrivals: model === 'open' && duration !== null ? Math.ceil(new ArrivalCurve(s).count(duration)) : undefined,
    mix: scenario.requests.map((r, i) => ({ name: r.name, method: r.method, path: r.path, share: shares[i]! })),
    // The open model starts requests at the scheduled rate; a VU's think time does not apply.
    think: model === 'open' ? 'not used in the open model (arrivals follow the rate)' : thinkText(scenario),
    firstRequests,
    rendered: usesTemplates(scenario) ? previewRequests(scenario, seed, opts.env, PREVIEW_VUS, PREVIEW_REQUESTS) : undefined,
    data: scenario.data.length > 0 ? scenario.data.map((d) => ({ file: d.name, mode: d.mode, rows: d.source?.rowCount })) : undefined,
    simulation: scenario.simulation ? describeSimulation(scenario.simulation, scenario.requests.map((r) => r.name)) : undefined,
    hash: planHash(scenario, seed),
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The preview as text: a small table with a bar per row, then the mix. */
export function formatPlan(p: PlanPreview, name?: string): string {
  const unit = p.model === 'open' ? 'arrivals/s' : 'VUs';
  const lines: string[] = [];
  lines.push(`Plan${name ? ` for ${name}` : ''} (seed ${p.seed})`);
  lines.push(`  model      ${p.model} (${p.scheduleType}), peak ${p.peak} ${p.model === 'open' ? 'in flight' : 'VUs'}`);
  for (const [i, l] of (p.simulation ?? []).entries()) lines.push(`  ${i === 0 ? 'target    ' : '          '} ${l}`);
  lines.push(
    `  duration   ${p.durationSeconds === null ? `until each VU has done ${p.iterations} iterations` : `${p.durationSeconds} s`}` +
      (p.iterations && p.durationSeconds !== null ? `, or ${p.iterations} iterations per VU if sooner` : ''),
  );
  if (p.expectedArrivals !== undefined) lines.push(`  arrivals   ${p.expectedArrivals} expected over the run`);
  lines.push(`  think time ${p.think}`);
  lines.push('', `  time       ${unit}`);
  const max = Math.max(1, ...p.timeline.map((x) => x.value));
  for (const pt of p.timeline) {
    const bar = '█'.repeat(Math.round((pt.value / max) * 40));
    lines.push(`  ${fmtTime(pt.t).padStart(8)}  ${String(pt.value).padStart(8)}  ${bar}`);
  }
  lines.push('', '  request mix (expected share)');
  const w = Math.max(4, ...p.mix.map((m) => m.name.length));
  for (const m of p.mix) {
    lines.push(`  ${m.name.padEnd(w)}  ${(m.share * 100).toFixed(1).padStart(5)} %  ${m.method} ${m.path}`);
  }
  lines.push('', `  first requests of ${p.model === 'open' ? 'the arrival stream' : 'VU 0'}: ${p.firstRequests.join(', ')}`);
  for (const d of p.data ?? []) {
    const how = d.mode === 'sequential' || d.mode === 'unique' ? 'one cursor for all VUs: in a run they take rows in the order they reach it; shown here VU after VU'
      : d.mode === 'per_vu' && p.model === 'open' ? 'the in-flight slot\'s row: which slot an arrival gets depends on timing'
        : 'a pure function of seed, VU and iteration';
    lines.push(`  data       ${d.file}: ${d.mode}${d.rows !== undefined ? `, ${d.rows} rows` : ''} (${how})`);
  }
  if (p.rendered) {
    lines.push('', `  first rendered requests (secrets as ***)`);
    for (const r of p.rendered) {
      lines.push(`  ${p.model === 'open' ? `arrival ${r.vu}` : `VU ${r.vu} it ${r.iteration}`}  ${r.name}: ${r.missing ? `not sent: ${r.missing.replace(/^not sent: /, '')}` : `${r.method} ${r.path}`}`);
      for (const d of r.rows ?? []) lines.push(`      row ${d.row} of ${d.file}: ${Object.entries(d.values).map(([k, v]) => `${k}=${v}`).join(', ')}`);
      for (const [k, v] of Object.entries(r.headers)) lines.push(`      ${k}: ${v}`);
      if (r.body !== undefined) lines.push(`      body: ${r.body.replace(/\n/g, '\\n')}`);
    }
  }
  lines.push(`  plan hash  ${p.hash}`);
  return lines.join('\n');
}

function fmtTime(t: number): string {
  if (t < 60) return `${round2(t)}s`;
  const m = Math.floor(t / 60);
  const s = Math.round(t - m * 60);
  return `${m}m${String(s).padStart(2, '0')}s`;
}
