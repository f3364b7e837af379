/**
 * A target where nothing answers (target.unreachable_stop_seconds): the run says so at once —
 * within 2 s, through onNotice, the CLI's stderr and the IPC notice — and stops with status error
 * when no response has come after the configured seconds, instead of spending its duration on
 * failures. A target that answers, even with errors, is never called unreachable.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runScenario } from '../../engine/run';
import { assertAccounted, ensureBuilt, httpServer, refusedPort, scenarioFrom } from './helpers';

const scenario = (port: number, extra: string, seconds = 30) =>
  `[target]\nbase_url = "http://127.0.0.1:${port}"\n${extra}\n[runtime]\nvus = 2\nduration_seconds = ${seconds}\n[[requests]]\npath = "/"\n`;

describe('nothing answers at the target', () => {
  test('said within 2 s, and the run stops after unreachable_stop_seconds with status error', async () => {
    const port = await refusedPort();
    const t0 = performance.now();
    let noticeAt = -1;
    let notice = '';
    const r = await runScenario(scenarioFrom(scenario(port, 'unreachable_stop_seconds = 2')), {
      onNotice: (n) => {
        noticeAt = performance.now() - t0;
        notice = n.message;
      },
    });
    const took = performance.now() - t0;
    assertAccounted(r);
    assert.ok(noticeAt >= 0 && noticeAt < 2000, `notice after ${noticeAt} ms`);
    assert.match(notice, new RegExp(`^nothing answers at 127\\.0\\.0\\.1:${port}: the first \\d+ requests failed to connect \\(.*ECONNREFUSED`));
    assert.equal(r.status, 'error');
    assert.match(r.error!, new RegExp(`^stopped after 2 s: nothing answers at 127\\.0\\.0\\.1:${port}`));
    assert.ok(took < 6000, `a 30 s run took ${took} ms`);
    assert.equal(r.totals.responses, 0);
  });

  test('unreachable_stop_seconds = 0 only says it: the run lasts its duration', async () => {
    const port = await refusedPort();
    let notices = 0;
    const r = await runScenario(scenarioFrom(scenario(port, 'unreachable_stop_seconds = 0', 2)), { onNotice: () => notices++ });
    assert.equal(notices, 1);
    assert.equal(r.status, 'completed');
    assert.ok(r.loadSeconds >= 1.9, `load ${r.loadSeconds} s`);
  });

  test('a target that answers, even only with 500s, is not unreachable', async () => {
    const server = await httpServer((_req, res) => {
      res.writeHead(500);
      res.end('down');
    });
    try {
      let notices = 0;
      const r = await runScenario(scenarioFrom(scenario(server.port, 'unreachable_stop_seconds = 1', 2)), { onNotice: () => notices++ });
      assert.equal(notices, 0);
      assert.equal(r.status, 'completed');
      assert.ok(r.totals.failed > 0);
    } finally {
      await server.close();
    }
  });

  test('z6 run prints the warning (also with --quiet) and exits 3 when it stops', async () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'z6-unreachable-'));
    const file = join(dir, 'dead.z6.toml');
    writeFileSync(file, scenario(await refusedPort(), 'unreachable_stop_seconds = 1'));
    const { code, stderr, stdout } = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [join(__dirname, '../../dist/cli.js'), 'run', file, '--quiet', '--out', join(dir, 'out')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (err += c));
      child.on('close', (c) => resolve({ code: c, stderr: err, stdout: out }));
    });
    assert.equal(code, 3, stderr);
    assert.match(stderr, /z6: warning: nothing answers at 127\.0\.0\.1:\d+: the first \d+ requests failed to connect/);
    // --quiet prints only the RESULT line: it says the run ended in an error, and why.
    assert.match(stdout, /^RESULT: ERROR — stopped after 1 s: nothing answers at 127\.0\.0\.1:\d+/);
  });
});
