/**
 * [[setup]] and [[teardown]]: requests sent once, in order, before and after the load. Each is
 * compiled just before it is sent, with what the earlier ones extracted as constants, so it
 * renders like any request; what setup extracts becomes a constant for every VU.
 *
 * A request of a phase fails on no response, a status ≥ 400, a failed check or an extraction
 * that finds nothing. Setup stops at its first failure (the run then sends no load); teardown
 * reports each failure and goes on, so a cleanup step is not skipped because another failed.
 */
import type { PhaseRequestResult } from '../metrics/results-types';
import type { RequestSpec, Scenario } from '../scenario/model';
import { makeConnectionFactory } from '../run/transport';
import { compileCheck } from '../session/checks';
import { CookieJar } from '../session/cookies';
import { compileExtract } from '../session/extract';
import { ResponseView } from '../session/response-view';
import { compileRequest, scopeOf } from '../templates/request';
import type { TemplateScope, Var } from '../templates/scope';
import { TemplateState } from '../templates/state';
import { sendOnce } from './send-once';
// The run's clock (engine/run/clock.ts): real time, or a simulated run's virtual time.
import { performance } from '../run/clock';

export interface PhaseOutcome {
  results: PhaseRequestResult[];
  /** Every variable the phase extracted (and those it was given). */
  vars: Map<string, Var>;
  /** Why the phase failed (setup stops at the first failure), or undefined. */
  failure?: string;
}

export async function runPhase(phase: 'setup' | 'teardown', requests: readonly RequestSpec[], scenario: Scenario, scope: TemplateScope, seed: number, signal?: AbortSignal): Promise<PhaseOutcome> {
  const vars = new Map(scope.vars);
  const results: PhaseRequestResult[] = [];
  const conn = makeConnectionFactory(scenario, { onConnect: () => undefined })();
  const jar = new CookieJar();
  const response = new ResponseView();
  let failure: string | undefined;
  try {
    for (const r of requests) {
      if (signal?.aborted) break;
      // What earlier requests extracted is constant now; a name nothing extracted yet stays dynamic and fails as missing.
      const now = scopeOf(scenario, scope.env, vars);
      const state = new TemplateState(seed, 0, performance.now(), now.dynamic?.size ?? 0);
      const res = await sendPhaseRequest(r, scenario, now, state, conn, jar, response, signal);
      results.push(res.result);
      for (const [k, v] of res.extracted) vars.set(k, v);
      if (!res.result.ok) {
        const why = `${phase} request "${r.name}" failed: ${res.result.error}`;
        failure ??= why;
        if (phase === 'setup') break;
      }
    }
  } finally {
    await conn.destroy();
  }
  return { results, vars, failure };
}

async function sendPhaseRequest(r: RequestSpec, scenario: Scenario, scope: TemplateScope, state: TemplateState, conn: ReturnType<ReturnType<typeof makeConnectionFactory>>, jar: CookieJar, response: ResponseView, signal?: AbortSignal): Promise<{ result: PhaseRequestResult; extracted: [string, Var][] }> {
  const result: PhaseRequestResult = { name: r.name, ok: false, status: null, latencyMs: null };
  const extracted: [string, Var][] = [];
  const compiled = compileRequest(r, scenario.target.basePath, scope, { mask: false }, scenario.target.origin);
  const opts = compiled.render ? compiled.render(state) : compiled.opts;
  if (opts === null) {
    result.error = `template: ${state.missing}`;
    return { result, extracted };
  }
  const sent = await sendOnce({ conn, opts, timeoutMs: r.timeoutMs, origin: new URL(scenario.target.origin).origin, maxRedirects: scenario.target.maxRedirects, jar, response, signal });
  if ('error' in sent) {
    result.error = sent.error;
    return { result, extracted };
  }
  result.status = sent.status;
  result.latencyMs = Math.round(sent.latencyMs * 1000) / 1000;
  response.latencyMs = sent.latencyMs;
  const problems: string[] = [];
  if (sent.status >= 400) problems.push(`HTTP ${sent.status}`);
  for (const c of r.checks) if (!compileCheck(c, 0).test(response)) problems.push(`check "${c.name}" failed`);
  for (const e of r.extract) {
    const v = compileExtract(e, 0).run(response);
    if (v === undefined) problems.push(`extraction of '${e.name}' found nothing`);
    else extracted.push([e.name, { value: v, secret: e.secret }]);
  }
  if (problems.length) result.error = problems.join('; ');
  else result.ok = true;
  return { result, extracted };
}
