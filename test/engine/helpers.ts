/**
 * Shared by the engine tests: scenarios built from real TOML through the real validator, and
 * loopback servers (127.0.0.1, port 0) that misbehave in the ways a target can.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { Results } from '../../engine/metrics/results-types';
import type { Scenario } from '../../engine/scenario/model';
import { validateText } from '../../engine/scenario/validate';

/** file: where the scenario "lives", for relative paths (ca_bundle, body_file). */
export function scenarioFrom(text: string, file?: string): Scenario {
  const v = validateText(text, file ? { file } : {});
  const errors = v.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 0, `scenario has errors: ${errors.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('; ')}`);
  return v.scenario!;
}

/** The invariant of every run: nothing is lost (decisions §3). */
export function assertAccounted(r: Results): void {
  const t = r.totals;
  assert.equal(t.issued, t.succeeded + t.failed + t.interrupted, `issued ${t.issued} != ${t.succeeded} + ${t.failed} + ${t.interrupted}`);
  for (const q of r.requests) assert.equal(q.issued, q.succeeded + q.failed + q.interrupted, `request ${q.name}`);
  assert.equal(r.requests.reduce((a, q) => a + q.issued, 0), t.issued);
  const byKind = Object.values(r.failures).reduce((a, n) => a + (n ?? 0), 0);
  assert.equal(byKind, t.failed, 'failures by kind add up to failed');
}

export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

function listen(server: Server | NetServer, sockets: Set<Socket>): Promise<Listening> {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

/** An HTTP server with a handler of the test's choosing. */
export function httpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listening & { server: Server }> {
  const server = createServer({ keepAliveTimeout: 10_000 }, handler);
  return listen(server, new Set()).then((l) => ({ ...l, server }));
}

/** A raw TCP server: each connection gets `onData` for every chunk the client sends. */
export function tcpServer(onData: (socket: Socket, chunk: Buffer) => void): Promise<Listening> {
  const server = createNetServer((s) => {
    s.on('data', (c) => onData(s, c));
    s.on('error', () => undefined);
  });
  return listen(server, new Set());
}

/** A port nothing listens on: bound, noted, closed. */
export async function refusedPort(): Promise<number> {
  const l = await tcpServer(() => undefined);
  await l.close();
  return l.port;
}

export function baseToml(url: string, extra = ''): string {
  return `[target]\nbase_url = "${url}"\n${extra}`;
}

/**
 * Builds dist/ unless it is newer than every source file (npm test has just built it; running a
 * single test file from a fresh checkout still works).
 */
export function ensureBuilt(): void {
  const root = join(__dirname, '../..');
  const newest = (dir: string): number => {
    let m = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      m = Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
    return m;
  };
  const built = ['dist/cli.js', 'dist/renderer.js'].map((f) => join(root, f));
  if (built.every(existsSync) && Math.min(...built.map((f) => statSync(f).mtimeMs)) > newest(join(root, 'engine'))) return;
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (dist/cli.js) in a child process. `started` gets the child, e.g. to send it
 * SIGINT once a server has seen what the test waits for.
 */
export function runZ6(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; started?: (child: ChildProcess) => void }): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(__dirname, '../../dist/cli.js'), ...args], { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    opts.started?.(child);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
