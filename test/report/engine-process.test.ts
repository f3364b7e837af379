/**
 * client/run/engine-process.ts against the real built CLI (dist/cli.js run --ipc), forked as the
 * editor does, loading a loopback demo server: messages arrive in protocol order, a cancel
 * mid-run still brings partial results, bad input and a dying child give clear errors.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EngineProcess, type RunOutcome } from '../../client/run/engine-process';
import { startDemoServer, type DemoServer } from '../../engine/demo/demo-server';
import type { EngineMessage } from '../../engine/run/protocol';

const CLI = resolve(__dirname, '../../dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'z6-engine-process-'));
let demo: DemoServer;

function scenario(name: string, seconds: number, extra = ''): string {
  const file = join(dir, `${name}.z6.toml`);
  writeFileSync(
    file,
    `[metadata]\nname = "${name}"\n\n[target]\nbase_url = "${demo.url}"\n\n[runtime]\nduration_seconds = ${seconds}\nvus = 3\nprng_seed = 11\n\n` +
      `[[requests]]\nname = "json"\npath = "/json"\n\n[[requests]]\nname = "slow"\npath = "/slow?ms=20"\n${extra}`,
  );
  return file;
}

async function run(file: string, onMessage?: (m: EngineMessage, p: EngineProcess) => void, outDir?: string, args?: string[]): Promise<{ outcome: RunOutcome; messages: EngineMessage[] }> {
  const messages: EngineMessage[] = [];
  const p: EngineProcess = new EngineProcess({
    cliPath: CLI,
    file,
    outDir,
    args,
    cancelGraceMs: 15_000,
    onMessage: (m) => {
      messages.push(m);
      onMessage?.(m, p);
    },
  });
  // Bound every test in time: a hung child is killed and the test fails on its outcome.
  const guard = setTimeout(() => p.kill(), 60_000);
  const outcome = await p.outcome;
  clearTimeout(guard);
  return { outcome, messages };
}

describe('engine process (z6 run --ipc, forked)', () => {
  before(async () => {
    if (!existsSync(CLI)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: resolve(__dirname, '../..'), stdio: 'inherit' });
    demo = await startDemoServer(0, 5);
  });
  after(async () => {
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('streams started, one progress per second, then finished with the results', async () => {
    const out = join(dir, 'out-complete');
    const { outcome, messages } = await run(scenario('complete', 2), undefined, out, ['--html']);
    assert.equal(outcome.error, undefined);
    assert.equal(outcome.exitCode, 0);
    assert.equal(outcome.cancelled, false);
    const types = messages.map((m) => m.type);
    assert.equal(types[0], 'started');
    assert.equal(types.at(-1), 'finished');
    assert.ok(types.filter((t) => t === 'progress').length >= 2, types.join(','));
    const started = messages[0] as Extract<EngineMessage, { type: 'started' }>;
    assert.equal(started.seed, 11);
    assert.equal(started.target, demo.url);
    assert.deepEqual(started.requests, ['json', 'slow']);
    // progress seconds count up, and running totals never go down
    const progress = messages.filter((m): m is Extract<EngineMessage, { type: 'progress' }> => m.type === 'progress');
    progress.forEach((m, i) => assert.equal(m.sample.t, i));
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.totals.issued >= progress[i - 1]!.totals.issued);
    const r = outcome.results!;
    assert.equal(r.status, 'completed');
    assert.equal(r.scenario.name, 'complete');
    assert.ok(r.totals.succeeded > 0);
    assert.equal(r.totals.issued, r.totals.succeeded + r.totals.failed + r.totals.interrupted);
    assert.ok(progress.at(-1)!.totals.issued <= r.totals.issued);
    // --out: the engine wrote the same results next to the run
    const written = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.deepEqual(written, JSON.parse(JSON.stringify(r)));
    // --html from the bundled CLI: the renderer was found next to dist/cli.js and inlined.
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /<title>Z6 report — complete<\/title>/);
    assert.match(html, /Z6Renderer\.mountReport/);
    assert.ok(html.includes(`"hash":"${r.scenario.hash}"`));
  });

  test('cancel mid-run: the run stops early and the partial results still arrive', async () => {
    let cancelledAt = -1;
    const { outcome, messages } = await run(scenario('cancel', 60), (m, p) => {
      if (m.type === 'progress' && cancelledAt < 0) {
        cancelledAt = m.sample.t;
        p.cancel();
      }
    });
    assert.equal(cancelledAt, 0, 'cancelled after the first second');
    assert.equal(outcome.cancelled, true);
    assert.equal(outcome.exitCode, 130);
    assert.equal(messages.at(-1)!.type, 'finished');
    const r = outcome.results!;
    assert.equal(r.status, 'cancelled');
    assert.ok(r.durationSeconds < 30, `stopped after ${r.durationSeconds} s of 60`);
    assert.ok(r.totals.issued > 0);
    assert.equal(r.totals.issued, r.totals.succeeded + r.totals.failed + r.totals.interrupted);
  });

  test('an invalid scenario comes back as an error with its diagnostics, exit code 2', async () => {
    const file = join(dir, 'bad.z6.toml');
    writeFileSync(file, '[target]\nbase_url = "not a url"\n\n[[requests]]\npath = "/"\n');
    const { outcome, messages } = await run(file);
    assert.equal(outcome.results, undefined);
    assert.equal(outcome.exitCode, 2);
    assert.deepEqual(messages.map((m) => m.type), ['error']);
    assert.ok(outcome.error!.diagnostics!.length > 0);
    assert.ok(outcome.error!.diagnostics!.some((d) => d.line === 2), JSON.stringify(outcome.error));
  });

  test('a child that dies without a word is reported with its exit code and stderr', async () => {
    const crash = join(dir, 'crash.js');
    writeFileSync(crash, "process.stderr.write('engine exploded: out of cheese\\n'); process.exit(7);\n");
    const p = new EngineProcess({ cliPath: crash, file: 'unused.z6.toml' });
    const outcome = await p.outcome;
    assert.equal(outcome.results, undefined);
    assert.equal(outcome.exitCode, 7);
    assert.match(outcome.error!.message, /exited with code 7/);
    assert.match(outcome.error!.message, /out of cheese/);
  });
});
