/**
 * The points the charts draw, as columns (one array per figure) that uPlot takes as they are.
 *
 * A finished run has one point per second: its results hold every sample anyway. A live run is
 * fed a sample per second for as long as it lasts, so what the panel holds must not grow with
 * it: a live series keeps at most `cap` points, and when it is full, merges neighbours in place
 * (each point then covers 2, 4, 8… seconds). Per point: rates are the mean over its whole
 * seconds; latency percentiles the highest of its seconds (percentiles cannot be averaged, and
 * the worst second is what a reader of a live chart looks for); active VUs the value at its end.
 * The arrays are reused from update to update, and memory and the cost of an update stop growing
 * once the cap is reached. The finished report shows every second again.
 */
import type { SecondSample } from '../../metrics/results-types';

/** An hour of seconds at full resolution: the "3,600 points per series". */
export const MAX_LIVE_POINTS = 3600;

export type Column = 'rps' | 'failures' | 'p50' | 'p95' | 'p99' | 'activeVus' | 'dropped';
/** Per-second counts: meaningless for a partial second, averaged over whole seconds. */
const RATES: readonly Column[] = ['rps', 'failures', 'dropped'];
/** The worst second of a point. */
const PEAKS: readonly Column[] = ['p50', 'p95', 'p99'];

/**
 * Whether sample i covers less than a second: it says so (`seconds`), or — in results written
 * before that field existed — it is the last one and the run ended less than a second after its
 * start (then its `rps` was extrapolated from the short window).
 */
export function isPartial(samples: readonly SecondSample[], i: number, durationSeconds?: number): boolean {
  const s = samples[i]!;
  if (s.seconds !== undefined) return s.seconds < 1;
  return i === samples.length - 1 && durationSeconds !== undefined && durationSeconds - s.t < 1;
}

function value(s: SecondSample, c: Column): number | null {
  switch (c) {
    case 'rps':
      return s.rps;
    case 'dropped':
      return s.dropped ?? null;
    default:
      return s[c];
  }
}

const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** Mean of two means weighted by their counts; null when neither has a value. */
function mean(a: number | null, wa: number, b: number | null, wb: number): number | null {
  if (a === null || wa === 0) return b === null || wb === 0 ? null : b;
  if (b === null || wb === 0) return a;
  return (a * wa + b * wb) / (wa + wb);
}

export class Series {
  /** Seconds since the start at each point's beginning: uPlot's x. */
  readonly x: number[] = [];
  readonly columns: Record<Column, (number | null)[]> = { rps: [], failures: [], p50: [], p95: [], p99: [], activeVus: [], dropped: [] };
  /** Seconds per point: 1 until a live series reaches its cap, then doubled at each merge. */
  span = 1;
  /** Some sample reported dropped arrivals (open model): the VU chart draws them. */
  hasDropped = false;
  /** Seconds each point has taken so far (the last one may be filling), and how many were whole. */
  private readonly seconds: number[] = [];
  private readonly whole: number[] = [];

  constructor(private readonly cap = Infinity) {
    if (Number.isFinite(cap) && (cap < 2 || cap % 2)) throw new Error(`a series cap must be an even number ≥ 2, got ${cap}`);
  }

  /** Every sample of a finished run, one point per second. */
  static of(samples: readonly SecondSample[], durationSeconds?: number): Series {
    const s = new Series();
    samples.forEach((sample, i) => s.push(sample, isPartial(samples, i, durationSeconds)));
    return s;
  }

  get length(): number {
    return this.x.length;
  }

  /** The point the legend shows with the cursor off the chart: the latest, unless it holds only a partial second. */
  get lastWholeIndex(): number {
    const n = this.x.length;
    return n > 1 && this.whole[n - 1] === 0 ? n - 2 : n - 1;
  }

  push(sample: SecondSample, partial = sample.seconds !== undefined && sample.seconds < 1): void {
    if (sample.dropped !== undefined) this.hasDropped = true;
    const n = this.x.length;
    if (n > 0 && this.seconds[n - 1]! < this.span) {
      this.addTo(n - 1, sample, partial);
      return;
    }
    if (n === this.cap) this.halve();
    this.x.push(sample.t);
    this.seconds.push(1);
    this.whole.push(partial ? 0 : 1);
    for (const c of Object.keys(this.columns) as Column[]) {
      this.columns[c].push(partial && RATES.includes(c) ? null : value(sample, c));
    }
  }

  /** One more second into the (last, filling) point i. */
  private addTo(i: number, sample: SecondSample, partial: boolean): void {
    const w = this.whole[i]!;
    const cols = this.columns;
    if (!partial) for (const c of RATES) cols[c][i] = mean(cols[c][i]!, w, value(sample, c), 1);
    for (const c of PEAKS) cols[c][i] = maxOf(cols[c][i]!, value(sample, c));
    cols.activeVus[i] = sample.activeVus;
    this.seconds[i]!++;
    if (!partial) this.whole[i] = w + 1;
  }

  /** Merges points 2k and 2k+1 into k, in place: half the points, each covering twice the seconds. */
  private halve(): void {
    const n = this.x.length;
    const cols = this.columns;
    for (let k = 0; 2 * k < n; k++) {
      const a = 2 * k;
      const b = a + 1;
      this.x[k] = this.x[a]!;
      if (b >= n) {
        for (const c of Object.keys(cols) as Column[]) cols[c][k] = cols[c][a]!;
        this.seconds[k] = this.seconds[a]!;
        this.whole[k] = this.whole[a]!;
        continue;
      }
      const wa = this.whole[a]!;
      const wb = this.whole[b]!;
      for (const c of RATES) cols[c][k] = mean(cols[c][a]!, wa, cols[c][b]!, wb);
      for (const c of PEAKS) cols[c][k] = maxOf(cols[c][a]!, cols[c][b]!);
      cols.activeVus[k] = cols.activeVus[b]!;
      this.seconds[k] = this.seconds[a]! + this.seconds[b]!;
      this.whole[k] = wa + wb;
    }
    const half = Math.ceil(n / 2);
    for (const arr of [this.x, this.seconds, this.whole, ...Object.values(cols)]) arr.length = half;
    this.span *= 2;
  }
}
