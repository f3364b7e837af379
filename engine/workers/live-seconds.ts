/**
 * The whole run's live progress from its workers' seconds: second t is shown once every worker
 * has closed its second t (or has finished), with the counts added and the percentiles of the
 * added histograms — the same arithmetic as z6 merge (mergeSecond). The workers started on one
 * 'start' message, so their second t is the same wall-clock second to within a millisecond.
 */
import { decode, newHistogram } from '../metrics/histogram';
import type { FailureKind, SecondSample } from '../metrics/results-types';
import type { ProgressTotals } from '../run';
import { mergeSecond } from '../segments/merge';

export class LiveSeconds {
  /** Per second not yet shown: each worker's sample and histogram of it. */
  private readonly pending = new Map<number, { samples: (SecondSample | undefined)[]; hist: string[] }>();
  private readonly latest: (ProgressTotals | undefined)[];
  private readonly done: boolean[];
  private next = 0;
  /** The whole run's latency over the seconds shown so far: the live p50 and p99. */
  private readonly total = newHistogram();

  constructor(private readonly n: number, private readonly emit: (sample: SecondSample, totals: ProgressTotals) => void) {
    this.latest = new Array<ProgressTotals | undefined>(n).fill(undefined);
    this.done = new Array<boolean>(n).fill(false);
  }

  second(worker: number, sample: SecondSample, totals: ProgressTotals, histogram: string): void {
    const slot = this.pending.get(sample.t) ?? { samples: new Array<SecondSample | undefined>(this.n).fill(undefined), hist: new Array<string>(this.n).fill('') };
    slot.samples[worker] = sample;
    slot.hist[worker] = histogram;
    this.pending.set(sample.t, slot);
    this.latest[worker] = totals;
    this.flush();
  }

  /** The worker sends no more seconds: the others' are not held back waiting for it. */
  finished(worker: number): void {
    this.done[worker] = true;
    this.flush();
  }

  private flush(): void {
    for (let slot = this.pending.get(this.next); slot; slot = this.pending.get(this.next)) {
      if (slot.samples.some((s, i) => s === undefined && !this.done[i])) return;
      const { sample, histogram } = mergeSecond(this.next, slot.samples.filter((s) => s !== undefined), slot.hist);
      if (histogram) this.total.add(decode(histogram));
      this.pending.delete(this.next++);
      this.emit(sample, this.totals());
    }
  }

  private totals(): ProgressTotals {
    const all = this.latest.filter((t) => t !== undefined);
    const sum = (f: (t: ProgressTotals) => number) => all.reduce((a, t) => a + f(t), 0);
    const failures: Partial<Record<FailureKind, number>> = {};
    for (const t of all) for (const [k, v] of Object.entries(t.failures) as [FailureKind, number][]) failures[k] = (failures[k] ?? 0) + v;
    const h = this.total;
    const out: ProgressTotals = {
      elapsedSeconds: Math.max(0, ...all.map((t) => t.elapsedSeconds)),
      issued: sum((t) => t.issued),
      succeeded: sum((t) => t.succeeded),
      failed: sum((t) => t.failed),
      interrupted: sum((t) => t.interrupted),
      dropped: sum((t) => t.dropped),
      inFlight: sum((t) => t.inFlight),
      activeVus: sum((t) => t.activeVus),
      responses: sum((t) => t.responses),
      // Each worker's rate is its responses over the same load window: they add up.
      rps: Math.round(sum((t) => t.rps) * 10) / 10,
      p50: h.totalCount > 0 ? h.getValueAtPercentile(50) / 1000 : null,
      p99: h.totalCount > 0 ? h.getValueAtPercentile(99) / 1000 : null,
      requests: (all[0]?.requests ?? []).map((_, k) => ({
        issued: sum((t) => t.requests[k]!.issued),
        succeeded: sum((t) => t.requests[k]!.succeeded),
        failed: sum((t) => t.requests[k]!.failed),
        interrupted: sum((t) => t.requests[k]!.interrupted),
      })),
      failures,
    };
    if (all.some((t) => t.checks)) out.checks = { passed: sum((t) => t.checks?.passed ?? 0), failed: sum((t) => t.checks?.failed ?? 0) };
    return out;
  }
}
