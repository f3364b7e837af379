/** The vscode-free helpers of client/run: which targets are loopback, where a run's files go. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isLoopbackHost, targetHost } from '../../client/run/hosts';
import { makeRunDir, runDirName } from '../../client/run/storage';

test('loopback targets run without asking; anything else asks', () => {
  for (const url of ['http://127.0.0.1:8080', 'http://localhost/', 'https://LOCALHOST:8443/api', 'http://127.1.2.3', 'http://[::1]:9000/', 'http://[::ffff:127.0.0.1]/']) {
    assert.equal(isLoopbackHost(url), true, url);
  }
  for (const url of ['http://10.0.0.1', 'https://example.com', 'http://127.0.0.1.nip.io', 'http://localhost.example.com', 'http://[::2]/', 'http://128.0.0.1', 'not a url', 'http://0.0.0.0:80']) {
    assert.equal(isLoopbackHost(url), false, url);
  }
});

test('hosts are remembered as host:port', () => {
  assert.equal(targetHost('https://api.example.com/v1'), 'api.example.com');
  assert.equal(targetHost('http://api.example.com:8080/v1'), 'api.example.com:8080');
  assert.equal(targetHost('nope'), undefined);
});

test('a run gets its own folder under z6-results, or global storage outside a workspace', () => {
  const now = new Date('2026-11-25T01:02:03.456Z');
  assert.equal(runDirName('/a/b/checkout flow.z6.toml', now), 'checkout_flow-2026-11-25T01-02-03Z');
  assert.equal(runDirName('/a/<script>.toml', now), '_script_-2026-11-25T01-02-03Z');
  const root = mkdtempSync(join(tmpdir(), 'z6-storage-'));
  try {
    const inWs = makeRunDir('/s/load.z6.toml', join(root, 'ws'), join(root, 'global'), now);
    assert.equal(inWs, join(root, 'ws', 'z6-results', 'load-2026-11-25T01-02-03Z'));
    assert.ok(existsSync(inWs));
    const outside = makeRunDir('/s/load.z6.toml', undefined, join(root, 'global'), now);
    assert.equal(outside, join(root, 'global', 'results', 'load-2026-11-25T01-02-03Z'));
    assert.ok(existsSync(outside));
    // A second run of the same scenario in the same second does not overwrite the first.
    assert.equal(makeRunDir('/s/load.z6.toml', join(root, 'ws'), join(root, 'global'), now), `${inWs}-2`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
