/**
 * Memory per VU: resident memory of a `z6 run` with N mostly idle VUs, each holding one request
 * open against the target's slow route, minus the same run with 1 VU, divided by N − 1.
 *
 * RSS is read from outside (/proc/PID/status VmRSS) once every VU's socket is open (counted in
 * /proc/PID/fd) and after a short settle, as the median of a few samples — before any response
 * can arrive, so each VU really is one idle connection with one request in flight. No forced GC:
 * this is what a user's run holds, garbage included. Each run is cut short with
 * --graceful-stop 0 (in-flight requests are interrupted when its duration ends).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { engineScenario, GENERATOR_CPU } from './lib/generators.mjs';
import { loadAverage, processMemory, sleep, socketCount } from './lib/proc.mjs';
import { startTarget } from './lib/target.mjs';
import { median } from './engine-bench.mjs';

const SLOW_MS = 10_000;

/**
 * One z6 run with `vus` VUs against /slow; returns { vus, sockets, rssKb, hwmKb, connectMs }.
 * seconds: the run's duration (must stay below SLOW_MS so no response arrives).
 */
async function measure(vus, { root, port, workDir, seconds, settleMs, log }) {
  const file = join(workDir, `memory-${vus}.z6.toml`);
  writeFileSync(file, engineScenario({ port, vus, seconds, path: `/slow?ms=${SLOW_MS}`, timeoutMs: SLOW_MS * 3 }));
  // Each VU owns a socket: make sure the soft fd limit allows them (raise it to the hard limit).
  const cmd = `ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec taskset -c ${GENERATOR_CPU} "$0" "$@"`;
  const child = spawn('sh', ['-c', cmd, process.execPath, join(root, 'bin/z6.js'), 'run', file, '--quiet', '--graceful-stop', '0'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  // `exec` keeps the pid: child.pid is the z6 process itself.
  const pid = child.pid;
  const t0 = performance.now();
  const deadline = t0 + (seconds - 1.5) * 1000;
  let sockets = 0;
  let connectMs = NaN;
  while (performance.now() < deadline) {
    sockets = socketCount(pid);
    if (sockets >= vus) {
      connectMs = performance.now() - t0;
      break;
    }
    await sleep(100);
  }
  if (!(sockets >= vus)) log(`  ${vus} VUs: only ${sockets} sockets open after ${((performance.now() - t0) / 1000).toFixed(1)} s; sampling anyway`);
  await sleep(settleMs);
  const samples = [];
  for (let i = 0; i < 5; i++) {
    const m = processMemory(pid);
    if (m) samples.push(m);
    await sleep(200);
  }
  sockets = Math.max(sockets, socketCount(pid));
  const code = await exited;
  // 1 = an assertion failed is impossible here (none); 0 is the normal end.
  if (code !== 0) throw new Error(`z6 with ${vus} VUs exited ${code}:\n${stderr.slice(-2000)}`);
  return {
    vus,
    sockets,
    connectMs,
    rssKb: median(samples.map((s) => s.rssKb)),
    hwmKb: Math.max(...samples.map((s) => s.hwmKb)),
  };
}

/** @param {{ root: string, workDir: string, vus: number, seconds: number, settleMs: number, log: (s: string) => void }} o */
export async function runMemoryBench(o) {
  const workDir = join(o.workDir, 'memory');
  mkdirSync(workDir, { recursive: true });
  const target = await startTarget(o.root);
  try {
    const load = loadAverage();
    const base = await measure(1, { ...o, workDir, port: target.port });
    o.log(`  1 VU: RSS ${(base.rssKb / 1024).toFixed(1)} MB (peak so far ${(base.hwmKb / 1024).toFixed(1)} MB)`);
    const many = await measure(o.vus, { ...o, workDir, port: target.port });
    o.log(
      `  ${o.vus.toLocaleString('en-US')} VUs: ${many.sockets.toLocaleString('en-US')} sockets open after ${(many.connectMs / 1000).toFixed(1)} s, ` +
        `RSS ${(many.rssKb / 1024).toFixed(1)} MB (peak so far ${(many.hwmKb / 1024).toFixed(1)} MB)`,
    );
    const kbPerVu = (many.rssKb - base.rssKb) / (o.vus - 1);
    return { base, many, kbPerVu, load };
  } finally {
    await target.close();
  }
}

export function memoryText(m) {
  return (
    `RSS per idle VU: ${m.kbPerVu.toFixed(1)} KB (target < 20 KB: ${m.kbPerVu < 20 ? 'met' : 'NOT met'}) — ` +
    `${(m.base.rssKb / 1024).toFixed(1)} MB at 1 VU, ${(m.many.rssKb / 1024).toFixed(1)} MB at ${m.many.vus.toLocaleString('en-US')} VUs ` +
    `(${m.many.sockets.toLocaleString('en-US')} sockets; load avg ${m.load})`
  );
}
