/**
 * What a VU does next: which request, and how long it thinks afterwards. Each VU owns one
 * VuPlan drawing from its own PRNG stream, so its sequence of choices is a pure function of
 * (scenario, seed, VU index): it does not depend on response times or on other VUs.
 *
 * Per request the stream is consumed in a fixed order (one draw for the weighted choice when
 * there is no [sequence], then one draw for a random think time), so the same k-th request of
 * a VU always gets the same k-th decisions.
 */
import type { Scenario, SequenceStep, ThinkTime } from '../scenario/model';
import { Rng } from './prng';

/** Precomputed cumulative weights; shared, read-only, by every VU. */
export class WeightTable {
  readonly cumulative: Float64Array;
  readonly total: number;
  /** Request indices with weight > 0, in scenario order (parallel to cumulative). */
  readonly indices: Int32Array;

  constructor(weights: readonly number[]) {
    const idx: number[] = [];
    const cum: number[] = [];
    let sum = 0;
    weights.forEach((w, i) => {
      if (w > 0) {
        sum += w;
        idx.push(i);
        cum.push(sum);
      }
    });
    if (!(sum > 0)) throw new Error('the request weights sum to 0: at least one request needs a weight > 0');
    this.cumulative = Float64Array.from(cum);
    this.indices = Int32Array.from(idx);
    this.total = sum;
  }

  /** The request index for a uniform u in [0, 1). */
  pick(u: number): number {
    const x = u * this.total;
    const cum = this.cumulative;
    let lo = 0;
    let hi = cum.length - 1;
    // Binary search for the first cumulative weight > x (linear would do for a handful; this is O(log n) for 1000).
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.indices[lo]!;
  }

  /** Share of traffic of each request (0 for weight 0). */
  shares(count: number): number[] {
    const out = new Array<number>(count).fill(0);
    let prev = 0;
    for (let i = 0; i < this.indices.length; i++) {
      out[this.indices[i]!] = (this.cumulative[i]! - prev) / this.total;
      prev = this.cumulative[i]!;
    }
    return out;
  }
}

/** Everything the VU plans share: built once per run. */
export class PlanTables {
  readonly weights: WeightTable | undefined;
  readonly sequence: readonly SequenceStep[] | undefined;
  readonly think: ThinkTime;

  constructor(scenario: Scenario) {
    this.sequence = scenario.sequence && scenario.sequence.length > 0 ? scenario.sequence : undefined;
    this.weights = this.sequence ? undefined : new WeightTable(scenario.requests.map((r) => r.weight));
    this.think = scenario.thinkTime;
  }

  /** Expected share of each request: from the weights, or from the repeats of the sequence. */
  mix(requestCount: number): number[] {
    if (this.weights) return this.weights.shares(requestCount);
    const out = new Array<number>(requestCount).fill(0);
    let total = 0;
    for (const s of this.sequence!) total += s.repeat;
    for (const s of this.sequence!) out[s.requestIndex]! += s.repeat / total;
    return out;
  }
}

export class VuPlan {
  private readonly rng: Rng;
  private readonly tables: PlanTables;
  private step = 0;
  private repeatLeft: number;
  /** Think time (ms) after the request last returned by next(). */
  thinkMs = 0;
  /** Completed iterations: requests without a sequence, whole passes with one. */
  iterations = 0;
  /** The iteration (0-based) that the request last returned by next() belongs to (templates' `iteration`). */
  iteration = 0;
  /** The request last returned by next() is the first of its iteration (a new pass of the sequence). */
  passStart = true;

  constructor(tables: PlanTables, seed: number, vuIndex: number) {
    this.tables = tables;
    this.rng = new Rng(seed, vuIndex);
    this.repeatLeft = tables.sequence ? tables.sequence[0]!.repeat : 0;
  }

  /** The next request index; also sets thinkMs and, at the end of an iteration, bumps iterations. */
  next(): number {
    let req: number;
    const seq = this.tables.sequence;
    this.iteration = this.iterations;
    if (seq === undefined) {
      req = this.tables.weights!.pick(this.rng.next());
      this.iterations++;
    } else {
      this.passStart = this.step === 0 && this.repeatLeft === seq[0]!.repeat;
      req = seq[this.step]!.requestIndex;
      if (--this.repeatLeft === 0) {
        this.step++;
        if (this.step === seq.length) {
          this.step = 0;
          this.iterations++;
        }
        this.repeatLeft = seq[this.step]!.repeat;
      }
    }
    return this.think(req);
  }

  /**
   * A failed check asked to skip the rest of this pass (on_fail = "skip_iteration"): the next
   * request is the first step again. Without a sequence every request is its own iteration.
   */
  skipPass(): void {
    const seq = this.tables.sequence;
    if (seq === undefined || (this.step === 0 && this.repeatLeft === seq[0]!.repeat)) return;
    this.step = 0;
    this.repeatLeft = seq[0]!.repeat;
    this.iterations++;
  }

  private think(req: number): number {
    const t = this.tables.think;
    if (t.type === 'none') this.thinkMs = 0;
    else if (t.type === 'constant') this.thinkMs = t.durationMs;
    else this.thinkMs = t.minMs + Math.floor(this.rng.next() * (t.maxMs - t.minMs + 1));
    return req;
  }
}
