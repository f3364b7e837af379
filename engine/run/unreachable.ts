/**
 * A target where nothing answers (target.unreachable_stop_seconds): said at once, and the run
 * stopped if it stays so. Until the first response of the run, the scheduler tick asks whether
 * every request so far failed before reaching a server (refused, DNS, TLS): once a few have,
 * the user hears "nothing answers at HOST:PORT" with the reason; when still no response has come
 * after the configured seconds of load, the run stops with status error instead of spending its
 * whole duration on failures. One response, of any status, ends the watch for the run.
 */
import type { Recorder } from '../metrics/recorder';
import { KIND_INDEX } from '../metrics/recorder';
import { FAILURE_KINDS } from '../metrics/results-types';

const KINDS = FAILURE_KINDS.length;
const UNREACHABLE = [KIND_INDEX.connect, KIND_INDEX.dns, KIND_INDEX.tls];

export class UnreachableWatch {
  private done = false;
  private noticed = false;

  /**
   * where: "host:port" of the target; stopAfterMs: 0 never stops; enough: failures before the
   * notice (a few, so one unlucky connect does not cry wolf).
   */
  constructor(private readonly recorder: Recorder, private readonly where: string, private readonly stopAfterMs: number, private readonly enough: number) {}

  /** Called by the tick. Returns the notice to show once, or the reason to stop; else undefined. */
  check(loadMs: number): { notice: string } | { stop: string } | undefined {
    if (this.done) return undefined;
    const r = this.recorder;
    if (r.responses > 0) {
      this.done = true;
      return undefined;
    }
    let failed = 0;
    for (let q = 0; q < r.requestCount; q++) for (const k of UNREACHABLE) failed += r.failures[q * KINDS + k]!;
    if (failed === 0) return undefined;
    const why = this.reason();
    if (this.stopAfterMs > 0 && loadMs >= this.stopAfterMs) {
      this.done = true;
      return { stop: `stopped after ${Math.round(loadMs / 1000)} s: nothing answers at ${this.where} (${failed} requests failed to connect, no response)${why}` };
    }
    if (!this.noticed && failed >= this.enough) {
      this.noticed = true;
      return { notice: `nothing answers at ${this.where}: the first ${failed} requests failed to connect${why}` };
    }
    return undefined;
  }

  private reason(): string {
    for (const kind of ['connect', 'dns', 'tls'] as const) {
      const sample = this.recorder.failureSamples.get(kind)?.[0];
      if (sample) return ` (${sample})`;
    }
    return '';
  }
}
