/**
 * TLS options and HTTP/2 against real loopback servers: a self-signed certificate
 * (fixtures/localhost-cert.pem) is refused by default, accepted with verify_cert = false or
 * with it as ca_bundle; http_version = "http2" speaks h2 over TLS (ALPN) and h2c on http://.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer as createHttps } from 'node:https';
import { createSecureServer, createServer as createH2c, type Http2SecureServer, type Http2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runScenario } from '../../engine/run';
import { assertAccounted, scenarioFrom } from './helpers';

const fixtures = join(__dirname, 'fixtures');
const tls = { key: readFileSync(join(fixtures, 'localhost-key.pem')), cert: readFileSync(join(fixtures, 'localhost-cert.pem')) };
const versions: string[] = [];
const handler = (req: { httpVersion: string }, res: { end(s: string): void }) => {
  versions.push(req.httpVersion);
  res.end('ok');
};

type Closable = { close(cb?: () => void): unknown; listen(port: number, host: string, cb: () => void): unknown; address(): unknown };
const servers: Closable[] = [];
async function start(s: Closable): Promise<number> {
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

let https1: number;
let h2: number;
let h2c: number;

before(async () => {
  https1 = await start(createHttps(tls, handler));
  h2 = await start(createSecureServer({ ...tls, allowHTTP1: false }, handler as (q: Http2ServerRequest, s: Http2ServerResponse) => void) as Http2SecureServer);
  h2c = await start(createH2c(handler as (q: Http2ServerRequest, s: Http2ServerResponse) => void) as Http2Server);
});
after(async () => {
  for (const s of servers) {
    (s as { closeAllConnections?: () => void }).closeAllConnections?.();
    s.close();
  }
});

const text = (url: string, target = '') =>
  `[runtime]\nduration_seconds = 1\nvus = 2\n[target]\nbase_url = "${url}"\n${target}[[requests]]\npath = "/"\n`;

test('self-signed certificate: refused by default (tls failures), accepted with verify_cert = false', async () => {
  const strict = await runScenario(scenarioFrom(text(`https://127.0.0.1:${https1}`)));
  assertAccounted(strict);
  assert.deepEqual(Object.keys(strict.failures), ['tls']);
  assert.equal(strict.totals.succeeded, 0);
  assert.match(strict.failureSamples.tls![0]!, /self[- ]signed|SELF_SIGNED/i);

  const lax = await runScenario(scenarioFrom(text(`https://127.0.0.1:${https1}`, 'verify_cert = false\n')));
  assertAccounted(lax);
  assert.equal(lax.totals.failed, 0);
  assert.ok(lax.totals.succeeded > 0);
  assert.equal(lax.totals.connectionsOpened, 2);
  assert.ok(lax.connectTime && lax.connectTime.count === 2);
});

test('ca_bundle (relative to the scenario file) makes the certificate trusted', async () => {
  const s = scenarioFrom(text(`https://127.0.0.1:${https1}`, 'ca_bundle = "localhost-cert.pem"\n'), join(fixtures, 'tls.z6.toml'));
  assert.equal(s.target.caBundle, join(fixtures, 'localhost-cert.pem'));
  const r = await runScenario(s);
  assertAccounted(r);
  assert.equal(r.totals.failed, 0);
  assert.ok(r.totals.succeeded > 0);
});

test('http2 over TLS (ALPN h2) and h2c on http://', async () => {
  versions.length = 0;
  const overTls = await runScenario(scenarioFrom(text(`https://127.0.0.1:${h2}`, 'http_version = "http2"\nverify_cert = false\n')));
  assertAccounted(overTls);
  assert.equal(overTls.totals.failed, 0, JSON.stringify(overTls.failureSamples));
  assert.ok(overTls.totals.succeeded > 0);
  assert.ok(versions.length > 0 && versions.every((v) => v === '2.0'));

  versions.length = 0;
  const clear = await runScenario(scenarioFrom(text(`http://127.0.0.1:${h2c}`, 'http_version = "http2"\n')));
  assertAccounted(clear);
  assert.equal(clear.totals.failed, 0, JSON.stringify(clear.failureSamples));
  assert.ok(clear.totals.succeeded > 0);
  assert.ok(versions.length > 0 && versions.every((v) => v === '2.0'));
});
