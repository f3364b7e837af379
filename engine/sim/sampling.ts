/**
 * The simulated target's seeded draws: what happens to a request (answer, error, timeout, reset,
 * refused connect) and how long it takes to serve. One stream for the whole target, seeded from
 * the run's seed in its own family (prng.ts), read in the order requests reach the target. That
 * order is itself a function of the seed (the simulation is deterministic), so a seed gives the
 * same answers every time, and the plan's and the templates' streams are never shifted by it.
 */
import { Rng } from '../plan/prng';
import type { ResponseModel } from '../scenario/model';

/** The family of the simulated target's stream (after prng.ts's PLAN_STREAMS and TEMPLATE_STREAMS). */
export const SIM_STREAMS = 0x3c6ef372 | 0;

/** What the target does with a request. */
export const enum Fate {
  Answer,
  Error,
  Timeout,
  Reset,
  Connect,
}

/** z of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

export class Sampler {
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = new Rng(seed, 0, SIM_STREAMS);
  }

  /** One draw decides among the failure kinds (their rates are disjoint shares) and the answer. */
  fate(m: ResponseModel): Fate {
    let u = this.rng.next();
    if ((u -= m.connectRate) < 0) return Fate.Connect;
    if ((u -= m.resetRate) < 0) return Fate.Reset;
    if ((u -= m.timeoutRate) < 0) return Fate.Timeout;
    if ((u -= m.errorRate) < 0) return Fate.Error;
    return Fate.Answer;
  }

  /** The service time in whole µs, at least 1 (so virtual time always moves on). Always one draw. */
  serviceUs(m: ResponseModel): number {
    const u = this.rng.next();
    let ms: number;
    if (m.latency === 'fixed') ms = m.latencyMs;
    else if (m.latency === 'uniform') ms = m.latencyMinMs! + u * (m.latencyMaxMs! - m.latencyMinMs!);
    else ms = m.latencyMs * Math.exp((Math.log(m.latencyP99Ms! / m.latencyMs) / Z99) * normalQuantile(u));
    return Math.max(1, Math.round(ms * 1000));
  }
}

// Acklam's coefficients: central region (a, b), tails (c, d), and where the tails begin.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const;
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const;
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

/**
 * The standard normal quantile (inverse CDF) of p in (0, 1), by Acklam's rational approximation
 * (relative error below 1.2e-9): one uniform draw gives one normal value, and p = 0.5 gives
 * exactly the median. p = 0 (a draw of exactly 0) is taken as the smallest double above 0.
 */
export function normalQuantile(p: number): number {
  if (p <= 0) p = Number.MIN_VALUE;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (p > 1 - P_LOW) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}
