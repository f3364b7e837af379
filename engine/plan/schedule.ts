/**
 * Every schedule as a function of time: target VUs(t) for the closed model, arrival rate(t) and
 * its integral (cumulative arrivals) for the open model. After the schedule's own end its last
 * level is held until the run's duration (decisions §2).
 */
import type { Schedule } from '../scenario/model';

export type Model = 'closed' | 'open';

export function modelOf(s: Schedule): Model {
  return s.type === 'arrival_rate' || s.type === 'ramp_arrival_rate' ? 'open' : 'closed';
}

/** VUs the closed model should have running at t seconds (0 for open schedules). */
export function targetVus(s: Schedule, t: number): number {
  switch (s.type) {
    case 'constant':
      return s.vus;
    case 'ramp':
      if (t >= s.rampDurationSeconds) return s.endVus;
      return Math.round(s.startVus + ((s.endVus - s.startVus) * t) / s.rampDurationSeconds);
    case 'spike':
      return t >= s.spikeStartSeconds && t < s.spikeStartSeconds + s.spikeDurationSeconds ? s.spikeVus : s.baselineVus;
    case 'steps': {
      let end = 0;
      for (const st of s.steps) {
        end += st.durationSeconds;
        if (t < end) return st.vus;
      }
      return s.steps[s.steps.length - 1]!.vus;
    }
    default:
      return 0;
  }
}

/** Arrivals per second the open model should start at t (0 for closed schedules). */
export function arrivalRate(s: Schedule, t: number): number {
  if (s.type === 'arrival_rate') return s.rate;
  if (s.type === 'ramp_arrival_rate') {
    if (t >= s.rampDurationSeconds) return s.endRate;
    return s.startRate + ((s.endRate - s.startRate) * t) / s.rampDurationSeconds;
  }
  return 0;
}

/**
 * Cumulative arrivals: N(t) = ∫₀ᵗ rate. Arrival k (0, 1, 2, …) is intended at the time where N
 * reaches k, so the first one starts at t = 0 and they are spaced evenly along the rate curve.
 */
export class ArrivalCurve {
  private readonly r0: number;
  private readonly r1: number;
  /** Length of the linear part (0 for a constant rate). */
  private readonly ramp: number;
  private readonly rampArrivals: number;

  constructor(s: Schedule) {
    if (s.type === 'arrival_rate') {
      this.r0 = this.r1 = s.rate;
      this.ramp = 0;
    } else if (s.type === 'ramp_arrival_rate') {
      this.r0 = s.startRate;
      this.r1 = s.endRate;
      this.ramp = s.rampDurationSeconds;
    } else throw new Error(`'${s.type}' is not an arrival-rate schedule`);
    this.rampArrivals = ((this.r0 + this.r1) / 2) * this.ramp;
  }

  /** Arrivals due in [0, t]. */
  count(t: number): number {
    if (t <= this.ramp) return this.r0 * t + ((this.r1 - this.r0) * t * t) / (2 * this.ramp || 1);
    return this.rampArrivals + this.r1 * (t - this.ramp);
  }

  /** Intended time (s) of arrival k; Infinity if the rate never gets there. */
  timeOf(k: number): number {
    if (k <= this.rampArrivals && this.ramp > 0) {
      // Solve a·t² + r0·t = k with a = (r1 − r0)/(2·ramp), in the form that is stable for a → 0.
      const a = (this.r1 - this.r0) / (2 * this.ramp);
      const disc = this.r0 * this.r0 + 4 * a * k;
      if (k === 0) return 0;
      const root = this.r0 + Math.sqrt(Math.max(0, disc));
      return root > 0 ? (2 * k) / root : Infinity;
    }
    if (this.r1 <= 0) return Infinity;
    return this.ramp + (k - this.rampArrivals) / this.r1;
  }
}

/** Length of the schedule itself, when it has one. */
export function ownLength(s: Schedule): number | undefined {
  switch (s.type) {
    case 'ramp':
    case 'ramp_arrival_rate':
      return s.rampDurationSeconds + s.holdDurationSeconds;
    case 'spike':
      return 2 * s.spikeStartSeconds + s.spikeDurationSeconds;
    case 'steps':
      return s.steps.reduce((a, st) => a + st.durationSeconds, 0);
    default:
      return undefined;
  }
}

/** Most VUs (closed) or in-flight requests (open) the schedule uses. */
export function peakOf(s: Schedule): number {
  switch (s.type) {
    case 'constant':
      return s.vus;
    case 'ramp':
      return Math.max(s.startVus, s.endVus);
    case 'spike':
      return Math.max(s.baselineVus, s.spikeVus);
    case 'steps':
      return Math.max(...s.steps.map((st) => st.vus));
    default:
      return s.maxInFlight;
  }
}

/** Times where a closed schedule's level can change: for a compact, exact preview. */
export function breakpoints(s: Schedule, duration: number): number[] {
  const pts = new Set<number>([0, duration]);
  if (s.type === 'ramp' || s.type === 'ramp_arrival_rate') pts.add(Math.min(duration, s.rampDurationSeconds));
  if (s.type === 'spike') {
    pts.add(Math.min(duration, s.spikeStartSeconds));
    pts.add(Math.min(duration, s.spikeStartSeconds + s.spikeDurationSeconds));
  }
  if (s.type === 'steps') {
    let end = 0;
    for (const st of s.steps) pts.add(Math.min(duration, (end += st.durationSeconds)));
  }
  return [...pts].sort((a, b) => a - b);
}
