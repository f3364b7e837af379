/**
 * body_file at run time: only a regular file of at most LIMITS.bodyFileBytes is read, once, and
 * that one Buffer is what every request sends. FIFOs, devices and directories are refused
 * before they are opened, so nothing hangs or grows without bound.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readBodies } from '../../engine/scenario/body-files';
import { LIMITS } from '../../engine/scenario/schema';
import { ensureBuilt, httpServer, scenarioFrom, type Listening } from './helpers';

const root = join(__dirname, '../..');
const cli = join(root, 'dist/cli.js');
const MiB = 1024 * 1024;
let tmp: string;
let fifo: string;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `node args` in a child process, killed after `limitMs` (then code is null). */
function child(args: string[], limitMs: number): Promise<Ran> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const c = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    const kill = setTimeout(() => c.kill('SIGKILL'), limitMs);
    c.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/** The built CLI, optionally with a preloaded script. */
const z6 = (args: string[], limitMs: number, preload?: string) => child([...(preload ? ['--require', preload] : []), cli, ...args], limitMs);

function scenario(name: string, bodyFile: string, url = 'http://127.0.0.1:9', runtime = 'duration_seconds = 1\nvus = 1'): string {
  const f = join(tmp, `${name}.z6.toml`);
  writeFileSync(f, `[runtime]\n${runtime}\nprng_seed = 1\n[target]\nbase_url = "${url}"\n` +
    `[[requests]]\nname = "upload ${name}"\nmethod = "POST"\npath = "/up"\nbody_file = ${JSON.stringify(bodyFile)}\n`);
  return f;
}

/** A scenario whose POST requests `names` have a body_file (a small one, replaced by the test). */
function withBodyFiles(...names: string[]) {
  writeFileSync(join(tmp, 'small.txt'), 'hello');
  return scenarioFrom(`[runtime]\nduration_seconds = 1\n[target]\nbase_url = "http://127.0.0.1:9"\n` +
    names.map((n) => `[[requests]]\nname = "${n}"\nmethod = "POST"\npath = "/"\nbody_file = "small.txt"\n`).join(''), join(tmp, 'x.z6.toml'));
}

/** A sparse regular file of `bytes` (no disk space, no time). */
function sized(name: string, bytes: number): string {
  const f = join(tmp, name);
  const fd = openSync(f, 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return f;
}

before(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'z6-body-file-'));
  fifo = join(tmp, 'pipe');
  execFileSync('mkfifo', [fifo]);
  mkdirSync(join(tmp, 'a-directory'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('body_file that is not a regular file', () => {
  // Validation may refuse these first (exit 2); either way the run must end at once with a
  // message, never hang on the FIFO or read /dev/zero without end.
  for (const [what, path] of [['a FIFO', () => fifo], ['/dev/zero', () => '/dev/zero'], ['a directory', () => join(tmp, 'a-directory')]] as const) {
    test(`${what}: z6 run exits within seconds with a message naming the file`, async () => {
      const p = path();
      const r = await z6(['run', scenario(what.replace(/\W/g, ''), p)], 10_000);
      assert.notEqual(r.code, null, `killed after ${r.ms} ms: it hung`);
      assert.ok(r.code === 2 || r.code === 3, `exit ${r.code}: ${r.stderr}`);
      assert.ok(r.ms < 5_000, `${r.ms} ms`);
      assert.match(r.stderr, /not a regular file|is a directory|FIFO|device/i, r.stderr);
    });
  }

  // readBodies itself, for a file that became one after validation. In a child process, so a
  // regression that blocks on the FIFO or reads /dev/zero cannot hang or bloat the test runner.
  for (const [what, path, kind] of [['a FIFO', () => fifo, 'a FIFO'], ['/dev/zero', () => '/dev/zero', 'a character device'], ['a directory', () => join(tmp, 'a-directory'), 'a directory']] as const) {
    test(`readBodies refuses ${what} at once, naming the request and the file`, async () => {
      const script = `const { readBodies } = require(${JSON.stringify(join(root, 'engine/scenario/body-files.ts'))});\n` +
        `try { readBodies({ requests: [{ name: 'up', bodyFile: ${JSON.stringify(path())} }] }); console.log('read'); } catch (e) { console.log(e.message); }`;
      const r = await child(['--import', 'tsx', '-e', script], 10_000);
      assert.notEqual(r.code, null, `killed after ${r.ms} ms: it hung`);
      assert.equal(r.stdout.trim(), `request "up": body_file ${path()} is ${kind}, not a regular file`);
    });
  }

  test(`readBodies refuses a file over ${LIMITS.bodyFileBytes / MiB} MiB without reading it`, () => {
    const big = sized('big.bin', LIMITS.bodyFileBytes + 1);
    const s = withBodyFiles('up');
    s.requests[0]!.bodyFile = big;
    assert.throws(() => readBodies(s), (e: Error) => {
      assert.equal(e.message, `request "up": body_file ${big} is 64.0 MiB (${LIMITS.bodyFileBytes + 1} bytes); a body_file may be at most 64 MiB`);
      return true;
    });
  });

  test('readBodies: two requests naming the same file share one Buffer', () => {
    const s = withBodyFiles('a', 'b');
    s.requests[0]!.bodyFile = s.requests[1]!.bodyFile = sized('shared.bin', 1000);
    readBodies(s);
    assert.equal((s.requests[0]!.body as Uint8Array).byteLength, 1000);
    assert.equal(s.requests[0]!.body, s.requests[1]!.body);
  });
});

describe('a 50 MiB body_file', () => {
  let server: Listening;
  let received = 0;
  let requests = 0;
  let lengths = new Set<string>();

  before(async () => {
    server = await httpServer((req, res) => {
      requests++;
      lengths.add(req.headers['content-length'] ?? 'none');
      req.on('data', (c: Buffer) => (received += c.length));
      req.on('end', () => res.end('ok'));
    });
  });
  after(() => server.close());

  test('is sent whole by every request, and the run holds about one copy of it', async () => {
    // Peak RSS of the CLI process, written by the process itself as it exits.
    const preload = join(tmp, 'maxrss.js');
    writeFileSync(preload, "process.on('exit', () => require('fs').writeSync(2, `\\nmaxrss ${process.resourceUsage().maxRSS}\\n`));\n");
    const runtime = 'iterations = 4\nvus = 2';
    const peak = async (name: string, bytes: number) => {
      received = 0;
      requests = 0;
      lengths = new Set();
      const r = await z6(['run', scenario(name, sized(`${name}.bin`, bytes), server.url, runtime), '--quiet'], 60_000, preload);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(requests, 8);
      assert.equal(received, 8 * bytes, 'every request sent the whole body');
      assert.deepEqual([...lengths], [String(bytes)]);
      return Number(/maxrss (\d+)/.exec(r.stderr)![1]) * 1024;
    };
    const small = await peak('small', 1024);
    const large = await peak('large', 50 * MiB);
    const extra = (large - small) / MiB;
    console.log(`peak RSS: ${(small / MiB).toFixed(0)} MiB with a 1 KiB body, ${(large / MiB).toFixed(0)} MiB with 50 MiB (+${extra.toFixed(0)} MiB)`);
    // One copy is +50 MiB; reading it twice (or a copy per request) would be +100 MiB or more.
    assert.ok(extra < 80, `+${extra.toFixed(0)} MiB for a 50 MiB body`);
  });
});
