/**
 * The virtual clock of a simulated run: a discrete-event scheduler. Every timer the runner sets
 * (through engine/run/clock.ts) and every answer of the simulated target is an event at a virtual
 * time; the scheduler runs them in time order and jumps from one to the next, so an hour of
 * virtual time costs only the work its events do.
 *
 * Time is kept in whole microseconds (ties run in the order they were scheduled), so runs
 * repeat exactly. Timers never fire early, and as in Node a delay of 0 waits 1 ms (a VU that
 * backs off by 0 ms after a failure cannot spin).
 *
 * Between events the runner's code may await promises (setup, teardown, the end of the run).
 * A real run lets them settle before the next timer or socket event; so does this loop: outside
 * the load — while no interval is set (the runner's scheduler tick runs exactly while the load
 * does) — each event is followed by a real event-loop turn. During the load the runner takes no
 * promise per request (vu.ts), so events run back to back, with a real turn every few
 * milliseconds of real time so that a cancel (Ctrl-C, the editor) and progress messages get
 * through.
 */
import { performance as realPerformance } from 'node:perf_hooks';
import type { Clock } from '../run/clock';

/** A pending event: a timer of the runner or an answer of the target. */
export interface SimEvent {
  /** Virtual time, µs. */
  at: number;
  seq: number;
  fn: () => void;
  /** Interval timers: the period, µs (0 for one-shot events). */
  period: number;
  cancelled: boolean;
}

/** Node's largest timer delay. */
const TIMEOUT_MAX = 2 ** 31 - 1;
/** Real milliseconds between event-loop turns during the load. */
const TURN_EVERY_MS = 20;

const realTurn = (): Promise<void> => new Promise((r) => setImmediate(r));
const realSleep = (): Promise<void> => new Promise((r) => setTimeout(r, 1));

export class Scheduler {
  /** Virtual now, µs since the start of the simulation. */
  nowUs = 0;
  readonly clock: Clock;
  private readonly heap: SimEvent[] = [];
  private seq = 0;
  /** Live interval timers: while there is one, the load is running. */
  private intervals = 0;

  /** epochMs: the date (ms since 1970) at virtual time 0. */
  constructor(epochMs: number) {
    const timer = (fn: () => void, ms: number, repeat: boolean) => {
      const us = timerDelayUs(ms);
      if (repeat) this.intervals++;
      return this.push(this.nowUs + us, fn, repeat ? us : 0) as unknown as NodeJS.Timeout;
    };
    const clear = (t: NodeJS.Timeout | undefined) => this.cancel(t as unknown as SimEvent | undefined);
    this.clock = {
      now: () => this.nowUs / 1000,
      // Whole milliseconds, as Date.now().
      epochMs: () => epochMs + Math.floor(this.nowUs / 1000),
      setTimeout: (fn, ms) => timer(fn, ms, false),
      clearTimeout: clear,
      setInterval: (fn, ms) => timer(fn, ms, true),
      clearInterval: clear,
    };
  }

  /** Runs fn after `us` microseconds of virtual time (0: after the events already due now). */
  after(us: number, fn: () => void): SimEvent {
    return this.push(this.nowUs + us, fn, 0);
  }

  cancel(ev: SimEvent | undefined): void {
    if (ev === undefined || ev.cancelled) return;
    ev.cancelled = true;
    if (ev.period > 0) this.intervals--;
  }

  /**
   * Runs events in time order until `work` settles (the run's promise), then returns. An
   * exception thrown by an event ends the simulation with it.
   */
  async drive(work: Promise<unknown>): Promise<void> {
    let settled = false;
    work.then(() => (settled = true), () => (settled = true));
    let lastTurn = realPerformance.now();
    let n = 0;
    while (!settled) {
      if (this.intervals === 0) {
        // Outside the load: let promise chains (and real I/O, e.g. an event log being written) settle first.
        await realTurn();
        if (this.heap.length === 0 && !settled) await realSleep();
        if (settled) break;
      } else if ((++n & 255) === 0 && realPerformance.now() - lastTurn >= TURN_EVERY_MS) {
        await realTurn();
        lastTurn = realPerformance.now();
        if (settled) break;
      }
      const ev = this.pop();
      if (ev === undefined || ev.cancelled) continue;
      this.nowUs = ev.at;
      if (ev.period > 0) {
        ev.at += ev.period;
        ev.seq = this.seq++;
        this.insert(ev);
      }
      ev.fn();
    }
  }

  // ---- binary heap by (at, seq) -------------------------------------------------------------

  private push(at: number, fn: () => void, period: number): SimEvent {
    const ev: SimEvent = { at, seq: this.seq++, fn, period, cancelled: false };
    this.insert(ev);
    return ev;
  }

  private insert(ev: SimEvent): void {
    const h = this.heap;
    let i = h.length;
    h.push(ev);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(ev, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = ev;
  }

  private pop(): SimEvent | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(h[r]!, h[l]!) ? r : l;
      if (!before(h[c]!, last)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
    return top;
  }
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * A timer's delay in whole µs, never early. As in Node, a delay of 0 (or less, or NaN, or above
 * the maximum) waits 1 ms, so a timer re-armed with 0 cannot spin; a positive delay below 1 ms
 * is kept (at least 1 µs), so the open model's next arrival is not put off by float rounding.
 */
function timerDelayUs(ms: number): number {
  const d = ms > 0 && ms <= TIMEOUT_MAX ? ms : 1;
  return Math.max(1, Math.ceil(d * 1000));
}
