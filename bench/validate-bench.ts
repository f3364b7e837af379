/**
 * Time to validate a generated 1,000-request scenario, end to end (smol-toml parse, our
 * position-aware parse, schema checks, cross-field rules, model build). Target: under 30 ms.
 * Run: npx tsx bench/validate-bench.ts
 */
import { performance } from 'node:perf_hooks';
import { parse } from 'smol-toml';
import { parseToml } from '../engine/scenario/toml/parser';
import { validateText } from '../engine/scenario/validate';
import { generateScenario } from './generate-scenario';

const text = generateScenario(1000);
/** Median and minimum of many runs after warm-up; on a busy machine the minimum is the honest cost. */
function time(fn: () => unknown, runs = 50): { median: number; min: number } {
  for (let i = 0; i < 10; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]! };
}
const fmt = (t: { median: number; min: number }) => `median ${t.median.toFixed(1)} ms, min ${t.min.toFixed(1)} ms`;

const check = validateText(text);
if (!check.scenario || check.diagnostics.length) throw new Error('generated scenario should be valid');
const full = time(() => validateText(text));
const smol = time(() => parse(text));
const ours = time(() => parseToml(text));
console.log(`validate a 1,000-request scenario (${(text.length / 1024).toFixed(0)} KiB): ${fmt(full)} (target < 30 ms)`);
console.log(`  smol-toml parse alone: ${fmt(smol)}; position-aware parse alone: ${fmt(ours)}`);
