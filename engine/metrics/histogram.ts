/**
 * Latency histograms: hdr-histogram-js, JS Int32 buckets (no wasm init/destroy to manage),
 * integer microseconds from 1 µs to 1 h at 3 significant digits (decisions §3). Recording costs
 * ~43 ns (performance.md §2e), well inside the per-request budget.
 *
 * A histogram starts at its smallest size (8 KB, values up to 2,047 µs) and grows its buckets
 * only when a larger value arrives (autoResize: one doubling of range per bucket, ~4 KB each), up
 * to ≈ 94 KB for the full hour. Allocated at full range, a 1,000-request scenario held ≈ 90 MB of
 * buckets before its first request (docs/performance.md, Memory of the latency histograms). Growing changes no recorded value or
 * percentile: bucket boundaries depend on the precision, not on the range.
 */
import * as hdr from 'hdr-histogram-js';
import type { LatencySummary } from './results-types';

export type Histogram = hdr.Histogram;

/** 1 hour in µs: the highest value a histogram tracks; larger samples are clamped to it. */
export const HIGHEST_US = 3_600_000_000;

export function newHistogram(): Histogram {
  // 2 is the smallest highest value hdr accepts; recordUs caps values at HIGHEST_US.
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 2, autoResize: true, numberOfSignificantValueDigits: 3, bitBucketSize: 32 });
}

let emptyEncoded: string | undefined;

/** The encoding of an empty histogram, computed once (requests never sent all share it). */
export function encodeEmpty(): string {
  return (emptyEncoded ??= encode(newHistogram()));
}

/** Records a duration in µs, rounded and clamped to [1, HIGHEST_US]. */
export function recordUs(h: Histogram, us: number): void {
  h.recordValue(us < 1 ? 1 : us > HIGHEST_US ? HIGHEST_US : Math.round(us));
}

const ms = (us: number) => Math.round(us) / 1000;

/** undefined: a request that never got a sample. */
export function summarize(h: Histogram | undefined): LatencySummary {
  if (h === undefined || h.totalCount === 0) return { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, count: 0 };
  // A percentile is reported as the top of its HDR bucket (within 0.1 %), which can pass the exact
  // maximum; a p99 above the max only confuses the reader, so clamp to it.
  const max = h.maxValue;
  const at = (p: number) => ms(Math.min(h.getValueAtPercentile(p), max));
  return {
    min: ms(h.minNonZeroValue),
    mean: Math.round(h.mean) / 1000,
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    max: ms(max),
    count: h.totalCount,
  };
}

export function encode(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decode(b64: string): Histogram {
  return hdr.decodeFromCompressedBase64(b64, 32, false);
}
