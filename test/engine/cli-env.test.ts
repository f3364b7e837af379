/**
 * Environment values and secrets through the built CLI, as a user runs it: --env, --env-file
 * and the process environment (in that order of precedence), an unset env name refused before
 * any traffic (exit 2), and the secret grep: the loopback server receives the real secret
 * values, and not one file or stream the run and the plan write contains any of them.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, httpServer, type Listening } from './helpers';

const cli = join(__dirname, '../../dist/cli.js');
let tmp: string;
let server: Listening;
const received: { url: string; auth?: string; key?: string; body: string }[] = [];

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** raw: args are node's own (the test names the script), else they follow dist/cli.js. */
function z6(args: string[], env: Record<string, string> = {}, raw = false): Promise<Ran> {
  return new Promise((resolve) => {
    // Only what the test gives: no TOKEN from the developer's shell leaks into the child.
    const child = spawn(process.execPath, raw ? args : [cli, ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const TOKEN = 'tok-9f3c2e71b5a44d0e';
const FILE_SECRET = 'file-secret-77c1a9e0';
const VAR_SECRET = 'var-secret-5d2b8f44';

function scenario(name: string, requests: string): string {
  const f = join(tmp, name);
  writeFileSync(f, `[runtime]\nvus = 2\niterations = 6\nprng_seed = 3\n[target]\nbase_url = "${server.url}"\n` +
    `[vars]\nuser = "visible-user"\napi_key = { value = "${VAR_SECRET}", secret = true }\n${requests}`);
  return f;
}

before(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'z6-cli-env-'));
  server = await httpServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ url: req.url!, auth: req.headers.authorization, key: req.headers['x-key'] as string | undefined, body });
      res.end('ok');
    });
  });
});
after(() => server.close());

describe('secrets never leave the request', () => {
  test('the server gets the real values; no output file, stdout or stderr of run or plan contains one', async () => {
    received.length = 0;
    const f = scenario('secret.z6.toml',
      '[[requests]]\nname = "get"\npath = "/u/{{ user }}/{{ vu }}?k={{ url_encode(env.FROM_FILE) }}"\n' +
      'headers = { Authorization = "Bearer {{ env.TOKEN }}", X-Key = "{{ api_key }}" }\n' +
      '[[requests]]\nname = "post"\nmethod = "POST"\npath = "/p"\nbody = \'{"t": {{ json_encode(env.TOKEN) }}, "k": "{{ api_key }}"}\'\n');
    writeFileSync(join(tmp, 'secrets.env'), `# comment\nFROM_FILE=${FILE_SECRET}\n`);
    const out = join(tmp, 'out');
    const run = await z6(['run', f, '--env', `TOKEN=${TOKEN}`, '--env-file', 'secrets.env', '--out', out, '--html', '--csv', '--json']);
    assert.equal(run.code, 0, run.stderr);
    // The server received the real values.
    assert.equal(received.length, 12);
    const gets = received.filter((r) => r.url.startsWith('/u/'));
    const posts = received.filter((r) => r.url === '/p');
    assert.ok(gets.length > 0 && posts.length > 0, `${gets.length} GET, ${posts.length} POST`);
    for (const g of gets) {
      assert.equal(g.auth, `Bearer ${TOKEN}`);
      assert.equal(g.key, VAR_SECRET);
      assert.match(g.url, new RegExp(`^/u/visible-user/[01]\\?k=${FILE_SECRET}$`));
    }
    for (const p of posts) assert.equal(p.body, `{"t": "${TOKEN}", "k": "${VAR_SECRET}"}`);

    const plan = await z6(['plan', f, '--env', `TOKEN=${TOKEN}`, '--env-file', 'secrets.env']);
    const planJson = await z6(['plan', f, '--env', `TOKEN=${TOKEN}`, '--env-file', 'secrets.env', '--json']);
    assert.equal(plan.code, 0, plan.stderr);
    // The plan shows rendered values (so a leak would show here), with the secrets masked.
    assert.match(plan.stdout, /GET \/u\/visible-user\/0\?k=\*\*\*/);
    assert.match(plan.stdout, /Authorization: Bearer \*\*\*/);
    assert.match(plan.stdout, /X-Key: \*\*\*/);
    assert.match(plan.stdout, /body: \{"t": \*\*\*, "k": "\*\*\*"\}/);

    const files = readdirSync(out).sort();
    assert.deepEqual(files, ['report.html', 'results.json', 'timeseries.csv']);
    const outputs: [string, string][] = [
      ...files.map((n): [string, string] => [n, readFileSync(join(out, n), 'utf8')]),
      ['run stdout', run.stdout], ['run stderr', run.stderr],
      ['plan stdout', plan.stdout], ['plan stderr', plan.stderr], ['plan --json', planJson.stdout],
    ];
    for (const [where, text] of outputs) {
      assert.ok(text.length > 0 || where.endsWith('stderr'), `${where} is empty`);
      for (const secret of [TOKEN, FILE_SECRET, VAR_SECRET]) assert.ok(!text.includes(secret), `${where} contains a secret`);
    }
    // The non-secret var is shown: the grep above looks where values would appear.
    assert.ok(plan.stdout.includes('visible-user'));
  });
});

describe('where env values come from', () => {
  const f = () => scenario('env.z6.toml', '[[requests]]\npath = "/e/{{ env.WHO }}"\n');

  async function who(args: string[], env: Record<string, string> = {}): Promise<string[]> {
    received.length = 0;
    const r = await z6(['run', f(), '--quiet', ...args], env);
    assert.equal(r.code, 0, r.stderr);
    return [...new Set(received.map((x) => x.url))];
  }

  test('--env wins over --env-file, which wins over the process environment; later --env wins', async () => {
    writeFileSync(join(tmp, 'a.env'), 'WHO=file-a\n');
    writeFileSync(join(tmp, 'b.env'), 'export WHO="file-b"\n');
    assert.deepEqual(await who([], { WHO: 'process' }), ['/e/process']);
    assert.deepEqual(await who(['--env-file', 'a.env'], { WHO: 'process' }), ['/e/file-a']);
    assert.deepEqual(await who(['--env-file', 'a.env', '--env-file', 'b.env']), ['/e/file-b']);
    assert.deepEqual(await who(['--env-file', 'a.env', '--env', 'WHO=flag', '--env=WHO=flag2'], { WHO: 'process' }), ['/e/flag2']);
  });

  test('an unset or empty env name stops run and plan before any request: exit 2, at its place in the file', async () => {
    received.length = 0;
    const file = f();
    const run = await z6(['run', file]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /env\.z6\.toml:11:15: error: environment variable WHO is not set: set it, or give it with --env WHO=… or --env-file FILE \[env-unset\]/);
    const empty = await z6(['run', file, '--env', 'WHO=']);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /environment variable WHO is empty/);
    const plan = await z6(['plan', file]);
    assert.equal(plan.code, 2);
    assert.match(plan.stderr, /\[env-unset\]/);
    assert.equal(received.length, 0);
  });

  test('bad --env and --env-file are usage errors (2)', async () => {
    const bad = await z6(['run', f(), '--env', 'NOEQUALS']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--env needs NAME=VALUE/);
    // Node itself looks for --env-file anywhere in its argv (nodejs/node#54232) and, when the
    // file is missing, exits 9 before z6 starts; started as `node -- cli.js …` z6 says it (2).
    const missing = await z6(['run', f(), '--env-file', 'nope.env']);
    assert.ok(missing.code === 2 || missing.code === 9, `exit ${missing.code}`);
    assert.match(missing.stderr, /nope\.env: (no such file|not found)/);
    const viaSeparator = await z6(['--', cli, 'run', f(), '--env-file', 'nope.env'], {}, true);
    assert.equal(viaSeparator.code, 2);
    assert.match(viaSeparator.stderr, /z6 run: --env-file nope\.env: no such file/);
    const planBad = await z6(['plan', f(), '--env', '1X=2']);
    assert.equal(planBad.code, 2);
  });
});
