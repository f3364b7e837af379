/**
 * HTTP as the RFCs say a client must take it, from raw TCP servers that send exactly the bytes
 * under test: an unsolicited 100 Continue, a 413 sent before the upload is read, a status outside
 * 100–599, and redirects (followed, counted, loops failed).
 */
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { formatSummary } from '../../engine/report/summary';
import { runScenario } from '../../engine/run';
import { readBodies } from '../../engine/scenario/body-files';
import { assertAccounted, httpServer, scenarioFrom, tcpServer, type Listening } from './helpers';

const servers: Listening[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

function scenario(url: string, request: string, runtime = 'vus = 2\niterations = 5', target = '') {
  return scenarioFrom(`[runtime]\n${runtime}\nduration_seconds = 30\nprng_seed = 1\n[target]\nbase_url = "${url}"\n${target}\n[[requests]]\nname = "r"\n${request}\n`);
}

/** Calls `respond` once per request head received (requests are small and not pipelined). */
async function raw(respond: (head: string) => string | Buffer) {
  const l = await tcpServer((socket, chunk) => {
    const head = chunk.toString('latin1');
    if (/^[A-Z]+ \//.test(head)) socket.write(respond(head));
  });
  servers.push(l);
  return l;
}

describe('informational and odd statuses', () => {
  test('an unsolicited 100 Continue before the final response is skipped (RFC 9110 §15.2)', async () => {
    const l = await raw(() => 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    const r = await runScenario(scenario(l.url, 'path = "/"'));
    assertAccounted(r);
    assert.deepEqual(r.failures, {}, JSON.stringify(r.failureSamples));
    assert.deepEqual(r.statusCodes, { '200': 10 });
  });

  test('100 Continue split across packets, and two of them, are skipped too', async () => {
    const l = await tcpServer((socket, chunk) => {
      if (!/^[A-Z]+ \//.test(chunk.toString('latin1'))) return;
      socket.write('HTTP/1.1 10');
      setTimeout(() => socket.write('0 Continue\r\n\r\nHTTP/1.1 100 Continue\r\nX: y\r\n\r\n'), 5);
      setTimeout(() => socket.write('HTTP/1.1 204 No Content\r\n\r\n'), 10);
    });
    servers.push(l);
    const r = await runScenario(scenario(l.url, 'path = "/"'));
    assertAccounted(r);
    assert.deepEqual(r.failures, {}, JSON.stringify(r.failureSamples));
    assert.deepEqual(r.statusCodes, { '204': 10 });
  });

  test('103 Early Hints before the final response: the final status counts', async () => {
    const l = await raw(() => 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    const r = await runScenario(scenario(l.url, 'path = "/"'));
    assert.deepEqual(r.statusCodes, { '200': 10 });
  });

  test('a status outside 100–599 is a protocol failure, not http_5xx', async () => {
    const l = await raw(() => 'HTTP/1.1 600 Strange\r\ncontent-length: 2\r\n\r\nok');
    const r = await runScenario(scenario(l.url, 'path = "/"'));
    assertAccounted(r);
    assert.deepEqual(r.failures, { protocol: 10 }, JSON.stringify(r.failureSamples));
    assert.match(r.failureSamples.protocol![0]!, /600/);
    assert.deepEqual(r.statusCodes, { '600': 10 });
  });
});

test('a 413 sent before the upload is read counts as the response it is, not a reset', async () => {
  // Reads 64 KiB of the 8 MiB body, answers 413 and resets the connection: the client is still
  // writing (EPIPE / ECONNRESET on its side) when the response arrives.
  const l = await tcpServer((socket, chunk) => {
    const s = socket as typeof socket & { got?: number };
    s.got = (s.got ?? 0) + chunk.length;
    if (s.got > 65536 && !s.destroyed) {
      socket.write('HTTP/1.1 413 Content Too Large\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      socket.destroy();
    }
  });
  servers.push(l);
  const dir = mkdtempSync(join(tmpdir(), 'z6-413-'));
  writeFileSync(join(dir, 'big.bin'), Buffer.alloc(8 * 1024 * 1024, 1));
  const s = scenarioFrom(
    `[runtime]\nvus = 2\niterations = 5\n[target]\nbase_url = "${l.url}"\n[[requests]]\nname = "upload"\nmethod = "POST"\npath = "/up"\nbody_file = "big.bin"\ntimeout_ms = 5000\n`,
    join(dir, 's.z6.toml'),
  );
  readBodies(s);
  const r = await runScenario(s);
  assertAccounted(r);
  assert.deepEqual(r.failures, { http_4xx: 10 }, JSON.stringify(r.failureSamples));
  assert.deepEqual(r.statusCodes, { '413': 10 });
});

describe('redirects', () => {
  let hops: string[] = [];
  async function redirecting() {
    const l = await httpServer((req, res) => {
      hops.push(`${req.method} ${req.url}`);
      const go = (code: number, to: string) => {
        res.writeHead(code, { location: to, 'content-length': 0 });
        res.end();
      };
      if (req.url === '/a') go(302, '/b');
      else if (req.url === '/b') go(301, `http://127.0.0.1:${(req.socket.localPort)}/c`);
      else if (req.url === '/post') go(303, '/c');
      else if (req.url === '/keep') go(307, '/c');
      else if (req.url === '/loop') go(302, '/loop');
      else if (req.url === '/slow-a') setTimeout(() => go(302, '/slow-c'), 100);
      else if (req.url === '/slow-c') setTimeout(() => res.end('ok'), 100);
      else if (req.url === '/away') go(302, 'http://127.0.0.1:1/elsewhere');
      else {
        let n = 0;
        req.on('data', (c: Buffer) => (n += c.length));
        req.on('end', () => {
          res.writeHead(200, { 'content-length': String(n).length });
          res.end(String(n));
        });
      }
    });
    servers.push(l);
    return l;
  }

  test('followed by default within the target, each hop counted; latency covers every hop', async () => {
    const l = await redirecting();
    hops = [];
    const r = await runScenario(scenario(l.url, 'path = "/a"', 'vus = 1\niterations = 3'));
    assertAccounted(r);
    assert.deepEqual(r.failures, {});
    assert.equal(r.totals.succeeded, 3);
    assert.deepEqual(r.statusCodes, { '200': 3 }, 'the final status counts');
    assert.equal(r.totals.redirects, 6);
    assert.equal(r.requests[0]!.redirects, 6);
    assert.match(formatSummary(r), /redirects 6 followed/);
    assert.deepEqual(hops.slice(0, 3), ['GET /a', 'GET /b', 'GET /c']);
    assert.equal(hops.length, 9);
  });

  test('latency runs from the first request to the final response, across hops', async () => {
    const l = await redirecting();
    const r = await runScenario(scenario(l.url, 'path = "/slow-a"', 'vus = 1\niterations = 3'));
    assert.equal(r.totals.succeeded, 3);
    assert.ok(r.latency.min >= 199 && r.latency.max < 400, `latency ${r.latency.min}..${r.latency.max}`);
  });

  test('303 turns a POST into a GET without body; 307 keeps the method and body', async () => {
    const l = await redirecting();
    hops = [];
    const post = (path: string) => `method = "POST"\npath = "${path}"\nbody = "12345"`;
    await runScenario(scenario(l.url, post('/post'), 'vus = 1\niterations = 1'));
    await runScenario(scenario(l.url, post('/keep'), 'vus = 1\niterations = 1'));
    assert.deepEqual(hops, ['POST /post', 'GET /c', 'POST /keep', 'POST /c']);
  });

  test('a redirect loop fails as kind "redirect" after max_redirects hops', async () => {
    const l = await redirecting();
    hops = [];
    const r = await runScenario(scenario(l.url, 'path = "/loop"', 'vus = 1\niterations = 2', 'max_redirects = 4'));
    assertAccounted(r);
    assert.deepEqual(r.failures, { redirect: 2 });
    assert.match(r.failureSamples.redirect![0]!, /more than 4 redirects/);
    assert.equal(hops.length, 10, '1 + 4 hops per request');
  });

  test('max_redirects = 0: the 3xx is the response', async () => {
    const l = await redirecting();
    const r = await runScenario(scenario(l.url, 'path = "/a"', 'vus = 1\niterations = 2', 'max_redirects = 0'));
    assert.deepEqual(r.statusCodes, { '302': 2 });
    assert.equal(r.totals.succeeded, 2);
    assert.equal(r.totals.redirects, 0);
  });

  test('a redirect to another origin is not followed: the 3xx is the response', async () => {
    const l = await redirecting();
    const r = await runScenario(scenario(l.url, 'path = "/away"', 'vus = 1\niterations = 2'));
    assert.deepEqual(r.statusCodes, { '302': 2 });
    assert.equal(r.totals.redirects, 0);
  });
});
