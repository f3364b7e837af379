/**
 * A virtual user, which is also its own undici dispatch handler: one long-lived object per VU
 * with the core ("legacy") handler shape, the fastest on undici 7 (performance.md §5.1). Per
 * request there is no promise, closure, timer or options object — only numbers set on `this`.
 *
 * The same class serves the open model as an in-flight slot: the host decides what happens
 * after each request (closed: think, then the next one; open: back to the free list).
 *
 * Time of a request (docs/run-semantics.md): it starts when the VU issues it (`startedAt`),
 * before any wait for a connection; its latency and its deadline both run from there to the
 * last byte of the response.
 */
import type { Dispatcher } from 'undici';
import type { VuPlan } from '../plan/choice';
import type { Recorder } from '../metrics/recorder';
import type { Connection, Connections } from './connections';
import { classifyError, describeError, RequestTimeoutError } from './classify';
import { isRedirect, locationOf, nextHop } from './redirects';
import type { RequestRenderer } from '../templates/request';
import type { TemplateState } from '../templates/state';
import type { ResponsePlan } from '../session/response-plan';
import type { VuSession } from '../session/vu-session';
import type { CookieJar } from '../session/cookies';
import type { VuRows } from '../data/draw';
// The run's clock (clock.ts): real time, or a simulated run's virtual time.
import { performance } from './clock';

export interface VuHost {
  readonly recorder: Recorder;
  readonly dispatchOpts: readonly Dispatcher.DispatchOptions[];
  /** Per request: undefined for a request without per-send templates (it sends dispatchOpts as they are). */
  readonly renderers: readonly (RequestRenderer | undefined)[];
  readonly timeouts: Float64Array;
  readonly connections: Connections;
  /** Hops a request may follow (0: redirects are responses). */
  readonly maxRedirects: number;
  /** The target's origin as URL.origin spells it, for same-origin redirects. */
  readonly origin: string;
  /** True once the run stops issuing. */
  readonly stopping: boolean;
  inFlight: number;
  issued: number;
  /** Called after every request of this VU ended (response, failure or interruption). */
  afterRequest(vu: Vu, failed: boolean): void;
  /** The VU's template state, or null when no request renders templates. */
  templateState(index: number): TemplateState | null;
  /** Per request: its extractions and checks, or undefined when it has neither. */
  readonly responsePlans: readonly (ResponsePlan | undefined)[];
  /** Clear extracted values and cookies at the start of each pass of the sequence. */
  readonly resetState: boolean;
  /** The VU's session (cookie jar, response reading), or null when nothing needs one. */
  session(): VuSession | null;
  /** The VU's data-file rows, or null when the run has no data files (or no templates). */
  dataRows(index: number): VuRows | null;
  /** A unique data file had no row left for this VU's iteration: nothing was sent or counted. */
  outOfRows(vu: Vu): void;
  /** Called when this VU's think time has passed. */
  afterThink(vu: Vu): void;
  /** A request failed before it reached a connection (refused, DNS, TLS…) on this slot's connection. */
  connectFailed(vu: Vu, slot: number, conn: Connection): void;
}

/** Values of a run without dynamic names (checks only): nothing is ever stored in it. */
const NO_VALUES: (string | undefined)[] = [];

export class Vu {
  readonly index: number;
  readonly plan: VuPlan;
  private readonly host: VuHost;
  private readonly handler: Dispatcher.DispatchHandler;

  /** The scheduler wants this VU running (closed model). */
  active = false;
  /** Finished its iterations; never restarts. */
  done = false;
  inFlight = false;
  /** Waiting for its think time (or back-off) to pass. */
  timer: NodeJS.Timeout | undefined = undefined;
  /** Set when the run ends with this request in flight: it counts as interrupted. */
  interrupted = false;
  /** In the connection FIFO (shared connections only). */
  queued = false;
  /** Connection slot: fixed for own and multiplexed connections, per request when shared. */
  slot: number;
  /** Shared mode: the slot the last request freed, until handOff() passes it on (-1: none). */
  private freedSlot = -1;
  private freedAt = 0;
  /** Back-off before the next request after failed connects (0 after any response). */
  backoffMs = 0;

  // The request in flight.
  req = -1;
  /** performance.now() when the VU issued the request: latency and deadline run from here. */
  startedAt = 0;
  /** performance.now() when it was handed to a connection (onConnect), -1 before. */
  sentAt = -1;
  deadline = 0;
  status = 0;
  /** The deadline passed while the connection was still opening; the connection was closed. */
  private timedOut = false;
  /** Open model: when this request was meant to start. */
  intendedAt = 0;
  /** Open model: the arrival number of this request (-1 in the closed model). */
  arrival = -1;
  /** What templates read (vu, iteration, the template random stream); null without templates. */
  private readonly tpl: TemplateState | null;
  /** Cookie jar and response reading; null when the run has neither cookies nor extractions/checks. */
  private readonly session: VuSession | null;
  /** The plan of the request in flight (undefined: it neither extracts nor checks). */
  private rplan: ResponsePlan | undefined = undefined;
  /** The request in flight keeps its body for its plan. */
  private readBody = false;
  /** Its data-file rows (engine/data/draw.ts); null without data files. */
  readonly rows: VuRows | null;
  /** The Location of a redirect response being read, else null. */
  private location: string | null = null;
  /** Redirect hops of the request in flight, and the options of the current hop (null: the request's own). */
  private hops = 0;
  private hopOpts: Dispatcher.DispatchOptions | null = null;
  private conn: Connection | null = null;
  private abortFn: ((err?: Error) => void) | null = null;

  /** Bound once, for setTimeout / setImmediate. */
  readonly wake: () => void;

  /** index: the VU's global index (its stream, {{ vu }}, data rows); local: its place in this process's VUs (its connection). */
  constructor(index: number, plan: VuPlan, host: VuHost, local = index) {
    this.index = index;
    this.plan = plan;
    this.host = host;
    this.slot = host.connections.queued ? -1 : local % host.connections.count;
    this.tpl = host.templateState(index);
    this.session = host.session();
    this.rows = this.tpl !== null ? host.dataRows(index) : null;
    this.wake = () => {
      this.timer = undefined;
      this.host.afterThink(this);
    };
    // undici 7 types mark the core handler methods deprecated; they are still its native shape.
    this.handler = this as unknown as Dispatcher.DispatchHandler;
  }

  /** Issues request `req` now: on the VU's connection, or into the FIFO when all are busy. */
  send(req: number, now: number): void {
    const host = this.host;
    // The iteration's data row is drawn at its first templated request, before anything is
    // counted: when a unique file has no row left, nothing is sent (never empty values).
    if (this.rows !== null && host.renderers[req] !== undefined && !this.rows.draw(this.arrival >= 0 ? this.arrival : this.plan.iteration, this.tpl!.values)) {
      host.outOfRows(this);
      return;
    }
    this.req = req;
    this.status = 0;
    this.sentAt = -1;
    this.abortFn = null;
    this.interrupted = false;
    this.timedOut = false;
    this.hops = 0;
    this.hopOpts = null;
    this.location = null;
    this.inFlight = true;
    this.startedAt = now;
    this.deadline = now + host.timeouts[req]!;
    host.inFlight++;
    host.issued++;
    host.recorder.recordIssued(req, this);
    const session = this.session;
    if (session !== null) this.prepare(session, req);
    // The one branch templates add to the send path: a request without them sends its prebuilt options.
    const render = host.renderers[req];
    if (render !== undefined && !this.render(render, now)) return;
    if (session !== null && session.jar !== null && session.jar.size > 0) this.addCookies(session.jar);
    const c = host.connections;
    if (c.queued) {
      this.slot = c.acquire(this);
      if (this.slot < 0) return;
      host.recorder.recordQueueWait(0, this);
    }
    this.dispatch();
  }

  /**
   * Renders this request's templates into its options (hopOpts, which dispatch and redirects
   * use). A value missing at run time fails the request as kind 'template', never sent.
   */
  private render(render: RequestRenderer, now: number): boolean {
    const tpl = this.tpl!;
    if (this.arrival >= 0) tpl.startArrival(this.arrival);
    else tpl.iteration = this.plan.iteration;
    const opts = render(tpl);
    if (opts !== null) {
      this.hopOpts = opts;
      return true;
    }
    this.end(now);
    this.host.recorder.recordFailure(this.req, 'template', -1, this.rows?.problem || tpl.missing, now, this);
    this.host.afterRequest(this, true);
    return false;
  }

  /** Session work before a send: a new pass may clear the state; a request with a plan reads its response. */
  private prepare(session: VuSession, req: number): void {
    if (this.host.resetState && this.plan.passStart && this.arrival < 0) session.reset(this.tpl?.values ?? NO_VALUES);
    const plan = (this.rplan = this.host.responsePlans[req]);
    this.readBody = plan !== undefined && plan.readsBody;
    if (plan !== undefined) session.response.reset();
  }

  /** Sends the jar's cookies with this request (beside a Cookie header the scenario sets itself). */
  private addCookies(jar: CookieJar): void {
    const cookie = jar.header()!;
    const base = this.hopOpts ?? this.host.dispatchOpts[this.req]!;
    const headers = { ...(base.headers as Record<string, string>) };
    let own: string | undefined;
    for (const k in headers) {
      if (k.length === 6 && k.toLowerCase() === 'cookie') {
        own = headers[k];
        delete headers[k];
      }
    }
    headers.cookie = own ? `${own}; ${cookie}` : cookie;
    this.hopOpts = { ...base, headers };
  }

  /** Leaves the FIFO for the slot it was given. */
  dequeued(slot: number, now: number): void {
    this.slot = slot;
    this.host.recorder.recordQueueWait((now - this.startedAt) * 1000, this);
    this.dispatch();
  }

  private dispatch(): void {
    const conn = (this.conn = this.host.connections.conn(this.slot));
    try {
      conn.dispatch(this.hopOpts ?? this.host.dispatchOpts[this.req]!, this.handler);
    } catch (e) {
      this.onError(e as Error);
    }
  }

  /** Ends the request in flight as interrupted (run over or cancelled). */
  interrupt(): void {
    if (!this.inFlight) return;
    this.interrupted = true;
    if (this.queued) {
      this.host.connections.leave(this);
      this.end(-1);
      this.host.recorder.recordInterrupted(this.req, this);
      this.host.afterRequest(this, false);
    } else if (this.abortFn) this.abortFn();
    // Not yet on a connection: the connections' destroy() at the end of the run errors it.
  }

  /**
   * Whole-request deadline, checked by the runner's sweep (undici's own timers are off: their
   * coarse resolution fired them early). Fires only once `now` has reached the deadline.
   */
  checkDeadline(now: number): void {
    if (!this.inFlight || now < this.deadline || this.timedOut) return;
    if (this.queued) {
      this.host.connections.leave(this);
      this.expireInQueue(now);
    } else if (this.abortFn) {
      this.abortFn(new RequestTimeoutError(this.host.timeouts[this.req]!));
    } else {
      // Still connecting: closing the connection is the only way to stop it.
      this.timedOut = true;
      this.host.connections.replace(this.slot, this.conn!);
    }
  }

  /** Timed out waiting for a connection: no socket is touched, no latency sample (never sent). */
  private expireInQueue(now: number): void {
    this.end(now);
    this.host.recorder.recordFailure(this.req, 'timeout', -1, new RequestTimeoutError(this.host.timeouts[this.req]!).message, now, this);
    this.host.afterRequest(this, true);
  }

  /**
   * Sends the next hop of a redirect on the same connection slot (deadline and latency keep
   * running). Returns false when the redirect is not followed: its 3xx is then the response.
   */
  private follow(location: string): boolean {
    const host = this.host;
    this.location = null;
    const next = nextHop(this.hopOpts ?? host.dispatchOpts[this.req]!, this.status, location, host.origin);
    if (next === null) return false;
    if (this.hops >= host.maxRedirects) {
      const now = performance.now();
      this.end(now);
      host.recorder.recordFailure(this.req, 'redirect', (now - this.startedAt) * 1000, `more than ${host.maxRedirects} redirects (the last to ${location})`, now, this);
      host.afterRequest(this, true);
      return true;
    }
    this.hops++;
    host.recorder.recordRedirect(this.req, this);
    this.hopOpts = next;
    const session = this.session;
    if (session !== null) {
      // The redirect's own body is not the response the plan reads; its cookies count for the next hop.
      if (this.rplan !== undefined) session.response.reset();
      if (session.jar !== null && session.jar.size > 0) this.addCookies(session.jar);
    }
    this.status = 0;
    this.abortFn = null;
    this.dispatch();
    return true;
  }

  // ---- undici core handler --------------------------------------------------------------

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
    this.sentAt = performance.now();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | null): boolean {
    // 1xx informational responses come first; the final status is what counts.
    if (statusCode >= 200) {
      this.status = statusCode;
      if (statusCode < 400 && statusCode > 300 && this.host.maxRedirects > 0 && isRedirect(statusCode)) this.location = locationOf(rawHeaders);
      const session = this.session;
      if (session !== null) {
        if (session.jar !== null) session.storeCookies(rawHeaders);
        if (this.rplan !== undefined) session.response.setHeaders(statusCode, rawHeaders);
      }
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.host.recorder.recordBytes(chunk.length, this);
    if (this.readBody) this.session!.response.addBody(chunk);
    return true;
  }

  onComplete(): void {
    if (!this.inFlight) return;
    if (this.location !== null && !this.interrupted && this.follow(this.location)) return;
    const now = performance.now();
    this.end(now);
    if (this.interrupted) {
      this.host.recorder.recordInterrupted(this.req, this);
    } else {
      this.backoffMs = 0;
      this.host.recorder.recordResponse(this.req, this.status, (now - this.startedAt) * 1000, now, this);
      if (this.rplan !== undefined) this.runPlan(this.rplan, now);
    }
    this.host.afterRequest(this, false);
  }

  /** Extractions and checks on the response just read; a failed skip_iteration check restarts the pass. */
  private runPlan(plan: ResponsePlan, now: number): void {
    const session = this.session!;
    session.response.latencyMs = now - this.startedAt;
    if (session.complete(plan, this.tpl?.values ?? NO_VALUES, this.host.recorder, now)) this.plan.skipPass();
  }

  onError(err: Error): void {
    if (!this.inFlight) return;
    const host = this.host;
    if (!this.interrupted && !this.timedOut && this.sentAt < 0 && host.connections.isRetired(this.conn)) {
      // Its connection was replaced before the request got on it: send it on the new one.
      this.dispatch();
      return;
    }
    const now = performance.now();
    if (this.interrupted) {
      this.end(now);
      host.recorder.recordInterrupted(this.req, this);
      host.afterRequest(this, true);
      return;
    }
    if (this.timedOut) err = new RequestTimeoutError(host.timeouts[this.req]!);
    // Never handed to a connection (refused, DNS, TLS…): replace the connection (before the
    // slot passes to the next VU) and back off; no latency sample.
    else if (this.sentAt < 0) host.connectFailed(this, this.slot, this.conn!);
    const us = this.sentAt >= 0 ? (now - this.startedAt) * 1000 : -1;
    this.end(now);
    host.recorder.recordFailure(this.req, classifyError(err), us, describeError(err), now, this);
    host.afterRequest(this, true);
  }

  /**
   * The request is over. Its connection slot (shared mode) is handed to the next VU waiting by
   * handOff(), which the host calls once this request's outcome is recorded: the next VU can end
   * at once (a dispatch that fails synchronously) and, as the last one in flight, end the run —
   * which must not happen before this outcome is counted.
   */
  private end(now: number): void {
    this.inFlight = false;
    this.abortFn = null;
    this.host.inFlight--;
    if (this.host.connections.queued && this.slot >= 0) {
      this.freedSlot = this.slot;
      this.freedAt = now >= 0 ? now : performance.now();
      this.slot = -1;
    }
  }

  /** Gives the slot end() freed to the VU that waited longest (Run.afterRequest calls it first). */
  handOff(): void {
    const slot = this.freedSlot;
    if (slot < 0) return;
    this.freedSlot = -1;
    const c = this.host.connections;
    const t = this.freedAt;
    let next: Vu | undefined;
    // A VU whose deadline passed in the queue times out there; it never gets the connection.
    while ((next = c.release(slot) as Vu | undefined) !== undefined && t >= next.deadline) next.expireInQueue(t);
    if (next !== undefined) next.dequeued(slot, t);
  }
}
