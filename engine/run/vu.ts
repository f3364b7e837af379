/**
 * A virtual user, which is also its own undici dispatch handler: one long-lived object per VU
 * with the core ("legacy") handler shape, the fastest on undici 7 (performance.md §5.1). Per
 * request there is no promise, closure, timer or options object — only numbers set on `this`.
 *
 * The same class serves the open model as an in-flight slot: the host decides what happens
 * after each request (closed: think, then the next one; open: back to the free list).
 */
import type { Client, Dispatcher } from 'undici';
import type { VuPlan } from '../plan/choice';
import type { Recorder } from '../metrics/recorder';
import { classifyError, describeError } from './classify';

export interface VuHost {
  readonly recorder: Recorder;
  readonly dispatchOpts: readonly Dispatcher.DispatchOptions[];
  readonly timeouts: Float64Array;
  /** True once the run stops issuing. */
  readonly stopping: boolean;
  inFlight: number;
  issued: number;
  /** Called after every request of this VU ended (response, failure or interruption). */
  afterRequest(vu: Vu, failed: boolean): void;
  /** Called when this VU's think time has passed. */
  afterThink(vu: Vu): void;
}

export class Vu {
  readonly index: number;
  readonly plan: VuPlan;
  private readonly host: VuHost;
  private readonly client: Client;
  private readonly handler: Dispatcher.DispatchHandler;

  /** The scheduler wants this VU running (closed model). */
  active = false;
  /** Finished its iterations; never restarts. */
  done = false;
  inFlight = false;
  /** Waiting for its think time to pass. */
  timer: NodeJS.Timeout | undefined = undefined;
  /** Set when the run ends with this request in flight: it counts as interrupted. */
  interrupted = false;

  // The request in flight.
  req = -1;
  /** performance.now() when dispatched (queue + connect + send + response). */
  startedAt = 0;
  /** performance.now() when handed to the connection (onConnect), -1 before. */
  sentAt = -1;
  deadline = 0;
  status = 0;
  /** Open model: when this request was meant to start. */
  intendedAt = 0;
  private abortFn: ((err?: Error) => void) | null = null;

  /** Bound once, for setTimeout / setImmediate. */
  readonly wake: () => void;

  constructor(index: number, plan: VuPlan, host: VuHost, client: Client) {
    this.index = index;
    this.plan = plan;
    this.host = host;
    this.client = client;
    this.wake = () => {
      this.timer = undefined;
      this.host.afterThink(this);
    };
    // undici 7 types mark the core handler methods deprecated; they are still its native shape.
    this.handler = this as unknown as Dispatcher.DispatchHandler;
  }

  /** Sends request `req` now. */
  send(req: number, now: number): void {
    const host = this.host;
    this.req = req;
    this.status = 0;
    this.sentAt = -1;
    this.abortFn = null;
    this.interrupted = false;
    this.inFlight = true;
    this.startedAt = now;
    this.deadline = now + host.timeouts[req]!;
    host.inFlight++;
    host.issued++;
    host.recorder.recordIssued(req);
    try {
      this.client.dispatch(host.dispatchOpts[req]!, this.handler);
    } catch (e) {
      this.onError(e as Error);
    }
  }

  /** Ends the request in flight as interrupted (run over or cancelled). */
  interrupt(): void {
    if (!this.inFlight) return;
    this.interrupted = true;
    if (this.abortFn) this.abortFn();
    // Not yet on a connection: the client's destroy() at the end of the run errors it.
  }

  /** Whole-request deadline, checked by the runner's tick (undici's own timeouts are per phase). */
  checkDeadline(now: number, error: (ms: number) => Error): void {
    if (this.inFlight && now > this.deadline && this.abortFn) this.abortFn(error(this.host.timeouts[this.req]!));
  }

  // ---- undici core handler --------------------------------------------------------------

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
    this.sentAt = performance.now();
  }

  onHeaders(statusCode: number): boolean {
    // 1xx informational responses come first; the final status is what counts.
    if (statusCode >= 200) this.status = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.host.recorder.bytesReceived += chunk.length;
    return true;
  }

  onComplete(): void {
    if (!this.inFlight) return;
    const now = performance.now();
    this.end();
    if (this.interrupted) {
      this.host.recorder.recordInterrupted(this.req);
    } else {
      this.host.recorder.recordResponse(this.req, this.status, (now - (this.sentAt >= 0 ? this.sentAt : this.startedAt)) * 1000, now);
    }
    this.host.afterRequest(this, false);
  }

  onError(err: Error): void {
    if (!this.inFlight) return;
    const now = performance.now();
    this.end();
    if (this.interrupted) {
      this.host.recorder.recordInterrupted(this.req);
    } else {
      // Never handed to a connection (refused, DNS, TLS…): no latency sample.
      const us = this.sentAt >= 0 ? (now - this.sentAt) * 1000 : -1;
      this.host.recorder.recordFailure(this.req, classifyError(err), us, describeError(err), now);
    }
    this.host.afterRequest(this, true);
  }

  private end(): void {
    this.inFlight = false;
    this.abortFn = null;
    this.host.inFlight--;
  }
}
