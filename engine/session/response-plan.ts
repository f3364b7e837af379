/**
 * What each request does with its responses beyond counting them, compiled once per run: its
 * extractions and checks, and whether the VU must keep the body for them. A request with
 * neither has no plan (undefined), and its responses cost what they always cost.
 */
import type { Scenario } from '../scenario/model';
import type { DynamicVar } from '../templates/scope';
import { compileCheck, type CompiledCheck } from './checks';
import { compileExtract, type CompiledExtract } from './extract';

export interface ResponsePlan {
  extract: readonly CompiledExtract[];
  checks: readonly CompiledCheck[];
  /** Keep the body (a json or regex extraction, a body or json check). */
  readsBody: boolean;
}

export interface CheckInfo {
  request: number;
  name: string;
  passRateMin?: number;
}

/** Plans by request index, and every check in id order (what the recorder counts). */
export function compileResponsePlans(scenario: Pick<Scenario, 'requests'>, dynamic: ReadonlyMap<string, DynamicVar>): { plans: (ResponsePlan | undefined)[]; checks: CheckInfo[] } {
  const checks: CheckInfo[] = [];
  const plans = scenario.requests.map((r): ResponsePlan | undefined => {
    if (r.extract.length === 0 && r.checks.length === 0) return undefined;
    const extract = r.extract.map((e) => compileExtract(e, dynamic.get(e.name)!.slot));
    const compiled = r.checks.map((c) => {
      checks.push({ request: r.index, name: c.name, passRateMin: c.passRateMin });
      return compileCheck(c, checks.length - 1);
    });
    const readsBody = compiled.some((c) => c.readsBody) || r.extract.some((e) => e.source.type === 'json' || e.source.type === 'regex');
    return { extract, checks: compiled, readsBody };
  });
  return { plans, checks };
}
