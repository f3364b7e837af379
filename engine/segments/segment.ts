/**
 * Segments: one run's plan cut into n disjoint parts that run in n processes (or pods) and add up
 * to exactly the one-process plan (docs/segments.md).
 *
 * The rule is striping: segment i (0-based, as Kubernetes' JOB_COMPLETION_INDEX) owns the VUs
 * i, i+n, i+2n, … (closed model) and the arrivals i, i+n, i+2n, … (open model). Each keeps its
 * global index, so its seeded stream, its `{{ vu }}`, its data rows and its start and stop times are
 * the whole plan's. Striping also keeps every segment's share even at every moment: when a ramp
 * has T VUs running, segment i runs those of them it owns — ⌈(T − i)/n⌉, never more than one VU
 * away from T/n — and an open-model segment takes every n-th arrival, so its rate is the rate / n
 * all along the curve. Contiguous blocks would give the first segment all of a ramp's start.
 */

export interface Segment {
  /** 0 ≤ index < count. */
  index: number;
  count: number;
}

/** The whole run: the segment every plan is, uncut. */
export const WHOLE: Segment = { index: 0, count: 1 };

export class SegmentError extends Error {}

/** "i/n" (0-based i), as given to --segment or Z6_SEGMENT. */
export function parseSegment(text: string, source = '--segment'): Segment {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new SegmentError(`${source} must be i/n with 0 <= i < n (e.g. 0/4 … 3/4), got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > 10_000 || index >= count) throw new SegmentError(`${source} must be i/n with 0 <= i < n and n at most 10000, got '${text}'`);
  return { index, count };
}

/** --segment wins over Z6_SEGMENT; neither: the whole run. */
export function segmentOf(option: string | undefined, env: Readonly<Record<string, string | undefined>>): Segment {
  if (option !== undefined) return parseSegment(option);
  const fromEnv = env.Z6_SEGMENT;
  return fromEnv ? parseSegment(fromEnv, 'Z6_SEGMENT') : WHOLE;
}

export const isWhole = (s: Segment) => s.count === 1;

/** How many of the global indices 0..total-1 the segment owns. */
export function ownedCount(s: Segment, total: number): number {
  return total <= s.index ? 0 : Math.ceil((total - s.index) / s.count);
}

/** The global index of the segment's local-th unit (VU or arrival). */
export function globalIndex(s: Segment, local: number): number {
  return s.index + local * s.count;
}

export function owns(s: Segment, global: number): boolean {
  return global % s.count === s.index;
}

/**
 * A whole-run cap (max_connections, max_in_flight) shared out: the segment's part of it by the
 * same striping (the parts add up to the cap), at least 1 so every segment can send.
 */
export function shareOf(s: Segment, cap: number): number {
  return Math.max(1, ownedCount(s, cap));
}

export const segmentText = (s: Segment) => `${s.index}/${s.count}`;
