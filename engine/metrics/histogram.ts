/**
 * Latency histograms: hdr-histogram-js, JS Int32 buckets (no wasm init/destroy to manage),
 * integer microseconds from 1 µs to 1 h at 3 significant digits (decisions §3). Recording costs
 * ~43 ns (performance.md §2e), well inside the per-request budget.
 */
import * as hdr from 'hdr-histogram-js';
import type { LatencySummary } from './results-types';

export type Histogram = hdr.Histogram;

/** 1 hour in µs: the highest value a histogram tracks; larger samples are clamped to it. */
export const HIGHEST_US = 3_600_000_000;

export function newHistogram(): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3, bitBucketSize: 32 });
}

/** Records a duration in µs, rounded and clamped to [1, HIGHEST_US]. */
export function recordUs(h: Histogram, us: number): void {
  h.recordValue(us < 1 ? 1 : us > HIGHEST_US ? HIGHEST_US : Math.round(us));
}

const ms = (us: number) => Math.round(us) / 1000;

export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, count: 0 };
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
