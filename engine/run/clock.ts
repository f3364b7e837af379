/**
 * The run's notion of time, in one place. A module that takes part in a run (runner, VUs, setup
 * and teardown, the template built-ins) imports `performance`, the timers and `clockDate` from
 * here instead of using the globals:
 *
 *   import { performance, setTimeout, clearTimeout } from './clock';
 *
 * so its code reads as before (`performance.now()`, `setTimeout(fn, ms)`) and every call goes
 * through the seam. For a real run they are the real functions (the timers are the global ones
 * themselves, `now` one call away), never replaced, and cost what the direct calls did (the
 * engine bench compares: docs/performance.md). A simulated run (engine/sim/) installs its
 * virtual clock for the length of the run — time then jumps from one event to the next, so an
 * hour of load takes seconds — and puts the real one back after. There is one clock per process:
 * while a simulated run goes, no other run may share the process.
 */
import { performance as perf } from 'node:perf_hooks';

type SetTimer = (fn: () => void, ms: number) => NodeJS.Timeout;
type ClearTimer = (t: NodeJS.Timeout | undefined) => void;

/**
 * A clock for useClock. Its timers return handles that only its own clear functions understand
 * (a virtual clock's are not Node Timeouts, whatever the type says).
 */
export interface Clock {
  /** Milliseconds on a monotonic clock, as performance.now(): latencies and deadlines. */
  now(): number;
  /** Milliseconds since 1970, as Date.now(): the results' startedAt, `{{ now }}`. */
  epochMs(): number;
  setTimeout: SetTimer;
  clearTimeout: ClearTimer;
  setInterval: SetTimer;
  clearInterval: ClearTimer;
}

const REAL: Readonly<Clock> = Object.freeze({
  now: () => perf.now(),
  epochMs: Date.now,
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  clearInterval: globalThis.clearInterval,
});

/** `performance` as the run sees it: `now()` reads the run's clock. */
export const performance = {
  now: REAL.now,
  /** Real in every run (a simulated run reports no generator load). */
  eventLoopUtilization: perf.eventLoopUtilization,
};

export let setTimeout: SetTimer = REAL.setTimeout;
export let clearTimeout: ClearTimer = REAL.clearTimeout;
export let setInterval: SetTimer = REAL.setInterval;
export let clearInterval: ClearTimer = REAL.clearInterval;
let epochMs: () => number = REAL.epochMs;

/** Milliseconds since 1970 on the run's clock (Date.now(), or the virtual epoch plus virtual time). */
export function clockEpochMs(): number {
  return epochMs();
}

/** The run's clock as a date: the real one, or the virtual one in a simulated run. */
export function clockDate(): Date {
  return new Date(epochMs());
}

/**
 * Installs `c` as the run's clock until the returned function puts the real one back. Its
 * functions are called unbound: they must not rely on `this`.
 */
export function useClock(c: Clock): () => void {
  set(c);
  return () => set(REAL);
}

function set(c: Clock): void {
  performance.now = c.now;
  epochMs = c.epochMs;
  setTimeout = c.setTimeout;
  clearTimeout = c.clearTimeout;
  setInterval = c.setInterval;
  clearInterval = c.clearInterval;
}
