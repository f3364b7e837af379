/**
 * When is a difference between two runs more than sampling noise? Each figure gets a 95 %
 * interval from its own run's samples, and a change counts only when the two intervals do not
 * overlap (docs/compare.md). Requiring disjoint 95 % intervals is stricter than a 5 % test (about
 * 0.5 % for similar spreads): a diff judges dozens of figures at once, and a CI gate that cries
 * wolf gets switched off.
 *
 * The intervals assume independent samples. Latencies of a real run are correlated in time (a
 * GC pause, a slow second), so the true uncertainty is larger; the relative threshold, applied on
 * top, is what absorbs that.
 */
import type { Histogram } from '../metrics/histogram';

export const CONFIDENCE = 0.95;
/** The normal quantile for a two-sided 95 % interval. */
const Z = 1.959963984540054;

/** An interval; null ends are unbounded (too few samples to bound that side). */
export interface Interval {
  low: number | null;
  high: number | null;
}

/** True when the intervals cannot hold the same value: b lies wholly above or below a. */
export function disjoint(a: Interval, b: Interval): boolean {
  return (a.high !== null && b.low !== null && b.low > a.high) || (b.high !== null && a.low !== null && a.low > b.high);
}

/**
 * P(Binomial(n, q) ≤ k) for every k that matters, as a lookup. The probabilities are built from
 * the mode outwards with the ratio of neighbouring terms and normalised at the end, so neither
 * factorials nor logarithms of them are needed; the walk stops where a term falls below 1e-16 of
 * the mode's (about 8.5 standard deviations out), which keeps it O(√n) for runs of millions.
 */
function binomialCdf(n: number, q: number): (k: number) => number {
  const mode = Math.min(n, Math.floor((n + 1) * q));
  const odds = q / (1 - q);
  const left: number[] = [];
  for (let k = mode, p = 1; k > 0; k--) {
    p *= (k / (n - k + 1)) / odds; // pmf(k-1) / pmf(k)
    if (p < 1e-16) break;
    left.push(p);
  }
  const right: number[] = [];
  for (let k = mode, p = 1; k < n; k++) {
    p *= ((n - k) / (k + 1)) * odds; // pmf(k+1) / pmf(k)
    if (p < 1e-16) break;
    right.push(p);
  }
  const first = mode - left.length;
  const pmf = [...left.reverse(), 1, ...right];
  const total = pmf.reduce((s, p) => s + p, 0);
  const cdf = new Float64Array(pmf.length);
  let acc = 0;
  for (let i = 0; i < pmf.length; i++) cdf[i] = acc += pmf[i]! / total;
  return (k) => (k < first ? 0 : k - first >= cdf.length ? 1 : cdf[k - first]!);
}

/**
 * Ranks (1-based) of the order statistics that bound the q-quantile of n independent samples
 * with at least 95 % confidence, distribution-free: P(X(k) > ξq) = P(Bin(n, q) ≤ k − 1), so the
 * lower rank is the largest k with that at most 2.5 %, and the upper rank the smallest k with
 * P(Bin(n, q) ≤ k − 1) ≥ 97.5 %. null when no rank in 1..n qualifies: ten samples cannot bound
 * a p99 from above, since even their maximum is below the true p99 with probability 1 − 0.99¹⁰ ≈ 10 %.
 */
export function quantileRanks(n: number, q: number): { low: number | null; high: number | null } {
  if (n <= 0) return { low: null, high: null };
  const F = binomialCdf(n, q);
  const tail = (1 - CONFIDENCE) / 2;
  // F is increasing in k: binary searches over 1..n.
  let lo = 1;
  let hi = n;
  let low: number | null = null;
  while (lo <= hi) {
    const k = (lo + hi) >> 1;
    if (F(k - 1) <= tail) {
      low = k;
      lo = k + 1;
    } else hi = k - 1;
  }
  lo = 1;
  hi = n;
  let high: number | null = null;
  while (lo <= hi) {
    const k = (lo + hi) >> 1;
    if (F(k - 1) >= 1 - tail) {
      high = k;
      hi = k - 1;
    } else lo = k + 1;
  }
  return { low, high };
}

/**
 * The k-th smallest sample of a histogram, in ms, the way `summarize` reports percentiles (the top
 * of its HDR bucket, never above the maximum), so intervals and point values are comparable.
 * getValueAtPercentile rounds the count it is asked for up to a whole rank; asking for k − ½ lands
 * on rank k without depending on how 100·k/n rounds in floating point.
 */
function valueAtRank(h: Histogram, k: number): number {
  const n = h.totalCount;
  return Math.round(Math.min(h.getValueAtPercentile((100 * (k - 0.5)) / n), h.maxValue)) / 1000;
}

/** The 95 % interval of a latency quantile (q in 0..1) from a run's histogram; ms. */
export function quantileInterval(h: Histogram, q: number): Interval {
  const r = quantileRanks(h.totalCount, q);
  // Latency cannot go below zero: an unbounded lower end is 0.
  return { low: r.low === null ? 0 : valueAtRank(h, r.low), high: r.high === null ? null : valueAtRank(h, r.high) };
}

/**
 * The Wilson score interval of a proportion x/n (95 %). Unlike the textbook p ± z·√(p(1−p)/n) it
 * stays inside [0, 1] and does not collapse to a point at 0 failures: 0 of 20 is "up to 16 %",
 * not "exactly 0", so a first failure in a small run is not a significant change.
 */
export function proportionInterval(x: number, n: number): Interval {
  if (n <= 0) return { low: null, high: null };
  const p = x / n;
  const z2 = Z * Z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * The 95 % interval of a rate from a count over a time (responses over the load window), treating
 * the count as Poisson (the score interval: count + z²/2 ± z·√(count + z²/4)). Closed-model
 * responses are more regular than Poisson, so this is a floor on the noise, not its size: it
 * keeps a run of a handful of responses from showing a change of rate.
 */
export function rateInterval(count: number, seconds: number): Interval {
  if (!(seconds > 0)) return { low: null, high: null };
  const z2 = Z * Z;
  const half = Z * Math.sqrt(count + z2 / 4);
  return { low: Math.max(0, count + z2 / 2 - half) / seconds, high: (count + z2 / 2 + half) / seconds };
}
