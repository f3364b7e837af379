/**
 * The simulated target, behind the runner's Connection interface: each request dispatched on a
 * SimConnection is answered through the same handler callbacks an undici Client or an
 * H2Connection calls (onConnect, onHeaders, onData, onComplete, onError), at virtual times
 * scheduled on the simulation's clock. The runner cannot tell the difference, so its accounting
 * (latency, queue wait, timeouts, failure kinds, connect time) is the code that runs for real.
 *
 * A request's life: a new connection first takes connect_ms to open (reported as connect time),
 * or is refused (connect_rate); then the request holds a server of the target's capacity for its
 * service time, after waiting in the queue if every server is busy (a full queue answers
 * queue_full_status at once); then it is answered (200, or error_status at error_rate), reset
 * (reset_rate), or never answered (timeout_rate: it holds its server until the client gives up).
 * Every answer is an event of its own, never a call back from inside dispatch.
 */
import type { Dispatcher } from 'undici';
import type { Connection } from '../run/connections';
import type { ResponseModel, Simulation } from '../scenario/model';
import { Capacity, type Waiting } from './capacity';
import { Fate, Sampler } from './sampling';
import type { Scheduler, SimEvent } from './scheduler';

type Handler = {
  onConnect(abort: (err?: Error) => void): void;
  onHeaders(status: number, headers: Buffer[], resume: () => void, statusText: string): boolean;
  onData(chunk: Buffer): boolean;
  onComplete(trailers: Buffer[] | null): void;
  onError(err: Error): void;
};

/** A failure of the simulated target, with the code classify.ts knows it by. */
class SimError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const NO_HEADERS: Buffer[] = [];
const noop = (): void => undefined;

/** The target of one simulated run: its model, its capacity, its clock and its draws. */
export class SimTarget {
  readonly capacity: Capacity;
  readonly sampler: Sampler;
  readonly connectUs: number;
  /** Filler bytes every body is a view of. */
  readonly body: Buffer;
  private readonly url: string;

  constructor(readonly sim: Simulation, readonly scheduler: Scheduler, seed: number, readonly multiplexed: boolean) {
    this.capacity = new Capacity(sim.concurrency ?? Infinity, sim.queueLimit ?? Infinity);
    this.sampler = new Sampler(seed);
    this.connectUs = Math.round(sim.connectMs * 1000);
    this.body = Buffer.alloc(Math.max(sim.answers.responseBytes, ...sim.requests.map((m) => m.responseBytes)), 0x20);
    this.url = `sim://${sim.name}`;
  }

  /**
   * The model of a request. A VU is its own dispatch handler (vu.ts) and carries the index of its
   * request in flight (`req`): the target tells requests apart by it, as a real one would by its
   * path. Other handlers ([[setup]], [[teardown]]) get [simulation]'s answers.
   */
  modelOf(handler: object): ResponseModel {
    const req = (handler as { req?: unknown }).req;
    return typeof req === 'number' ? this.sim.requests[req] ?? this.sim.answers : this.sim.answers;
  }

  error(code: string, what: string): SimError {
    return new SimError(code, `${this.url} (simulated): ${what}`);
  }
}

/** One request on a SimConnection, from dispatch to its end. */
class Job implements Waiting {
  queued = false;
  done = false;
  private event: SimEvent | undefined;
  private serving = false;
  private readonly fate: Fate;
  private readonly serviceUs: number;

  constructor(private readonly conn: SimConnection, private readonly handler: Handler, private readonly model: ResponseModel) {
    const sampler = conn.target.sampler;
    this.fate = sampler.fate(model);
    this.serviceUs = sampler.serviceUs(model);
  }

  start(): void {
    const t = this.conn.target;
    if (this.fate === Fate.Connect) this.at(t.connectUs, () => this.fail(t.error('ECONNREFUSED', 'connection refused (connect_rate)')));
    else this.conn.whenOpen(this);
  }

  /** On an open connection: the request is sent, and waits for a server (or is turned away). */
  send(): void {
    this.handler.onConnect(this.abort);
    if (!this.conn.target.capacity.admit(this)) this.at(0, () => this.answer(this.conn.target.sim.queueFullStatus, 0));
  }

  /** A server took the request: its answer comes after the service time (a timeout's never). */
  serve(): void {
    this.serving = true;
    if (this.fate === Fate.Timeout) return;
    this.at(this.serviceUs, () => {
      this.serving = false;
      this.conn.target.capacity.release();
      if (this.fate === Fate.Reset) {
        this.conn.dropped();
        this.fail(this.conn.target.error('ECONNRESET', 'the connection was reset (reset_rate)'));
      } else this.answer(this.fate === Fate.Error ? this.model.errorStatus : 200, this.model.responseBytes);
    });
  }

  private answer(status: number, bytes: number): void {
    if (this.end()) return;
    const h = this.handler;
    h.onHeaders(status, NO_HEADERS, noop, '');
    if (bytes > 0) h.onData(this.conn.target.body.subarray(0, bytes));
    h.onComplete(null);
  }

  private fail(err: Error): void {
    if (this.end()) return;
    this.handler.onError(err);
  }

  /** The client gives up (its timeout, the end of the run): the request leaves the target, the connection closes. */
  private readonly abort = (err?: Error): void => {
    if (this.done) return;
    this.drop();
    this.conn.dropped();
    this.fail(err ?? this.conn.target.error('UND_ERR_ABORTED', 'request aborted'));
  };

  /** The connection was closed under the request (the run ended, or the runner replaced it). */
  destroyed(err: Error): void {
    if (this.done) return;
    this.drop();
    this.fail(err);
  }

  /** Takes the request out of the target: no more events; its place in the queue or its server is given back. */
  private drop(): void {
    const t = this.conn.target;
    t.scheduler.cancel(this.event);
    t.capacity.leave(this);
    if (this.serving) {
      this.serving = false;
      t.capacity.release();
    }
  }

  /** Marks the request over; true when it already was. */
  private end(): boolean {
    if (this.done) return true;
    this.done = true;
    this.conn.forget(this);
    return false;
  }

  private at(us: number, fn: () => void): void {
    this.event = this.conn.target.scheduler.after(us, fn);
  }
}

export class SimConnection implements Connection {
  destroyed = false;
  /** Connected: a request is sent at once. */
  private open = false;
  /** The connection being opened, and the requests waiting for it. */
  private opening: SimEvent | undefined;
  private waiting: Job[] = [];
  private readonly jobs = new Set<Job>();

  constructor(readonly target: SimTarget, private readonly onConnect: (us: number) => void) {}

  dispatch(_opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.destroyed) throw this.target.error('UND_ERR_DESTROYED', 'the connection was closed');
    const job = new Job(this, handler as unknown as Handler, this.target.modelOf(handler));
    this.jobs.add(job);
    job.start();
    return true;
  }

  /** Sends the request now, or once the connection has opened (connect_ms, reported as connect time). */
  whenOpen(job: Job): void {
    if (this.open) return job.send();
    this.waiting.push(job);
    this.opening ??= this.target.scheduler.after(this.target.connectUs, () => {
      this.opening = undefined;
      this.open = true;
      this.onConnect(this.target.connectUs);
      const ready = this.waiting;
      this.waiting = [];
      for (const j of ready) if (!j.done) j.send();
    });
  }

  /**
   * A request on it was reset or aborted: an HTTP/1.1 connection is closed then, and the next
   * request opens a new one. On HTTP/2 only that stream ends.
   */
  dropped(): void {
    if (!this.target.multiplexed) this.open = false;
  }

  forget(job: Job): void {
    this.jobs.delete(job);
  }

  destroy(): Promise<void> {
    this.destroyed = true;
    this.open = false;
    this.target.scheduler.cancel(this.opening);
    const err = this.target.error('UND_ERR_DESTROYED', 'the connection was closed');
    for (const job of [...this.jobs]) job.destroyed(err);
    return Promise.resolve();
  }
}
