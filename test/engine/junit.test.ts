/**
 * `z6 run --junit FILE`: the assertions of a real run against a loopback server as JUnit XML —
 * well-formed (checked by an XML parser, not by regexes), one test case per assertion with the
 * failures carrying expected and actual, and a run that could not be judged is an error case.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ensureBuilt, httpServer, refusedPort, type Listening } from './helpers';

const cli = join(__dirname, '../../dist/cli.js');
let tmp: string;
let server: Listening;

function z6(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code) => resolve({ code, out }));
  });
}

interface Case {
  '@_name': string;
  failure?: { '@_message': string; '@_type': string };
  error?: { '@_message': string; '@_type': string };
}

function parse(file: string): { suites: Record<string, string>; suite: Record<string, string>; cases: Case[] } {
  const text = readFileSync(file, 'utf8');
  assert.equal(XMLValidator.validate(text), true, text);
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' }).parse(text);
  return { suites: doc.testsuites, suite: doc.testsuites.testsuite, cases: doc.testsuites.testsuite.testcase };
}

before(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'z6-junit-'));
  // /slow answers after 40 ms: its p99 cannot be under 5 ms, while the run's error rate is 0.
  server = await httpServer((req, res) => {
    const t = setTimeout(() => res.end('ok'), req.url === '/slow' ? 40 : 0);
    res.on('close', () => clearTimeout(t));
  });
});
after(() => server.close());

test('one test case per assertion; the failed one says expected and actual; names escaped', async () => {
  const f = join(tmp, 'j.z6.toml');
  writeFileSync(f, `[metadata]\nname = "shop <&> \\"eu\\""\n[runtime]\nduration_seconds = 1\nvus = 2\nprng_seed = 3\n[target]\nbase_url = "${server.url}"\n` +
    `[[requests]]\nname = "home"\npath = "/"\n[[requests]]\nname = "slow"\npath = "/slow"\n[requests.assertions]\np99_latency_ms = 5\n` +
    `[assertions]\nerror_rate_max = 0.01\nrps_min = 1\n`);
  const junit = join(tmp, 'j.xml');
  const r = await z6(['run', f, '--quiet', '--junit', junit]);
  assert.equal(r.code, 1, r.out);
  const { suites, suite, cases } = parse(junit);
  assert.equal(suite['@_name'], 'shop <&> "eu"');
  assert.deepEqual(cases.map((c) => c['@_name']).sort(), ['error_rate_max <= 0.01', 'rps_min >= 1', 'slow: p99_latency_ms <= 5']);
  assert.equal(suites['@_tests'], '3');
  assert.equal(suites['@_failures'], '1');
  assert.equal(suites['@_errors'], '0');
  const failed = cases.filter((c) => c.failure);
  assert.equal(failed.length, 1);
  assert.equal(failed[0]!['@_name'], 'slow: p99_latency_ms <= 5');
  const m = /expected <= 5, actual ([\d.]+)/.exec(failed[0]!.failure!['@_message']);
  assert.ok(m, failed[0]!.failure!['@_message']);
  assert.ok(Number(m[1]) >= 40, `the actual p99 of /slow is at least its 40 ms delay: ${m[1]}`);

  // z6 report writes the same XML from the results JSON, without running again.
  const out = join(tmp, 'j-out');
  assert.equal((await z6(['run', f, '--quiet', '--out', out])).code, 1);
  const again = join(tmp, 'j-again.xml');
  const rep = await z6(['report', join(out, 'results.json'), '--junit', again]);
  assert.equal(rep.code, 0, rep.out);
  assert.equal(parse(again).suites['@_failures'], '1');
});

test('a run that ends in an error is an error test case, never all green', async () => {
  const f = join(tmp, 'dead.z6.toml');
  writeFileSync(f, `[runtime]\nduration_seconds = 20\nvus = 1\n[target]\nbase_url = "http://127.0.0.1:${await refusedPort()}"\nunreachable_stop_seconds = 1\n` +
    `[[requests]]\nname = "home"\npath = "/"\n[assertions]\nerror_rate_max = 1\n`);
  const junit = join(tmp, 'dead.xml');
  const r = await z6(['run', f, '--quiet', '--junit', junit]);
  assert.equal(r.code, 3, r.out);
  const { suites, cases } = parse(junit);
  assert.equal(suites['@_errors'], '1');
  const run = cases.find((c) => c['@_name'] === 'run');
  assert.ok(run?.error, JSON.stringify(cases));
  assert.match(run.error['@_message'], /127\.0\.0\.1/);
});
