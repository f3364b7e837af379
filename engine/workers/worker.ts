/**
 * One worker thread of `z6 run --workers N` (bundled as dist/worker.js): loads the scenario
 * from its file as the parent did, waits for 'start', runs its segment with the parent's seed
 * and setup values, reports each second, and posts its segment's results (protocol.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { applyOverrides, retarget } from '../run';
import { runLoad } from '../run/runner';
import { loadForRun } from '../cli/commands/scenario-input';
import type { ParentToWorker, WorkerJob, WorkerMessage } from './protocol';

const port = parentPort!;
const job = workerData as WorkerJob;
const post = (m: WorkerMessage) => port.postMessage(m);

function main(): void {
  const input = loadForRun(job.file, { readBodies: true, env: job.env });
  if (!input.ok) return post({ type: 'failed', message: input.message });
  if (input.scenario.source.hash !== job.scenarioHash) return post({ type: 'failed', message: `${job.file} changed after the run started; run again` });
  let scenario = applyOverrides(input.scenario, job.overrides);
  if (job.baseUrl) scenario = retarget(scenario, job.baseUrl);
  const controller = new AbortController();
  port.on('message', (m: ParentToWorker) => {
    if (m.type === 'cancel') controller.abort();
    else if (m.type === 'start') {
      runLoad(scenario, {
        seed: job.seed,
        segment: job.segment,
        signal: controller.signal,
        env: job.env,
        gracefulStopMs: job.gracefulStopMs,
        setupVars: job.setupVars ? new Map(job.setupVars) : undefined,
        onStart: (info) => post({ type: 'started', info }),
        onProgress: (sample, totals, histogram) => post({ type: 'second', sample, totals, histogram: histogram ?? '' }),
        onNotice: (notice) => post({ type: 'notice', notice }),
      }).then(
        (results) => post({ type: 'finished', results }),
        (e: unknown) => post({ type: 'failed', message: (e as Error).message }),
      );
    }
  });
  post({ type: 'ready' });
}

try {
  main();
} catch (e) {
  post({ type: 'failed', message: (e as Error).message });
}
