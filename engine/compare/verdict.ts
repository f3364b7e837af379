/**
 * The two questions every judged figure answers (docs/compare.md): did it move by more than the
 * threshold, and is that movement more than sampling noise? Only a yes to both is improved or
 * regressed; each no says why.
 */
import type { FigureDelta, Verdict } from './compare';
import { disjoint, type Interval } from './significance';

export const pct = (fraction: number): string => `${+(fraction * 100).toFixed(1)} %`;

/** (b − a) / a; null when a is 0 or either is missing. */
export function relativeChange(a: number | null, b: number | null): number | null {
  return a === null || b === null || a === 0 ? null : (b - a) / a;
}

/** A move beyond the threshold: relative to a, or any move away from 0 (a relative change from 0 is unbounded). */
export function beyond(a: number, b: number, threshold: number): boolean {
  if (a === b) return false;
  if (a === 0) return true;
  return Math.abs((b - a) / a) > threshold;
}

export interface Judged {
  verdict: Verdict;
  why?: string;
}

/**
 * a, b: the values compared against the threshold; intervals: their 95 % intervals, or null
 * when the figure has no noise model; noise: how the samples are described when the intervals
 * overlap ("10 and 12 samples"); floor: an absolute change below which nothing is judged.
 */
export function judge(
  a: number,
  b: number,
  better: FigureDelta['better'],
  threshold: number,
  intervals: { a: Interval; b: Interval; noise: string } | null,
  floor?: { size: number; text: string },
): Judged {
  if (!beyond(a, b, threshold)) return { verdict: 'unchanged', why: a === b ? undefined : `within ${pct(threshold)}` };
  if (floor && Math.abs(b - a) < floor.size) return { verdict: 'unchanged', why: `within ${floor.text}` };
  if (intervals && !disjoint(intervals.a, intervals.b)) return { verdict: 'unchanged', why: `not significant with ${intervals.noise}` };
  return { verdict: (b > a) === (better === 'higher') ? 'improved' : 'regressed' };
}
