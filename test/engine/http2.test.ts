/**
 * HTTP/2 against real h2c servers on loopback: VUs that share a connection multiplex their
 * streams on it, and a graceful GOAWAY (as nginx sends after a number of requests) neither fails
 * a request the server answered nor loses one it never processed.
 */
import assert from 'node:assert/strict';
import http2, { type Http2Server, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { runScenario } from '../../engine/run';
import { assertAccounted, scenarioFrom } from './helpers';

const servers: Http2Server[] = [];
after(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

interface Stats {
  sessions: number;
  streams: number;
  answered: number;
  concurrent: number;
  maxConcurrent: number;
}

/** An h2c server; `onStream` decides how each stream is answered. */
async function h2c(onStream: (stream: ServerHttp2Stream, session: ServerHttp2Session, n: number, stats: Stats) => void) {
  const stats: Stats = { sessions: 0, streams: 0, answered: 0, concurrent: 0, maxConcurrent: 0 };
  const perSession = new WeakMap<ServerHttp2Session, number>();
  const server = http2.createServer();
  server.on('session', () => stats.sessions++);
  server.on('stream', (stream) => {
    const session = stream.session as ServerHttp2Session;
    const n = (perSession.get(session) ?? 0) + 1;
    perSession.set(session, n);
    stats.streams++;
    stats.concurrent++;
    stats.maxConcurrent = Math.max(stats.maxConcurrent, stats.concurrent);
    stream.on('close', () => stats.concurrent--);
    stream.on('error', () => undefined);
    onStream(stream, session, n, stats);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stats };
}

function answer(stream: ServerHttp2Stream, stats: Stats, delayMs: number): void {
  setTimeout(() => {
    if (stream.destroyed || stream.closed) return;
    stats.answered++;
    stream.respond({ ':status': 200 });
    stream.end('ok');
  }, delayMs);
}

function scenario(url: string, extra: string, runtime: string) {
  return scenarioFrom(`[runtime]\n${runtime}\nprng_seed = 1\n[target]\nbase_url = "${url}"\nhttp_version = "http2"\n${extra}\n[[requests]]\nname = "r"\npath = "/"\n`);
}

test('max_connections = 1: the VUs multiplex their streams on the one connection', async () => {
  const { url, stats } = await h2c((stream, _s, _n, st) => answer(stream, st, 200));
  const r = await runScenario(scenario(url, 'max_connections = 1', 'vus = 4\niterations = 5\nduration_seconds = 30'));
  assertAccounted(r);
  assert.equal(r.totals.succeeded, 20);
  assert.equal(stats.sessions, 1);
  assert.equal(r.totals.connectionsOpened, 1);
  // Wrong answer (one stream at a time): 1 concurrent stream, 20 × 200 ms = 4 s.
  assert.equal(stats.maxConcurrent, 4);
  assert.ok(r.durationSeconds < 1.8, `took ${r.durationSeconds} s`);
  assert.equal(r.queueWait, undefined, 'HTTP/2 streams do not queue in z6');
});

test('graceful GOAWAY after every 10 streams: every request succeeds, none is lost', async () => {
  // As nginx does at keepalive_requests: GOAWAY(NO_ERROR) naming the last stream it accepted,
  // then the streams up to it are answered.
  const { url, stats } = await h2c((stream, session, n, st) => {
    answer(stream, st, 20);
    if (n === 10) session.close();
  });
  const r = await runScenario(scenario(url, 'max_connections = 1', 'vus = 3\niterations = 20\nduration_seconds = 30'));
  assertAccounted(r);
  assert.deepEqual(r.failures, {}, JSON.stringify(r.failureSamples));
  assert.equal(r.totals.succeeded, 60);
  assert.ok(stats.sessions >= 6, `sessions ${stats.sessions}`);
  assert.equal(r.totals.connectionsOpened, stats.sessions);
});

test('GOAWAY below streams already sent: those above its last-stream-id are sent again, not failed', async () => {
  let lastAccepted = Infinity;
  const { url, stats } = await h2c((stream, session, n, st) => {
    if (stream.id! > lastAccepted && session === goneSession) return; // never processed
    answer(stream, st, 50);
    if (n === 6) {
      // Accept only up to this stream; the client has more streams in flight on this session.
      goneSession = session;
      lastAccepted = stream.id!;
      session.goaway(http2.constants.NGHTTP2_NO_ERROR, stream.id!);
      setTimeout(() => session.close(), 100);
    }
  });
  let goneSession: ServerHttp2Session | undefined;
  const r = await runScenario(scenario(url, 'max_connections = 1', 'vus = 4\niterations = 4\nduration_seconds = 30'));
  assertAccounted(r);
  assert.deepEqual(r.failures, {}, JSON.stringify(r.failureSamples));
  assert.equal(r.totals.succeeded, 16);
  assert.equal(stats.answered, 16, 'each request answered exactly once');
  assert.ok(stats.streams > 16, `the refused streams were sent again (${stats.streams} streams)`);
});

test('a server that does not speak HTTP/2 is a clear protocol failure, with back-off', async () => {
  const h1 = createHttpServer((_q, res) => res.end('ok'));
  await new Promise<void>((r) => h1.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(h1.address() as AddressInfo).port}`;
    const r = await runScenario(scenario(url, '', 'vus = 2\nduration_seconds = 1'));
    assertAccounted(r);
    assert.deepEqual(Object.keys(r.failures), ['protocol']);
    assert.match(r.failureSamples.protocol![0]!, /not an HTTP\/2 server/);
    // Failing before the server's SETTINGS counts as a failed connect: the VUs back off.
    assert.ok(r.totals.issued <= 2 * 10, `issued ${r.totals.issued}`);
    assert.equal(r.totals.connectionsOpened, 0);
  } finally {
    h1.close();
  }
});
