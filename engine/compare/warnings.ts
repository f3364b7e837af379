/**
 * What makes two runs less comparable than they look: a different scenario, seed, schedule or
 * target, a run that did not complete, a busy load generator. Said, never fatal: comparing a
 * change of scenario is a legitimate question, as long as the reader knows.
 */
import type { Results } from '../metrics/results-types';

const short = (hash: string | undefined) => (hash ? hash.slice(0, 12) : 'none');

function schedule(r: Results): string {
  const s = r.schedule;
  if (!s) return 'unknown';
  const length = s.plannedDurationSeconds === null ? 'until its iterations end' : `${s.plannedDurationSeconds} s`;
  return `${s.type}, ${s.model} model, peak ${s.peakVus}, ${length}`;
}

function duplicateNames(r: Results): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const q of r.requests ?? []) (seen.has(q.name) ? dup : seen).add(q.name);
  return [...dup];
}

export function runWarnings(a: Results, b: Results, [la, lb]: [string, string]): string[] {
  const out: string[] = [];
  if (a.scenario?.hash !== b.scenario?.hash) {
    out.push(`different scenarios (hash ${short(a.scenario?.hash)}… in ${la}, ${short(b.scenario?.hash)}… in ${lb}): the workloads may differ`);
  }
  if (a.seed !== b.seed) out.push(`different seeds (${a.seed} in ${la}, ${b.seed} in ${lb}): the VUs made different choices`);
  const sa = schedule(a);
  const sb = schedule(b);
  if (sa !== sb) out.push(`different schedules (${sa} in ${la}; ${sb} in ${lb})`);
  if (a.target?.baseUrl !== b.target?.baseUrl || a.target?.httpVersion !== b.target?.httpVersion) {
    out.push(`different targets (${a.target?.baseUrl} ${a.target?.httpVersion} in ${la}, ${b.target?.baseUrl} ${b.target?.httpVersion} in ${lb})`);
  }
  for (const [r, label] of [[a, la], [b, lb]] as const) {
    if (r.status !== 'completed') out.push(`${label} did not complete (status ${r.status}): its figures cover part of the run`);
    if (r.generator?.warning) out.push(`${label}: ${r.generator.warning}`);
    const dup = duplicateNames(r);
    if (dup.length) out.push(`${label} has more than one request named ${dup.map((n) => JSON.stringify(n)).join(', ')}: the first of each is compared`);
  }
  return out;
}
