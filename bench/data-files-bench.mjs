/**
 * Data files and memory: peak resident memory (VmHWM) of `z6 run` drawing rows from a generated
 * 100 MB CSV, beside the same run with a 1 KB CSV, for each mode that reads rows all over the
 * file (random) or walks it (sequential); plus how long `z6 validate` (header only) and the
 * indexing take. The CSVs are generated in a temp dir and removed afterwards.
 *
 *   npm run build && node bench/data-files-bench.mjs [--seconds 8] [--vus 20] [--mb 100]
 *
 * The target is bench/target-server.mjs on CPU 0, z6 on CPU 1 (as the engine bench).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GENERATOR_CPU } from './lib/generators.mjs';
import { processMemory, sleep } from './lib/proc.mjs';
import { startTarget } from './lib/target.mjs';

const root = join(import.meta.dirname, '..');
const { values: opt } = parseArgs({ options: { seconds: { type: 'string', default: '8' }, vus: { type: 'string', default: '20' }, mb: { type: 'string', default: '100' } } });
const SECONDS = Number(opt.seconds);
const VUS = Number(opt.vus);
const MB = Number(opt.mb);

/** username,password,email,id rows up to `bytes`; returns the row count. */
async function generateCsv(file, bytes) {
  const out = createWriteStream(file);
  let written = 0;
  let rows = 0;
  const write = (s) => new Promise((r) => (out.write(s) ? r() : out.once('drain', r)));
  await write('username,password,email,id\n');
  while (written < bytes) {
    let chunk = '';
    for (let k = 0; k < 10_000 && written + chunk.length < bytes; k++, rows++) {
      chunk += `user${rows},"p,w""${(rows * 7919) % 100_000}",user${rows}@example.com,${rows}\n`;
    }
    written += chunk.length;
    await write(chunk);
  }
  await new Promise((r) => out.end(r));
  return rows;
}

function scenario(dir, port, csv, mode) {
  const f = join(dir, `s-${mode}-${csv}.z6.toml`);
  writeFileSync(f, [
    '[target]', `base_url = "http://127.0.0.1:${port}"`,
    '[runtime]', `duration_seconds = ${SECONDS}`, `vus = ${VUS}`, 'prng_seed = 1',
    '[[data]]', `file = "${csv}"`, `mode = "${mode}"`,
    '[[requests]]', 'name = "login"', 'path = "/?u={{ username }}&id={{ id }}"', 'headers = { X-Pw = "{{ password }}" }',
  ].join('\n') + '\n');
  return f;
}

/** One z6 run; peak RSS from /proc while it runs (VmHWM), and its results. */
async function run(file) {
  const child = spawn('taskset', ['-c', GENERATOR_CPU, process.execPath, join(root, 'bin/z6.js'), 'run', file, '--quiet', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((r) => child.once('exit', r));
  let hwmKb = 0;
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    // taskset execs node: the pid is z6's.
    const m = processMemory(child.pid);
    if (m && m.hwmKb > hwmKb) hwmKb = m.hwmKb;
    await sleep(50);
  }
  const code = await exited;
  if (code !== 0) throw new Error(`z6 run exited ${code}: ${stderr}`);
  const r = JSON.parse(stdout);
  // z6's own CPU per response (the target runs on the other core).
  const cpuUs = (r.generator.cpuPercent / 100) * r.durationSeconds * 1e6 / Math.max(1, r.totals.responses);
  return { hwmMb: hwmKb / 1024, rps: r.totals.rps, cpuUs, failed: r.totals.failed, drawn: r.data[0].drawn };
}

function timed(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'bin/z6.js'), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return performance.now() - t0;
}

const dir = mkdtempSync(join(tmpdir(), 'z6-data-bench-'));
const target = await startTarget(root);
try {
  const bigRows = await generateCsv(join(dir, 'big.csv'), MB * 1024 * 1024);
  await generateCsv(join(dir, 'small.csv'), 1024);
  const size = statSync(join(dir, 'big.csv')).size;
  console.log(`data files: ${(size / 1048576).toFixed(0)} MB CSV (${bigRows.toLocaleString('en')} rows) vs 1 KB, ${VUS} VUs, ${SECONDS} s per run, node ${process.version}`);
  const validateMs = timed(['validate', scenario(dir, target.port, 'big.csv', 'random')]);
  const validateSmall = timed(['validate', scenario(dir, target.port, 'small.csv', 'random')]);
  // z6 plan indexes the file (and previews a few rows); minus its run on the small file ≈ indexing.
  const planBig = timed(['plan', scenario(dir, target.port, 'big.csv', 'random')]);
  const planSmall = timed(['plan', scenario(dir, target.port, 'small.csv', 'random')]);
  console.log(`z6 validate (header only): ${validateMs.toFixed(0)} ms vs ${validateSmall.toFixed(0)} ms with the small file; z6 plan: ${planBig.toFixed(0)} ms vs ${planSmall.toFixed(0)} ms with the small file (indexing ≈ ${(planBig - planSmall).toFixed(0)} ms)`);
  console.log('');
  console.log('| mode | CSV | peak RSS (MB) | responses/s | z6 CPU per response (µs) | rows drawn |');
  console.log('|---|---|---|---|---|---|');
  for (const mode of ['random', 'sequential']) {
    for (const csv of ['small.csv', 'big.csv']) {
      const r = await run(scenario(dir, target.port, csv, mode));
      console.log(`| ${mode} | ${csv === 'big.csv' ? `${MB} MB` : '1 KB'} | ${r.hwmMb.toFixed(1)} | ${r.rps.toFixed(0)} | ${r.cpuUs.toFixed(1)} | ${r.drawn.toLocaleString('en')} |`);
    }
  }
} finally {
  await target.close();
  rmSync(dir, { recursive: true, force: true });
}
