/**
 * What a template may read while a request is rendered: one object per VU, reused for every
 * request (no allocation per render). The runner keeps `iteration` current; the random built-ins
 * draw from `rng`, the VU's own template stream, separate from the plan's stream (prng.ts).
 */
import { Rng, TEMPLATE_STREAMS } from '../plan/prng';

export class TemplateState {
  /** VU index (closed model) or in-flight slot (open model). */
  vu: number;
  /** 0-based iteration of the VU (closed model) or arrival number (open model). */
  iteration = 0;
  /** performance.now() at the start of the run, for `elapsed`. */
  readonly startMs: number;
  readonly rng: Rng;
  /** Why the last render failed (a name, never a value: it goes into the results). */
  missing = '';
  /** Values of the scope's dynamic names, by slot (scope.ts DynamicVar); undefined until set. */
  readonly values: (string | undefined)[];

  constructor(private readonly seed: number, vu: number, startMs: number, dynamicCount = 0) {
    this.vu = vu;
    this.values = new Array<string | undefined>(dynamicCount).fill(undefined);
    this.startMs = startMs;
    this.rng = new Rng(seed, vu, TEMPLATE_STREAMS);
  }

  /**
   * Open model: arrival k draws from stream k, so what it renders depends only on (seed, k), not
   * on which slot happened to be free.
   */
  startArrival(k: number): void {
    this.iteration = k;
    this.rng.reseed(this.seed, k, TEMPLATE_STREAMS);
  }
}
