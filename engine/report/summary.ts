/**
 * The human summary `z6 run` prints at the end: totals, latency percentiles, a per-request
 * table, status codes, failures by kind with examples, assertions with expected and actual,
 * and the generator's own load. Plain text, no colour codes, so it reads the same in CI logs.
 */
import { terminalSafe } from './terminal-text';
import type { LatencySummary, Results } from '../metrics/results-types';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

const pct = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;

/** dropped / offered arrivals; results written before `droppedRate` existed are computed here. */
export function droppedShare(t: Results['totals']): number {
  return t.droppedRate ?? (t.dropped > 0 ? t.dropped / (t.issued + t.dropped) : 0);
}

function latencyLine(l: LatencySummary): string {
  return `min ${ms(l.min)}  p50 ${ms(l.p50)}  p90 ${ms(l.p90)}  p95 ${ms(l.p95)}  p99 ${ms(l.p99)}  p99.9 ${ms(l.p999)}  max ${ms(l.max)} ms`;
}

function table(rows: string[][], rightAlignFrom: number): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => '  ' + r.map((cell, c) => (c >= rightAlignFrom ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
}

export function assertionsPassed(r: Results): boolean {
  return r.assertions.every((a) => a.pass);
}

export function formatSummary(r: Results): string {
  const t = r.totals;
  const out: string[] = [];
  const name = r.scenario.name ?? r.scenario.file ?? 'scenario';
  const how = r.status === 'completed' ? 'completed' : r.status === 'cancelled' ? 'CANCELLED (partial results)' : r.status === 'aborted' ? 'ABORTED (abort_on_fail)' : 'ENDED WITH AN ERROR';
  out.push(`${name}: ${how} in ${r.durationSeconds.toFixed(1)} s, seed ${r.seed}`);
  if (r.endReason) out.push(`  ended     early: ${r.endReason}`);
  if (r.filter) out.push(`  filtered  ${r.filter.applied}. ${r.filter.notes.join(' ')}`);
  out.push(`  target    ${r.target.baseUrl} (${r.target.httpVersion}), ${r.schedule.model} model, ${r.schedule.type}, peak ${r.schedule.peakVus} ${r.schedule.model === 'open' ? 'in flight' : 'VUs'}`);
  if (r.target.baseUrl.startsWith('sim://')) out.push(`  simulated nothing was sent: the [simulation] model answered, in virtual time from ${r.startedAt}`);
  for (const [label, list] of [['setup', r.setup], ['teardown', r.teardown]] as const) {
    if (!list?.length) continue;
    out.push(`  ${label.padEnd(9)} ${list.map((p) => `"${p.name}" ${p.ok ? `${p.status}, ${ms(p.latencyMs ?? 0)} ms` : `FAILED: ${p.error}`}`).join('; ')}`);
  }
  out.push('');
  out.push(`  requests  ${int(t.issued)} issued: ${int(t.succeeded)} succeeded, ${int(t.failed)} failed, ${int(t.interrupted)} interrupted` + (r.schedule.model === 'open' ? `; ${int(t.dropped)} arrivals dropped` : ''));
  // Dropped arrivals are in no latency histogram: an overloaded target reads normal latency,
  // so the share gets its own line here and a warning at the end, as visible as failures.
  const dropped = t.dropped > 0 ? pct(droppedShare(t)) : undefined;
  if (dropped) {
    out.push(`  dropped   ${int(t.dropped)} of ${int(t.issued + t.dropped)} arrivals (${dropped}) found no free slot (max_in_flight ${r.schedule.peakVus}): the target did not keep up with the offered rate`);
  }
  out.push(`  rate      ${t.rps.toFixed(1)} responses/s, error rate ${(t.errorRate * 100).toFixed(2)} %, ${int(t.connectionsOpened)} connections, ${(t.bytesReceived / 1048576).toFixed(1)} MiB received`);
  if (r.latency.count > 0) out.push(`  latency   ${latencyLine(r.latency)}`);
  if (r.latencyFromIntended && r.latencyFromIntended.count > 0) out.push(`  from intended start  ${latencyLine(r.latencyFromIntended)}`);
  if (r.schedulingLag) out.push(`  schedule lag  mean ${ms(r.schedulingLag.mean)}  p99 ${ms(r.schedulingLag.p99)}  max ${ms(r.schedulingLag.max)} ms behind the intended start`);
  if (r.connectTime && r.connectTime.count > 0) out.push(`  connect   ${latencyLine(r.connectTime)}`);
  if (r.queueWait && r.queueWait.count > 0) out.push(`  queue wait  ${latencyLine(r.queueWait)} (waiting for one of max_connections; part of latency)`);
  if (t.redirects) out.push(`  redirects ${int(t.redirects)} followed`);
  for (const d of r.data ?? []) {
    out.push(`  data      ${d.file} (${d.mode}${d.onExhausted ? `, on_exhausted ${d.onExhausted}` : ''}): ${int(d.drawn)} rows drawn of ${int(d.rows)}${d.exhausted ? ', all used' : ''}`);
  }

  out.push('');
  const rows = [['request', 'issued', 'ok', 'failed', 'interr.', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms']];
  for (const q of r.requests) {
    const l = q.latency;
    const has = l.count > 0;
    rows.push([q.name, int(q.issued), int(q.succeeded), int(q.failed), int(q.interrupted), has ? ms(l.p50) : '-', has ? ms(l.p95) : '-', has ? ms(l.p99) : '-', has ? ms(l.max) : '-']);
  }
  out.push(...table(rows, 1));

  if (r.checks && r.checks.length && t.checks) {
    const c = t.checks;
    out.push('', `  checks    ${int(c.passed)} passed, ${int(c.failed)} failed` + (c.passRate === null ? '' : ` (${pct(c.passRate)} passed)`));
    const checkRows = [['request', 'check', 'passed', 'failed', 'rate']];
    for (const k of r.checks) checkRows.push([k.request, k.name, int(k.passed), int(k.failed), k.passRate === null ? '-' : pct(k.passRate)]);
    out.push(...table(checkRows, 2));
  }

  const codes = Object.entries(r.statusCodes);
  if (codes.length) out.push('', `  status codes  ${codes.map(([c, n]) => `${c} × ${int(n)}`).join(', ')}`);
  const kinds = Object.entries(r.failures);
  if (kinds.length) {
    out.push('', '  failures');
    for (const [kind, n] of kinds) {
      const ex = r.failureSamples[kind as keyof typeof r.failureSamples];
      out.push(`    ${kind.padEnd(9)} ${int(n!).padStart(9)}${ex && ex.length ? `   e.g. ${ex.join(' | ')}` : ''}`);
    }
  }
  if (r.assertions.length) {
    out.push('', '  assertions');
    const label = (a: (typeof r.assertions)[number]) => a.scope ? `${a.scope.request}${a.scope.check !== undefined ? ` / ${a.scope.check}` : ''}: ${a.key}` : a.key;
    const w = Math.max(...r.assertions.map((a) => label(a).length));
    for (const a of r.assertions) {
      const actual = a.actual === null ? 'not measured' : String(a.actual);
      out.push(`    ${a.pass ? 'PASS' : 'FAIL'}  ${label(a).padEnd(w)}  actual ${actual} ${a.op} ${a.expected} expected   (${a.description})`);
    }
  }
  if (r.generator) {
    out.push('', `  generator CPU ${r.generator.cpuPercent} %, event loop ${Math.round(r.generator.eventLoopUtilization * 100)} % busy`);
    if (r.generator.warning) out.push(`  warning: ${r.generator.warning}`);
  }
  if (r.error) out.push(`  error: ${r.error}`);
  out.push('');
  if (r.status === 'error') out.push(`RESULT: ERROR — ${r.error ?? 'the run could not complete'}`);
  else if (r.status === 'cancelled') out.push('RESULT: CANCELLED (assertions checked over the partial run)');
  else if (r.status === 'aborted') out.push(`RESULT: FAIL — ABORTED: ${r.abortReason ?? 'an assertion failed'}`);
  else if (r.segment) {
    // A slice of the run: its own figures cannot pass or fail the run's assertions (z6 merge does).
    const failed = r.assertions.filter((a) => !a.pass).length;
    out.push(`RESULT: SEGMENT ${r.segment.index}/${r.segment.count} DONE (${failed} of ${r.assertions.length} assertions fail on this slice alone; z6 merge judges the whole run)`);
  } else if (!r.assertions.length) out.push('RESULT: DONE (no assertions)');
  else {
    const failed = r.assertions.filter((a) => !a.pass).length;
    out.push(failed ? `RESULT: FAIL (${failed} of ${r.assertions.length} assertions failed)` : `RESULT: PASS (${r.assertions.length} assertions)`);
  }
  if (dropped) out.push(`warning: ${dropped} of arrivals were dropped: latency and rps describe only the requests that were sent`);
  const teardownFailed = r.teardown?.filter((p) => !p.ok).length ?? 0;
  if (teardownFailed) out.push(`warning: ${teardownFailed} of ${r.teardown!.length} teardown requests failed (see above): clean up by hand if needed`);
  if (t.issued > 0 && t.succeeded === 0) out.push(`note: no request succeeded — is the target up? (${Object.keys(r.failures).join(', ')})`);
  // Every line carries names and messages from the scenario or the target: no raw control characters.
  return out.map(terminalSafe).join('\n');
}
