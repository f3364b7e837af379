/**
 * The start barrier of a distributed run (engine/distributed/start-barrier.ts) on a real folder:
 * segments that arrive at different times agree on one start and none starts before it; a segment
 * that never comes is named when the wait times out; one that cannot start stops the others at
 * once with its reason; another run's leftovers are refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BarrierError, leaveBarrier, waitAtBarrier } from '../../engine/distributed/start-barrier';

const folder = () => mkdtempSync(join(tmpdir(), 'z6-barrier-'));

test('segments arriving apart agree on one start, and none wakes before it', async () => {
  const dir = folder();
  const woke: { start: number; at: number }[] = [];
  const segment = async (index: number, arriveAfterMs: number) => {
    await sleep(arriveAfterMs);
    const start = await waitAtBarrier(dir, index, 3, { pollMs: 20, timeoutMs: 10_000 });
    woke.push({ start, at: Date.now() });
  };
  // The last one arrives well after the others: the start is set only when it is there.
  const lastArrival = Date.now() + 300;
  await Promise.all([segment(0, 0), segment(1, 100), segment(2, 300)]);
  assert.equal(woke.length, 3);
  assert.equal(new Set(woke.map((w) => w.start)).size, 1, 'one start time for all');
  assert.ok(woke[0]!.start >= lastArrival, 'the start comes after the last segment arrived');
  for (const w of woke) assert.ok(w.at >= w.start, `woke at ${w.at}, before the start ${w.start}`);
  assert.deepEqual(readdirSync(dir).sort(), ['ready-0', 'ready-1', 'ready-2', 'start']);
});

test('a segment that never comes: the wait ends with the missing ones named', async () => {
  const dir = folder();
  const results = await Promise.allSettled([
    waitAtBarrier(dir, 0, 4, { pollMs: 20, timeoutMs: 300 }),
    waitAtBarrier(dir, 2, 4, { pollMs: 20, timeoutMs: 300 }),
  ]);
  for (const r of results) {
    assert.equal(r.status, 'rejected');
    assert.ok(r.reason instanceof BarrierError);
    assert.match(r.reason.message, /only 2 of 4 segments .* missing: 1, 3/);
  }
});

test("another run's leftovers in the folder are refused, not joined", async () => {
  const dir = folder();
  writeFileSync(join(dir, 'ready-5'), 'old\n');
  await assert.rejects(waitAtBarrier(dir, 0, 2, { pollMs: 20, timeoutMs: 1000 }), /ready files of segments 5, beyond 2 segments/);
});

test('a segment that cannot start stops the others at once, with its reason', async () => {
  const dir = folder();
  const t0 = Date.now();
  const waiting = [0, 1].map((i) => waitAtBarrier(dir, i, 3, { pollMs: 20, timeoutMs: 60_000 }));
  await sleep(100);
  leaveBarrier(dir, 2, 'cannot write the event log: EACCES');
  leaveBarrier(dir, 2, 'a second reason is not kept');
  for (const w of waiting) await assert.rejects(w, (e: Error) => e instanceof BarrierError && /segment 2\/3 stopped before the start: cannot write the event log: EACCES/.test(e.message));
  assert.ok(Date.now() - t0 < 5_000, 'not the timeout');
});
