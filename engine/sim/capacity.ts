/**
 * The simulated target's capacity: `concurrency` servers, each serving one request at a time,
 * and one first-in, first-out queue for the requests that find them all busy, optionally
 * bounded (a request that finds the queue full is turned away). With offered load above
 * concurrency ÷ service time the queue grows and latency climbs, as on a real server.
 */

/** A request as the capacity sees it. */
export interface Waiting {
  /** True while it waits in the queue (cleared when it leaves: lazy removal). */
  queued: boolean;
  /** Called when a server takes it. */
  serve(): void;
}

export class Capacity {
  private busy = 0;
  private waiting = 0;
  private readonly queue: (Waiting | undefined)[] = [];
  private head = 0;

  /** Infinity: unlimited. */
  constructor(private readonly servers: number, private readonly queueLimit: number) {}

  /** Serves the request now or queues it; false when the queue is full (turned away). */
  admit(w: Waiting): boolean {
    if (this.busy < this.servers) {
      this.busy++;
      w.serve();
      return true;
    }
    if (this.waiting >= this.queueLimit) return false;
    w.queued = true;
    this.waiting++;
    this.queue.push(w);
    return true;
  }

  /** A server is free: the request that waited longest takes it. */
  release(): void {
    while (this.head < this.queue.length) {
      const w = this.queue[this.head];
      this.queue[this.head++] = undefined;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      if (w === undefined || !w.queued) continue;
      w.queued = false;
      this.waiting--;
      w.serve();
      return;
    }
    this.busy--;
  }

  /** The request gives up its place in the queue (its client timed out, or the run ended). */
  leave(w: Waiting): void {
    if (!w.queued) return;
    w.queued = false;
    this.waiting--;
  }
}
