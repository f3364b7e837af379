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
import { globalIndex, isWhole, ownedCount, shareOf, WHOLE, type Segment } from '../segments/segment';
import { describeSimulation } from '../sim/describe';
import { SegmentArrivals } from '../segments/arrivals';

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
  /** The whole plan's hash (the same in every segment's preview). */
  hash: string;
  /** With a segment: which, and its part of the hash (the parts of all segments add up to the whole's). */
  segment?: { index: number; count: number; hashPart: string };
}

export interface PlanOptions {
  /** The environment for env.NAME (the CLI's); its values are shown masked. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Preview one segment of the plan: its VUs or arrivals (engine/segments/). */
  segment?: Segment;
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

/** Open model: arrivals whose choices go into the plan hash (arrival k makes choice k of stream 0). */
export const HASH_ARRIVALS = 1024;
const MOD = 1n << 256n;

/**
 * The plan hash is built so that segments combine into it (docs/segments.md): every unit of the
 * plan — a VU's first HASH_DECISIONS decisions (closed model), or one arrival's choice (open) — has
 * its own digest, sha256 of its global index and its decisions; their sum mod 2²⁵⁶ does not depend
 * on order or on how the units are split, so the parts of n segments add up to the whole plan's sum.
 * The hash is sha256 of the plan's header (scenario, seed, schedule, duration) and that sum.
 */
export interface PlanHashParts {
  /** sha256 of the header, hex. */
  header: string;
  /** The sum of the units' digests that the segment owns, 64 hex digits. */
  part: string;
}

function unitDigest(kind: 'vu' | 'arrival', index: number, decisions: Int32Array): bigint {
  const h = createHash('sha256');
  h.update(`${kind}:${index}:`);
  h.update(new Uint8Array(decisions.buffer, decisions.byteOffset, decisions.byteLength));
  return BigInt('0x' + h.digest('hex'));
}

const hex256 = (n: bigint) => n.toString(16).padStart(64, '0');

export function planHashParts(scenario: Scenario, seed: number, segment: Segment = WHOLE): PlanHashParts {
  const tables = new PlanTables(scenario);
  const header = createHash('sha256')
    .update(JSON.stringify({ scenario: scenario.source.hash, seed, schedule: scenario.schedule, duration: scenario.runtime.durationSeconds ?? null, iterations: scenario.runtime.iterations ?? null }))
    .digest('hex');
  let sum = 0n;
  if (modelOf(scenario.schedule) === 'open') {
    // The arrivals the runner gives this segment, with the choices it makes them.
    const choice = new Int32Array(1);
    for (const a = new SegmentArrivals(new ArrivalCurve(scenario.schedule), new VuPlan(tables, seed, 0), segment); a.k < HASH_ARRIVALS; a.advance()) {
      choice[0] = a.req;
      sum += unitDigest('arrival', a.k, choice);
    }
  } else {
    const streams = Math.min(HASH_STREAMS, Math.max(1, peakOf(scenario.schedule)));
    for (let v = segment.index; v < streams; v += segment.count) sum += unitDigest('vu', v, streamDecisions(tables, seed, v, HASH_DECISIONS));
  }
  return { header, part: hex256(sum % MOD) };
}

/** The plan hash from the header and the parts of every segment (any order). */
export function combinePlanHash(header: string, parts: readonly string[]): string {
  const sum = parts.reduce((acc, p) => (acc + BigInt('0x' + p)) % MOD, 0n);
  return createHash('sha256').update(header).update(hex256(sum)).digest('hex');
}

export function planHash(scenario: Scenario, seed: number): string {
  const whole = planHashParts(scenario, seed);
  return combinePlanHash(whole.header, [whole.part]);
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
  const seg = opts.segment ?? WHOLE;
  const level = (t: number) => (model === 'open' ? arrivalRate(s, t) / seg.count : ownedCount(seg, targetVus(s, t)));
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
  // The segment's first VU (closed), or its first arrivals: arrival k makes choice k of stream 0 (open).
  const firstRequests: string[] = [];
  if (model === 'open') {
    const arrivals = new SegmentArrivals(new ArrivalCurve(s), new VuPlan(tables, seed, 0), seg);
    for (let j = 0; j < 12; j++, arrivals.advance()) firstRequests.push(scenario.requests[arrivals.req]!.name);
  } else {
    const first = streamDecisions(tables, seed, globalIndex(seg, 0), 12);
    for (let i = 0; i < first.length; i += 2) firstRequests.push(scenario.requests[first[i]!]!.name);
  }
  const hash = planHashParts(scenario, seed, seg);
  const whole = isWhole(seg) ? hash : planHashParts(scenario, seed);
  return {
    seed,
    model,
    scheduleType: s.type,
    durationSeconds: duration,
    scheduleLengthSeconds: ownLength(s) ?? null,
    peak: model === 'open' ? shareOf(seg, peakOf(s)) : ownedCount(seg, peakOf(s)),
    iterations: scenario.runtime.iterations,
    timeline,
    expectedArrivals: model === 'open' && duration !== null ? ownedCount(seg, Math.ceil(new ArrivalCurve(s).count(duration))) : undefined,
    mix: scenario.requests.map((r, i) => ({ name: r.name, method: r.method, path: r.path, share: shares[i]! })),
    // The open model starts requests at the scheduled rate; a VU's think time does not apply.
    think: model === 'open' ? 'not used in the open model (arrivals follow the rate)' : thinkText(scenario),
    firstRequests,
    rendered: usesTemplates(scenario) ? previewRequests(scenario, seed, opts.env, PREVIEW_VUS, PREVIEW_REQUESTS, seg) : undefined,
    data: scenario.data.length > 0 ? scenario.data.map((d) => ({ file: d.name, mode: d.mode, rows: d.source?.rowCount })) : undefined,
    simulation: scenario.simulation ? describeSimulation(scenario.simulation, scenario.requests.map((r) => r.name)) : undefined,
    hash: combinePlanHash(whole.header, [whole.part]),
    segment: isWhole(seg) ? undefined : { index: seg.index, count: seg.count, hashPart: hash.part },
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The preview as text: a small table with a bar per row, then the mix. */
export function formatPlan(p: PlanPreview, name?: string): string {
  const unit = p.model === 'open' ? 'arrivals/s' : 'VUs';
  const lines: string[] = [];
  lines.push(`Plan${name ? ` for ${name}` : ''} (seed ${p.seed})`);
  if (p.segment) lines.push(`  segment    ${p.segment.index}/${p.segment.count}: the ${p.model === 'open' ? 'arrivals' : 'VUs'} ${p.segment.index}, ${p.segment.index + p.segment.count}, ${p.segment.index + 2 * p.segment.count}, … of the plan (figures below are this segment's)`);
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
  const firstOf = p.model === 'open' ? (p.segment ? "this segment's arrivals" : 'the arrival stream') : `VU ${p.segment?.index ?? 0}`;
  lines.push('', `  first requests of ${firstOf}: ${p.firstRequests.join(', ')}`);
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
  if (p.segment) lines.push(`  hash part  ${p.segment.hashPart} (this segment's; the parts of all ${p.segment.count} segments add up to the whole plan's)`);
  return lines.join('\n');
}

function fmtTime(t: number): string {
  if (t < 60) return `${round2(t)}s`;
  const m = Math.floor(t / 60);
  const s = Math.round(t - m * 60);
  return `${m}m${String(s).padStart(2, '0')}s`;
}
