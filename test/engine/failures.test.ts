/**
 * Every failure kind, produced for real against loopback servers that misbehave on purpose,
 * and the invariant issued = succeeded + failed + interrupted in each run. A target that is
 * down is a run full of classified failures, not a crash.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FailureKind, Results } from '../../engine/metrics/results-types';
import { runScenario } from '../../engine/run';
import { assertAccounted, httpServer, refusedPort, scenarioFrom, tcpServer, type Listening } from './helpers';

function scenario(baseUrl: string, opts: { timeoutMs?: number; vus?: number; seconds?: number; path?: string } = {}) {
  return scenarioFrom(`
[runtime]
duration_seconds = ${opts.seconds ?? 1}
vus = ${opts.vus ?? 2}
prng_seed = 1
[target]
base_url = "${baseUrl}"
connection_timeout_ms = 2000
[[requests]]
name = "only"
path = "${opts.path ?? '/'}"
timeout_ms = ${opts.timeoutMs ?? 2000}
`);
}

const servers: Listening[] = [];
const results = new Map<string, Results>();

function only(r: Results, kind: FailureKind): void {
  assertAccounted(r);
  assert.ok(r.totals.failed > 0, `expected failures, got ${JSON.stringify(r.totals)}`);
  assert.deepEqual(Object.keys(r.failures), [kind], `failures: ${JSON.stringify(r.failures)} samples: ${JSON.stringify(r.failureSamples)}`);
  assert.equal(r.totals.succeeded, 0);
  assert.ok(r.failureSamples[kind]!.length >= 1, 'a sample message is kept');
  assert.equal(r.requests[0]!.failures[kind], r.totals.failed, 'per-request failures match');
  assert.equal(r.status, 'completed');
}

before(async () => {
  const refused = await refusedPort();
  // Headers promise 100 bytes, 4 arrive, then the connection is cut.
  const reset = await tcpServer((s) => {
    s.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nhalf');
    setTimeout(() => s.destroy(), 5);
  });
  const malformed = await tcpServer((s) => s.write('THIS IS NOT HTTP\r\n\r\n'));
  const slow = await httpServer((_req, res) => {
    const t = setTimeout(() => res.end('late'), 3000);
    res.on('close', () => clearTimeout(t));
  });
  const status = await httpServer((req, res) => {
    const code = Number(req.url!.slice(1));
    res.writeHead(code, { 'content-length': 2 });
    res.end('x\n');
  });
  servers.push(reset, malformed, slow, status);
  const runs: [string, ReturnType<typeof scenario>][] = [
    ['connect', scenario(`http://127.0.0.1:${refused}`)],
    ['reset', scenario(reset.url)],
    ['protocol', scenario(malformed.url)],
    ['timeout', scenario(slow.url, { timeoutMs: 200, seconds: 1 })],
    ['http_5xx', scenario(status.url, { path: '/503' })],
    ['http_4xx', scenario(status.url, { path: '/404' })],
    ['tls', scenario(status.url.replace('http:', 'https:'))],
    ['dns', scenario('http://z6-does-not-exist.invalid')],
  ];
  // Concurrently: each run lasts about a second.
  await Promise.all(runs.map(async ([name, s]) => results.set(name, await runScenario(s))));
});

after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('failure kinds from real misbehaving targets', () => {
  test('refused port → connect; never sent, so no latency samples', () => {
    const r = results.get('connect')!;
    only(r, 'connect');
    assert.equal(r.latency.count, 0);
    assert.match(r.failureSamples.connect![0]!, /ECONNREFUSED/);
  });

  test('connection cut mid-body → reset', () => {
    only(results.get('reset')!, 'reset');
  });

  test('malformed status line → protocol (HPE_* parser error)', () => {
    const r = results.get('protocol')!;
    only(r, 'protocol');
    assert.match(r.failureSamples.protocol![0]!, /HTTPParserError|HPE_/);
  });

  test('server slower than timeout_ms → timeout, latency about the timeout', () => {
    const r = results.get('timeout')!;
    only(r, 'timeout');
    // 1 s of 200 ms timeouts on 2 VUs: a handful each.
    assert.ok(r.totals.failed >= 4 && r.totals.failed <= 14, `failed ${r.totals.failed}`);
    assert.ok(r.latency.p50 >= 190 && r.latency.p50 < 1000, `p50 ${r.latency.p50}`);
  });

  test('503 → http_5xx, 404 → http_4xx, counted by status code', () => {
    const five = results.get('http_5xx')!;
    only(five, 'http_5xx');
    assert.equal(five.statusCodes['503'], five.totals.failed);
    const four = results.get('http_4xx')!;
    only(four, 'http_4xx');
    assert.equal(four.statusCodes['404'], four.totals.failed);
    assert.ok(four.latency.count === four.totals.failed, 'responses that fail still have a latency');
  });

  test('TLS to a plain-HTTP port → tls', () => {
    only(results.get('tls')!, 'tls');
  });

  test('unknown host → dns (a lookup slower than connection_timeout_ms is a connect timeout)', () => {
    const r = results.get('dns')!;
    assertAccounted(r);
    assert.ok((r.failures.dns ?? 0) > 0 && (r.failures.dns ?? 0) >= (r.failures.connect ?? 0), JSON.stringify(r.failures));
    assert.deepEqual(Object.keys(r.failures).filter((k) => k !== 'dns' && k !== 'connect'), []);
    assert.match(r.failureSamples.dns![0]!, /ENOTFOUND|EAI_AGAIN/);
    assert.equal(r.totals.succeeded, 0);
  });
});
