/**
 * `z6 run FILE --ipc`, the way the editor starts it: child_process.fork of the built CLI,
 * typed messages (engine/run/protocol.ts) both ways.
 */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { EngineMessage, ParentMessage } from '../../engine/run/protocol';
import { assertAccounted, ensureBuilt, httpServer, type Listening } from './helpers';

const root = join(__dirname, '../..');
let tmp: string;
let server: Listening;

before(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'z6-ipc-'));
  server = await httpServer((_req, res) => {
    const t = setTimeout(() => res.end('ok'), 5);
    res.on('close', () => clearTimeout(t));
  });
});
after(() => server.close());

function file(seconds: number, body = ''): string {
  const f = join(tmp, `s${seconds}-${Math.random().toString(36).slice(2)}.z6.toml`);
  writeFileSync(f, body || `[metadata]\nname = "ipc"\n[runtime]\nduration_seconds = ${seconds}\nvus = 2\nprng_seed = 5\n[target]\nbase_url = "${server.url}"\n` +
    `[[requests]]\nname = "a"\npath = "/a"\n[[requests]]\nname = "b"\npath = "/b"\n[assertions]\nerror_rate_max = 0\n`);
  return f;
}

function runIpc(f: string, onMessage?: (m: EngineMessage, send: (m: ParentMessage) => void) => void, args: string[] = []): Promise<{ messages: EngineMessage[]; code: number | null }> {
  return new Promise((resolve) => {
    const child = fork(join(root, 'dist/cli.js'), ['run', f, '--ipc', ...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const messages: EngineMessage[] = [];
    child.on('message', (m) => {
      messages.push(m as EngineMessage);
      onMessage?.(m as EngineMessage, (p) => child.send(p));
    });
    child.on('exit', (code) => resolve({ messages, code }));
  });
}

test('started, one progress per second, finished with the results and exit code', async () => {
  const { messages, code } = await runIpc(file(2));
  assert.equal(code, 0);
  const types = messages.map((m) => m.type);
  assert.equal(types[0], 'started');
  assert.equal(types.at(-1), 'finished');
  assert.ok(types.filter((t) => t === 'progress').length >= 2);
  const started = messages[0] as Extract<EngineMessage, { type: 'started' }>;
  assert.equal(started.seed, 5);
  assert.equal(started.plannedDurationSeconds, 2);
  assert.deepEqual(started.requests, ['a', 'b']);
  assert.equal(started.scheduleType, 'constant');
  assert.ok(started.peak! >= 1);
  const progress = messages.filter((m): m is Extract<EngineMessage, { type: 'progress' }> => m.type === 'progress');
  assert.deepEqual(progress.map((p) => p.sample.t), progress.map((_, i) => i));
  assert.ok(progress[0]!.totals.issued > 0 && progress[0]!.totals.p99 !== null);
  const fin = messages.at(-1) as Extract<EngineMessage, { type: 'finished' }>;
  assert.equal(fin.exitCode, 0);
  assertAccounted(fin.results);
  assert.equal(fin.results.status, 'completed');
  assert.ok(fin.results.totals.issued >= progress.at(-1)!.totals.issued);
});

test('{type: "cancel"} from the parent: finished with partial results, exit code 130', async () => {
  let sent = false;
  const { messages, code } = await runIpc(file(30), (m, send) => {
    if (m.type === 'progress' && !sent) {
      sent = true;
      send({ type: 'cancel' });
    }
  });
  assert.equal(code, 130);
  const fin = messages.at(-1) as Extract<EngineMessage, { type: 'finished' }>;
  assert.equal(fin.type, 'finished');
  assert.equal(fin.exitCode, 130);
  assert.equal(fin.results.status, 'cancelled');
  assertAccounted(fin.results);
  assert.ok(fin.results.durationSeconds < 5);
});

test('invalid scenario: one error message with exit code 2 and its diagnostics', async () => {
  const { messages, code } = await runIpc(file(1, `[target]\nbase_url = "${server.url}"\n[[requests]]\npath = "nope"\n`));
  assert.equal(code, 2);
  assert.equal(messages.length, 1);
  const m = messages[0] as Extract<EngineMessage, { type: 'error' }>;
  assert.equal(m.type, 'error');
  assert.equal(m.exitCode, 2);
  assert.ok(m.diagnostics && m.diagnostics.length >= 1);
  const path = m.diagnostics.find((d) => d.code === 'invalid-path');
  assert.deepEqual(path && [path.line, path.column, path.severity], [4, 8, 'error']);
});

test('--out that cannot be written: the results still arrive in finished, then output-error, exit code 3', async () => {
  // A directory under a regular file: mkdir fails with ENOTDIR.
  const blocker = join(tmp, 'a-regular-file');
  writeFileSync(blocker, 'x');
  const out = join(blocker, 'out');
  const { messages, code } = await runIpc(file(1), undefined, ['--out', out, '--html']);
  assert.deepEqual(messages.slice(-2).map((m) => m.type), ['finished', 'output-error']);
  const fin = messages.at(-2) as Extract<EngineMessage, { type: 'finished' }>;
  assert.equal(fin.results.status, 'completed');
  assert.equal(fin.exitCode, 0, 'the run itself passed');
  assertAccounted(fin.results);
  assert.ok(fin.results.totals.issued > 0);
  const err = messages.at(-1) as Extract<EngineMessage, { type: 'output-error' }>;
  assert.equal(err.dir, out);
  assert.match(err.message, /ENOTDIR/);
  assert.equal(code, 3, 'as `z6 run` exits when it cannot write its files');
});
