/**
 * The simulated target in words, for `z6 plan` (and anyone who wants to say what a sim:// run
 * will answer): its capacity, then each distinct answer model with the requests that use it.
 */
import type { ResponseModel, Simulation } from '../scenario/model';
import { VIRTUAL_EPOCH_MS } from './simulate';

const pct = (x: number) => `${Math.round(x * 10000) / 100} %`;

function latencyText(m: ResponseModel): string {
  if (m.latency === 'fixed') return `${m.latencyMs} ms`;
  if (m.latency === 'uniform') return `uniform ${m.latencyMinMs}..${m.latencyMaxMs} ms`;
  return `lognormal, median ${m.latencyMs} ms, p99 ${m.latencyP99Ms} ms`;
}

function answersText(m: ResponseModel): string {
  const parts = [latencyText(m)];
  if (m.errorRate > 0) parts.push(`${pct(m.errorRate)} answered ${m.errorStatus}`);
  if (m.timeoutRate > 0) parts.push(`${pct(m.timeoutRate)} never answered`);
  if (m.resetRate > 0) parts.push(`${pct(m.resetRate)} reset`);
  if (m.connectRate > 0) parts.push(`${pct(m.connectRate)} refused`);
  if (m.responseBytes > 0) parts.push(`${m.responseBytes} bytes`);
  return parts.join(', ');
}

/** Lines: what the target is, its capacity, and the answers of each request. */
export function describeSimulation(sim: Simulation, requestNames: readonly string[]): string[] {
  const capacity = sim.concurrency === undefined ? 'unlimited servers (no queueing)'
    : `${sim.concurrency} server${sim.concurrency === 1 ? '' : 's'}, then a queue ${sim.queueLimit === undefined ? 'without limit' : `of at most ${sim.queueLimit} (${sim.queueFullStatus} beyond)`}`;
  const lines = [
    `sim://${sim.name} is simulated: nothing is sent; answers come from the [simulation] model in virtual time from ${new Date(VIRTUAL_EPOCH_MS).toISOString()}`,
    `capacity: ${capacity}; a new connection takes ${sim.connectMs} ms`,
  ];
  const groups = new Map<string, string[]>();
  sim.requests.forEach((m, i) => {
    const text = answersText(m);
    groups.set(text, [...(groups.get(text) ?? []), requestNames[i] ?? `#${i + 1}`]);
  });
  for (const [text, names] of groups) lines.push(`${names.join(', ')}: ${text}`);
  return lines;
}
