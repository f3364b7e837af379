/**
 * Which connection each request goes out on. Z6 keeps its own connection slots so that a request
 * never waits inside the HTTP client, where its wait could be neither measured nor timed out
 * without closing a socket that other VUs share:
 * - one connection per VU (the default, as k6 and browsers do): VU i always uses slot i;
 * - HTTP/1.1 with `max_connections` below the concurrency: VUs wait in one FIFO for a free slot.
 *   That wait is the request's *queue wait*; it counts in its latency and its timeout, and a
 *   request that times out while waiting leaves the queue without touching any socket;
 * - HTTP/2 with `max_connections`: VU i uses slot i % max_connections and the VUs of one slot
 *   multiplex their streams on it (no queue of ours; the server's stream limit still applies).
 */
import type { Dispatcher } from 'undici';

/** An undici Client (HTTP/1.1) or an H2Connection: both take undici's core dispatch handler. */
export interface Connection {
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean;
  destroy(): Promise<void>;
  readonly destroyed: boolean;
}

/** What the FIFO needs to know of a waiting VU. */
export interface Waiter {
  /** True while the VU is in the FIFO; cleared when it leaves (lazy removal). */
  queued: boolean;
}

export class Connections {
  readonly conns: Connection[] = [];
  /** True when VUs share slots through the FIFO (HTTP/1.1, fewer slots than concurrency). */
  readonly queued: boolean;
  readonly count: number;
  private readonly make: () => Connection;
  private readonly free: number[] = [];
  private readonly waiting: Waiter[] = [];
  private head = 0;
  /** Connections replaced by replace(): requests still on them that never started are sent again. */
  private readonly retired = new WeakSet<Connection>();

  constructor(count: number, queued: boolean, make: () => Connection) {
    this.count = count;
    this.queued = queued;
    this.make = make;
    for (let i = count - 1; i >= 0; i--) this.free.push(i);
  }

  /** The connection in a slot, opened on first use. */
  conn(slot: number): Connection {
    return (this.conns[slot] ??= this.make());
  }

  /** Queued mode: a free slot for the VU, or -1 when it must wait (it is then in the FIFO). */
  acquire(w: Waiter): number {
    const slot = this.free.pop();
    if (slot !== undefined) return slot;
    w.queued = true;
    this.waiting.push(w);
    return -1;
  }

  /** Queued mode: the slot is free again; returns the VU that waited longest for it, if any. */
  release(slot: number): Waiter | undefined {
    while (this.head < this.waiting.length) {
      const w = this.waiting[this.head]!;
      this.waiting[this.head++] = undefined as unknown as Waiter;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      if (w.queued) {
        w.queued = false;
        return w;
      }
    }
    this.free.push(slot);
    return undefined;
  }

  /** The VU gives up its place in the FIFO (timed out or interrupted while waiting). */
  leave(w: Waiter): void {
    w.queued = false;
  }

  /**
   * Closes the connection in a slot and opens a fresh one for the next request. Used when a
   * request's deadline passes while its connection is still being opened (undici offers no
   * other way to stop that), and after a failed connect, so a client left in a bad state (undici
   * keeps requests pending after a certificate-name mismatch) is never reused.
   */
  replace(slot: number, old: Connection): void {
    if (this.conns[slot] !== old) return;
    this.retired.add(old);
    this.conns[slot] = this.make();
    old.destroy().catch(() => undefined);
  }

  isRetired(c: Connection | null): boolean {
    return c !== null && this.retired.has(c);
  }

  destroyAll(): Promise<unknown> {
    return Promise.all(this.conns.map((c) => (c && !c.destroyed ? c.destroy().catch(() => undefined) : undefined)));
  }
}
