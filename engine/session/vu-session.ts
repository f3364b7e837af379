/**
 * A VU's state across its requests: its cookie jar and, for requests with a response plan, the
 * response being read. The VU calls in only where there is something to do: onHeaders when the
 * jar is on or the request has a plan, onData only for a plan that reads the body, and
 * complete() only for a request with a plan.
 */
import type { Recorder } from '../metrics/recorder';
import { CookieJar } from './cookies';
import type { ResponsePlan } from './response-plan';
import { ResponseView } from './response-view';

const SET_COOKIE = 'set-cookie';

export class VuSession {
  /** null with target.cookies = false. */
  readonly jar: CookieJar | null;
  readonly response = new ResponseView();
  /** Slots of TemplateState.values that extractions set (cleared by reset()). */
  private readonly extractSlots: readonly number[];

  constructor(cookies: boolean, extractSlots: readonly number[]) {
    this.jar = cookies ? new CookieJar() : null;
    this.extractSlots = extractSlots;
  }

  /** Stores the Set-Cookie headers of any response (also redirects and error statuses). */
  storeCookies(raw: Buffer[] | null): void {
    if (raw === null) return;
    const jar = this.jar!;
    let now = 0;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const k = raw[i]!;
      // Cheap tests first (length, then the first byte: "Connection" is 10 long too): this runs on
      // every response while the jar is on, and must not allocate for the headers it skips.
      if (k.length !== 10 || (k[0]! | 0x20) !== 0x73 || k.toString('latin1').toLowerCase() !== SET_COOKIE) continue;
      if (now === 0) now = Date.now();
      jar.set(raw[i + 1]!.toString('latin1'), now);
    }
  }

  /**
   * Runs the plan on the response just read: extractions into `values`, checks into the
   * recorder. Returns true when a failed check asks to skip the rest of the iteration.
   */
  complete(plan: ResponsePlan, values: (string | undefined)[], recorder: Recorder, nowMs: number): boolean {
    const r = this.response;
    for (const e of plan.extract) values[e.slot] = e.run(r);
    let skip = false;
    for (const c of plan.checks) {
      const ok = c.test(r);
      recorder.recordCheck(c.id, ok, nowMs);
      if (!ok && c.skipIteration) skip = true;
    }
    r.reset();
    return skip;
  }

  /** A new pass of the sequence with reset_state: no cookies, no extracted values. */
  reset(values: (string | undefined)[]): void {
    this.jar?.clear();
    for (const s of this.extractSlots) values[s] = undefined;
  }
}
