/**
 * What the benchmark reads from /proc: whole-machine CPU, one process's CPU, its resident
 * memory and open sockets, and the load average. Linux only (this VM), no dependencies.
 *
 * "Foreign" CPU is how the benches see other people's work on this shared 2-core VM: the
 * machine's user+nice+system ticks minus the ticks of the processes the bench itself runs.
 * Whole-machine ticks (not a sum over /proc/PID) so that short-lived processes — test runs
 * that start and end during a measurement — are counted too. irq/softirq are left out: with
 * IRQ time accounting, loopback TCP processing lands there and is the benchmark's own work.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** Clock ticks per second of /proc/…/stat (getconf CLK_TCK is 100 on Linux x86-64). */
export const TICK_HZ = 100;

/** Machine-wide CPU seconds so far: busy (user+nice+system) and steal (the hypervisor's other guests). */
export function machineCpu() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , , , steal] = f;
  return { busy: (user + nice + system) / TICK_HZ, steal: (steal ?? 0) / TICK_HZ };
}

/** CPU seconds (user+system) a live process has used so far; 0 when it is gone. */
export function processCpu(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICK_HZ;
  } catch {
    return 0;
  }
}

/** This (bench) process's own CPU seconds. */
export function selfCpu() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** { rssKb, hwmKb } of a live process, from /proc/PID/status; undefined when it is gone. */
export function processMemory(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Open socket file descriptors of a process (each undici Client holds one). */
export function socketCount(pid) {
  let n = 0;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n++;
      } catch {
        // closed while we looked
      }
    }
  } catch {
    return -1;
  }
  return n;
}

/** The 1-minute load average, as a string like "1.23". */
export function loadAverage() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until other processes use less than `threshold` of a core for `quietMs` in a row
 * (performance.md §1: 5 % for 2 s), or gives up after `maxWaitMs`. `ourPids` are processes
 * of the bench that may be running meanwhile (the idle target). Returns how long it waited and
 * whether the machine did get quiet.
 */
export async function waitQuiet({ ourPids = [], threshold = 0.05, quietMs = 2000, maxWaitMs = 20_000, stepMs = 500 } = {}) {
  const t0 = Date.now();
  let quietSince = -1;
  let prev = snapshot(ourPids);
  for (;;) {
    await sleep(stepMs);
    const cur = snapshot(ourPids);
    const cores = foreignCores(prev, cur);
    prev = cur;
    const now = Date.now();
    if (cores < threshold) {
      if (quietSince < 0) quietSince = now - stepMs;
      if (now - quietSince >= quietMs) return { waitedMs: now - t0, quiet: true };
    } else quietSince = -1;
    if (now - t0 >= maxWaitMs) return { waitedMs: now - t0, quiet: false };
  }
}

/** A point-in-time reading for foreignCores(): machine CPU, our processes' CPU, wall time. */
export function snapshot(ourPids = [], extraOurs = 0) {
  let ours = selfCpu() + extraOurs;
  for (const p of ourPids) ours += processCpu(p);
  return { ...machineCpu(), ours, wall: performance.now() / 1000 };
}

/**
 * Cores' worth of foreign CPU between two snapshots. `addOurs` is CPU of ours not visible in
 * the snapshots (a generator that has exited, measured by /usr/bin/time).
 */
export function foreignCores(a, b, addOurs = 0) {
  const wall = b.wall - a.wall;
  if (wall <= 0) return 0;
  return Math.max(0, b.busy - a.busy - (b.ours - a.ours) - addOurs) / wall;
}
