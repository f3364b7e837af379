/**
 * The bare-undici baseline (`npm run bench -- --baseline`): the best design of performance.md
 * (§2a "undici-dispatch-client:js") with nothing else — one Client per connection, one
 * long-lived legacy-shape handler per connection, reused dispatch opts, performance.now(), one
 * hdr record of integer µs per response. z6 ÷ this is the cost of the engine around undici
 * (plans, per-second samples, deadlines, failure classification).
 *
 * Usage: node bench/lib/undici-baseline.mjs PORT CONNECTIONS SECONDS → one JSON line on stdout.
 */
import { Client } from 'undici';
import * as hdr from 'hdr-histogram-js';

const [port, connections, seconds] = process.argv.slice(2).map(Number);
const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, bitBucketSize: 32 });
const opts = { method: 'GET', path: '/', headers: { 'user-agent': 'z6-bench-baseline' } };
let completed = 0;
let errors = 0;
let stopping = false;

class Connection {
  constructor(client) {
    this.client = client;
    this.startedAt = 0;
  }
  send() {
    this.startedAt = performance.now();
    this.client.dispatch(opts, this);
  }
  onConnect() {}
  onHeaders() {
    return true;
  }
  onData() {
    return true;
  }
  onComplete() {
    histogram.recordValue(Math.round((performance.now() - this.startedAt) * 1000));
    completed++;
    if (!stopping) this.send();
  }
  onError() {
    if (stopping) return;
    errors++;
    setTimeout(() => this.send(), 10);
  }
}

const clients = [];
const t0 = performance.now();
for (let i = 0; i < connections; i++) {
  const client = new Client(`http://127.0.0.1:${port}`, { pipelining: 1 });
  clients.push(client);
  new Connection(client).send();
}
setTimeout(() => {
  stopping = true;
  const duration = (performance.now() - t0) / 1000;
  const ms = (p) => histogram.getValueAtPercentile(p) / 1000;
  process.stdout.write(JSON.stringify({ requests: completed, errors, duration, p50: ms(50), p99: ms(99) }) + '\n');
  for (const c of clients) c.destroy().catch(() => undefined);
}, seconds * 1000);
