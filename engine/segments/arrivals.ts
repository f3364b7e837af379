/**
 * The open model's arrivals as one segment sees them, in order. Arrival k of the whole plan is
 * intended at curve.timeOf(k) and makes choice k of the arrival stream (stream 0); a segment
 * owns every n-th arrival (segment.ts) but still draws the choices of the others' arrivals in
 * between, so its arrival k makes exactly the choice the one-process run gives arrival k.
 *
 * The runner's pump (engine/run/runner.ts) and `z6 plan` walk arrivals through this one class,
 * and the segment property tests walk it too: what they check is what the runner does.
 */
import type { VuPlan } from '../plan/choice';
import type { ArrivalCurve } from '../plan/schedule';
import { owns, type Segment } from './segment';

export class SegmentArrivals {
  /** The global number of the next arrival this segment owns. */
  k = -1;
  /** Its intended start, in seconds from the start of the run (Infinity: the rate never gets there). */
  at = 0;
  /** Its request (the index into the scenario's requests). */
  req = 0;
  /** Arrivals of the whole plan walked so far (owned or not): the next one to draw. */
  private drawn = 0;

  constructor(private readonly curve: ArrivalCurve, private readonly plan: VuPlan, private readonly segment: Segment) {
    this.advance();
  }

  /** Moves to the segment's next arrival. */
  advance(): void {
    for (;;) {
      const k = this.drawn++;
      // Draw for every arrival, another segment's too: arrival k always makes choice k.
      const req = this.plan.next();
      if (!owns(this.segment, k)) continue;
      this.k = k;
      this.at = this.curve.timeOf(k);
      this.req = req;
      return;
    }
  }
}
