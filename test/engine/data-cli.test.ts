/**
 * Data files through the built CLI: `z6 plan` shows the first rows drawn with a secret file
 * masked; `z6 run` with a unique file that runs out says so in the summary and results, and
 * never writes a secret file's values anywhere; a malformed row far down a file stops the run
 * before any request with `file:line` (exit 2).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Results } from '../../engine/metrics/results-types';
import { assertAccounted, ensureBuilt, httpServer, type Listening } from './helpers';

const cli = join(__dirname, '../../dist/cli.js');
let tmp: string;
let server: Listening;
let requests = 0;

function z6(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

before(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'z6-data-cli-'));
  server = await httpServer((_req, res) => {
    requests++;
    res.end('ok');
  });
  // Secret values: tokens that must never appear in any output.
  writeFileSync(join(tmp, 'tokens.csv'), `token\n${Array.from({ length: 30 }, (_, i) => `SECRET-TOKEN-${i}`).join('\n')}\n`);
  writeFileSync(join(tmp, 'users.csv'), `username\n${Array.from({ length: 30 }, (_, i) => `user${i}`).join('\n')}\n`);
});
after(async () => {
  await server.close();
  if (!process.env.KEEP) rmSync(tmp, { recursive: true, force: true });
});

function scenario(name: string, extra = ''): string {
  const f = join(tmp, name);
  writeFileSync(f, `[runtime]\nduration_seconds = 30\nvus = 5\nprng_seed = 3\n[target]\nbase_url = "${server.url}"\n` +
    `[[data]]\nfile = "users.csv"\nmode = "unique"\n[[data]]\nfile = "tokens.csv"\nsecret = true\nmode = "per_vu"\n${extra}` +
    `[[requests]]\nname = "r"\npath = "/u/{{ username }}"\nheaders = { Authorization = "Bearer {{ token }}" }\n`);
  return f;
}

describe('data files in the CLI', () => {
  test('z6 plan shows the first rows drawn, a secret file as ***', async () => {
    const r = await z6(['plan', scenario('plan.z6.toml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /VU 0 it 0 {2}r: GET \/u\/user0\n {6}row 1 of users\.csv: username=user0\n {6}row 1 of tokens\.csv: token=\*\*\*\n {6}Authorization: Bearer \*\*\*\n/, r.stdout);
    // The shared cursor is walked VU after VU in the preview: VU 1 starts at row 4.
    assert.match(r.stdout, /VU 1 it 0 {2}r: GET \/u\/user3\n {6}row 4 of users\.csv: username=user3\n {6}row 2 of tokens\.csv: token=\*\*\*\n/, r.stdout);
    assert.match(r.stdout, /data {7}users\.csv: unique, 30 rows \(one cursor for all VUs: in a run they take rows in the order they reach it; shown here VU after VU\)/);
    assert.match(r.stdout, /data {7}tokens\.csv: per_vu, 30 rows \(a pure function of seed, VU and iteration\)/);
    assert.doesNotMatch(r.stdout + r.stderr, /SECRET-TOKEN/);
  });

  test('z6 run: a unique file that runs out ends the run (exit 0), said in the summary and results; no secret value in any output', async () => {
    requests = 0;
    const out = join(tmp, 'out');
    const r = await z6(['run', scenario('run.z6.toml'), '--out', out, '--csv', '--html', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(requests, 30);
    assert.match(r.stderr, /ended {5}early: data file users\.csv: all 30 rows used \(mode = "unique", on_exhausted = "stop_run"\): the run stopped/);
    assert.match(r.stderr, /data {6}users\.csv \(unique, on_exhausted stop_run\): 30 rows drawn of 30, all used/);
    assert.match(r.stderr, /data {6}tokens\.csv \(per_vu\): 30 rows drawn of 30/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    assertAccounted(results);
    assert.equal(results.status, 'completed');
    assert.match(results.endReason!, /all 30 rows used/);
    assert.equal(results.data!.length, 2);
    const everything = [r.stdout, r.stderr, ...readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'))].join('\n');
    assert.doesNotMatch(everything, /SECRET-TOKEN/);
  });

  test('a malformed row far down the file: exit 2 before any request, with file and line', async () => {
    requests = 0;
    writeFileSync(join(tmp, 'users.csv'), `username\n${Array.from({ length: 5000 }, (_, i) => `user${i}`).join('\n')}\n"unclosed\n`);
    const r = await z6(['run', scenario('bad.z6.toml')]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /users\.csv:5002: error: a quoted field is never closed \(its opening quote is on this line\) \[data-file\]/);
    assert.equal(requests, 0);
    const v = await z6(['validate', join(tmp, 'bad.z6.toml')]);
    assert.equal(v.code, 0, 'validation reads only the header');
  });
});
