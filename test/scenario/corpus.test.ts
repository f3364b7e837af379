// decisions §1: every file of the original project's corpus keeps working: valid ones validate
// (and so can run); invalid ones give a precise diagnostic.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadScenarioFile } from '../../engine/scenario/load';

const dir = join(__dirname, '../fixtures/corpus');
const load = (f: string) => loadScenarioFile(join(dir, f));
const lines = (f: string) => load(f).result!.diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`);

test('valid corpus files validate and build a runnable scenario', () => {
  const simple = load('fixture-simple.toml').result!;
  assert.deepEqual(simple.diagnostics, []);
  assert.equal(simple.scenario!.runtime.seed, 42);
  assert.deepEqual(simple.scenario!.assertions, { p99_latency_ms: 100, error_rate_max: 0.01 });

  const complex = load('complex.toml').result!;
  assert.deepEqual(complex.diagnostics, []);
  const s = complex.scenario!;
  assert.deepEqual(s.requests.map((r) => [r.name, r.method, r.weight]), [['get_users', 'GET', 70], ['create_user', 'POST', 20], ['delete_user', 'DELETE', 10]]);
  assert.equal(s.requests[1]!.body, '{"name": "test"}');
  assert.deepEqual(s.schedule, { type: 'ramp', startVus: 0, endVus: 100, rampDurationSeconds: 300, holdDurationSeconds: 0 });
  assert.equal(s.target.httpVersion, 'http2');
  assert.equal(s.target.tls, true);
});

test('invalid corpus files give precise diagnostics', () => {
  assert.deepEqual(lines('empty.toml'), ['1:1 empty-file']);
  assert.deepEqual(lines('invalid_garbage.toml'), ['1:1 toml-syntax']);
  assert.equal(load('invalid_garbage.toml').result!.diagnostics[0]!.message, "expected '=' after the key 'garbage'");
  assert.deepEqual(lines('invalid_method.toml'), ['1:1 missing-section', '1:1 no-duration', '3:10 invalid-value']);
  assert.deepEqual(lines('only_metadata.toml'), ['1:1 missing-section', '1:1 missing-section', '1:1 no-duration']);
  assert.deepEqual(lines('partial.toml'), ['1:1 missing-section', '1:1 missing-section', '1:1 no-duration']);
  assert.deepEqual(lines('unknown_section.toml'), ['1:1 missing-section', '1:1 missing-section', '1:1 no-duration', '1:2 unknown-section']);
  assert.match(load('invalid_method.toml').result!.diagnostics[2]!.message, /found "INVALID"/);
});

test('a binary file is refused with a clear message', () => {
  assert.match(load('random.bin').fileError!, /^is a binary file \(a NUL byte at line \d+, column \d+\), not a TOML scenario$/);
});
