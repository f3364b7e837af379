/**
 * What a finished run means for the Testing view: the scenario's state and, for each assertion it
 * declares, passed / failed (expected vs actual) / errored / skipped. vscode-free, so the rules
 * are tested in plain node; scenario-tests.ts turns them into TestRun calls.
 */
import type { AssertionResult, Results } from '../../engine/metrics/results-types';
import { assertionId } from '../../engine/report/assertion-places';

export type TestState = 'passed' | 'failed' | 'errored' | 'skipped';

export interface AssertionOutcome {
  state: TestState;
  /** For failed, errored and skipped: what to show. */
  message?: string;
  /** For failed: "<= 250" and "340", the Testing view's expected and actual. */
  expected?: string;
  actual?: string;
}

export interface RunOutcomes {
  scenario: AssertionOutcome;
  /** By assertionId; every id asked for has an entry. */
  assertions: Map<string, AssertionOutcome>;
}

function describe(a: AssertionResult): string {
  const of = !a.scope ? '' : a.scope.check !== undefined ? ` (check "${a.scope.check}" of request "${a.scope.request}")` : ` (request "${a.scope.request}")`;
  const actual = a.actual === null ? 'not measured (no sample)' : String(a.actual);
  return `${a.key}${of}: ${actual}, must be ${a.op} ${a.expected} — ${a.description}`;
}

function judged(a: AssertionResult): AssertionOutcome {
  if (a.pass) return { state: 'passed' };
  return { state: 'failed', message: describe(a), expected: `${a.op} ${a.expected}`, actual: a.actual === null ? 'not measured' : String(a.actual) };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * `declared`: the ids of the assertions the scenario's text has now (its test items). An
 * assertion the run did not judge (the text changed, a smoke run) is skipped, never passed.
 */
export function runOutcomes(r: Results, declared: readonly string[]): RunOutcomes {
  const byId = new Map(r.assertions.map((a) => [assertionId(a), a]));
  const assertions = new Map<string, AssertionOutcome>();
  const all = (o: AssertionOutcome) => {
    for (const id of declared) assertions.set(id, o);
  };
  if (r.status === 'error') {
    const message = `The run ended with an error: ${r.error ?? 'no reason given'}`;
    all({ state: 'errored', message });
    return { scenario: { state: 'errored', message }, assertions };
  }
  if (r.status === 'cancelled') {
    const message = 'The run was cancelled: its partial figures do not judge the assertions.';
    all({ state: 'skipped', message });
    return { scenario: { state: 'skipped', message }, assertions };
  }
  for (const id of declared) {
    const a = byId.get(id);
    assertions.set(id, a ? judged(a) : { state: 'skipped', message: 'Not judged in this run (the scenario changed since, or the run skipped assertions).' });
  }
  const failed = r.assertions.filter((a) => !a.pass);
  if (r.status === 'aborted') {
    return { scenario: { state: 'failed', message: `Stopped early by abort_on_fail: ${r.abortReason ?? 'an assertion failed'}` }, assertions };
  }
  if (failed.length > 0) {
    return { scenario: { state: 'failed', message: `${plural(failed.length, 'assertion')} of ${r.assertions.length} failed: ${failed.map(describe).join('; ')}` }, assertions };
  }
  return { scenario: { state: 'passed' }, assertions };
}
