/**
 * A start barrier through a shared folder, so the segments of one run start together however
 * late each process was scheduled (a pod pulled its image slower, a node was busy): a run whose
 * segments start seconds apart measures a ramp nobody planned.
 *
 * Each segment writes `ready-<index>` once it has loaded its scenario and is about to start, then
 * waits until all `count` ready files are there. The first segment to see them all creates
 * `start` exclusively (O_EXCL: exactly one wins, also on NFS v3+) with a wall-clock time a little
 * ahead, and every segment — the others read that file — sleeps until that time. The lead time
 * covers the other segments' polling interval, so they all wake at the same instant, to within
 * their clocks' agreement (NTP on cluster nodes: milliseconds).
 *
 * A barrier never waits forever: after `timeoutMs` it fails with which segments never came, and a
 * segment that cannot start (a bad scenario, an unwritable output) says so with `leaveBarrier`, so
 * the others stop at once with its reason instead of waiting out the timeout.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface BarrierOptions {
  /** How long to wait for every segment (default 10 minutes: image pulls and scheduling). */
  timeoutMs?: number;
  /** How often the folder is looked at (default 100 ms). */
  pollMs?: number;
  /** How far ahead of the moment all are ready the common start is set (default: 5 × poll + 500 ms). */
  leadMs?: number;
  signal?: AbortSignal;
}

export class BarrierError extends Error {}

const READY = /^ready-(\d+)$/;
const FAILED = /^failed-(\d+)$/;

/**
 * Tells the other segments waiting in `dir` that segment `index` will not come, and why. Best
 * effort: the segment is failing already, and a folder it cannot write leaves the others to the
 * timeout, as before. Only the first segment to leave writes (the others fail because of it).
 */
export function leaveBarrier(dir: string, index: number, reason: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    // A segment stopped by another's failure is not news: the first reason is the one to keep.
    if (failedSegment(dir)) return;
    writeFileSync(join(dir, `failed-${index}`), reason.trim() + '\n', { flag: 'wx' });
  } catch {
    // Nothing better to do: see above.
  }
}

/** The first failed segment's index and reason, if any segment left the barrier. */
function failedSegment(dir: string): { index: number; reason: string } | undefined {
  for (const name of readdirSync(dir)) {
    const m = FAILED.exec(name);
    if (!m) continue;
    let reason = '';
    try { reason = readFileSync(join(dir, name), 'utf8').trim(); } catch { /* just created: read it at the next look */ }
    // Created but not yet written (wx creates, then writes): the reason comes at the next look.
    if (reason) return { index: Number(m[1]), reason };
  }
  return undefined;
}

/** The indices that have written their ready file. */
function readyIndices(dir: string): Set<number> {
  const seen = new Set<number>();
  for (const name of readdirSync(dir)) {
    const m = READY.exec(name);
    if (m) seen.add(Number(m[1]));
  }
  return seen;
}

/** Creates `start` if no one has; returns the agreed start time (ms since the epoch) either way. */
function agreeOnStart(dir: string, proposedMs: number): number {
  const file = join(dir, 'start');
  try {
    writeFileSync(file, new Date(proposedMs).toISOString() + '\n', { flag: 'wx' });
    return proposedMs;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  // Another segment won; its file may be created but not yet written: read until it holds a time.
  const text = readFileSync(file, 'utf8').trim();
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : NaN;
}

/**
 * Waits at the barrier in `dir` as segment `index` of `count`; resolves at the common start time
 * (and returns it, ms since the epoch). Rejects with a BarrierError naming the missing segments
 * on timeout, or when `dir` holds a ready file of an index outside 0..count-1 (another run's
 * leftovers: a barrier folder belongs to one run), or when another segment left the barrier.
 */
export async function waitAtBarrier(dir: string, index: number, count: number, o: BarrierOptions = {}): Promise<number> {
  const pollMs = o.pollMs ?? 100;
  const leadMs = o.leadMs ?? 5 * pollMs + 500;
  const deadline = Date.now() + (o.timeoutMs ?? 600_000);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `ready-${index}`), `${new Date().toISOString()}\n`);
  for (;;) {
    o.signal?.throwIfAborted();
    const ready = readyIndices(dir);
    const stray = [...ready].filter((i) => i >= count);
    if (stray.length) throw new BarrierError(`the barrier folder ${dir} has ready files of segments ${stray.join(', ')}, beyond ${count} segments: is it another run's? Give each run its own folder.`);
    const failed = failedSegment(dir);
    if (failed) throw new BarrierError(`segment ${failed.index}/${count} stopped before the start: ${failed.reason}`);
    let startMs = NaN;
    if (ready.size === count) startMs = agreeOnStart(dir, Date.now() + leadMs);
    if (Number.isFinite(startMs)) {
      await sleep(Math.max(0, startMs - Date.now()), undefined, { signal: o.signal });
      return startMs;
    }
    if (Date.now() > deadline) {
      const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !ready.has(i));
      throw new BarrierError(`only ${ready.size} of ${count} segments reached the start barrier in ${dir} within ${Math.round((o.timeoutMs ?? 600_000) / 1000)} s; missing: ${missing.join(', ')}`);
    }
    await sleep(pollMs, undefined, { signal: o.signal });
  }
}
