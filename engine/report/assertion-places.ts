/**
 * Where each assertion is written in its scenario: a global one at its key in [assertions], a
 * request's at its key in that request's [requests.assertions], a check's pass_rate_min at the
 * check. The editor lists them before a run (the Testing view's items) and puts a run's outcome
 * on their lines after it (Problems, source "z6 run"; CodeLens). Works on the text as it is now,
 * with the tolerant parser, so a half-typed file still lists what it can; an assertion whose key
 * is no longer there has no place.
 */
import type { AssertionResult } from '../metrics/results-types';
import { keySpec } from '../scenario/schema';
import type { Span, TableNode, ValueNode } from '../scenario/toml/ast';
import { parseToml } from '../scenario/toml/parser';

/** What an assertion is, without its outcome: the parts of AssertionResult that name it. */
export type AssertionKey = Pick<AssertionResult, 'key' | 'scope'>;

export interface DeclaredAssertion extends AssertionKey {
  /** assertionId(this): the same for the declaration and for its result in a run. */
  id: string;
  span: Span;
}

export interface AssertionPlace {
  assertion: AssertionResult;
  span: Span;
}

/** [assertions] keys that configure the checking and are not thresholds themselves. */
const SETTINGS = new Set(['abort_on_fail', 'abort_delay_seconds']);

/** A stable name for an assertion: "p99_latency_ms", "checkout/p99_latency_ms", "checkout/check:status ok". */
export function assertionId(a: AssertionKey): string {
  if (!a.scope) return a.key;
  return a.scope.check !== undefined ? `${a.scope.request}/check:${a.scope.check}` : `${a.scope.request}/${a.key}`;
}

const str = (v: ValueNode | undefined): string | undefined => (v?.type === 'scalar' && typeof v.value === 'string' ? v.value : undefined);

/**
 * Every assertion the scenario declares, in the order the runner reports them (build-results.ts):
 * [assertions], then each request's [requests.assertions], then each check's pass_rate_min.
 */
export function declaredAssertions(text: string): DeclaredAssertion[] {
  const root = parseToml(text).root;
  const out: DeclaredAssertion[] = [];
  const seen = new Set<string>();
  const add = (a: AssertionKey, span: Span) => {
    const id = assertionId(a);
    // A repeated request name: the first one is where its assertions are (the validator flags the rest).
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ ...a, id, span });
  };
  const global = root.entries.get('assertions')?.value;
  if (global?.type === 'table') {
    for (const [key, e] of global.entries) if (keySpec('assertions', key) && !SETTINGS.has(key)) add({ key }, e.keySpan);
  }
  const requests = root.entries.get('requests')?.value;
  const tables = requests?.type === 'array' ? requests.items.filter((r): r is TableNode => r.type === 'table') : [];
  // The name the runner gives a request (check-rules.ts requestName): its own, or "METHOD path".
  const named = tables.map((r) => ({
    request: str(r.entries.get('name')?.value) ?? `${str(r.entries.get('method')?.value) ?? 'GET'} ${str(r.entries.get('path')?.value) ?? '/'}`,
    table: r,
  }));
  for (const { request, table } of named) {
    const assertions = table.entries.get('assertions')?.value;
    if (assertions?.type !== 'table') continue;
    for (const [key, e] of assertions.entries) if (keySpec('requests.assertions', key)) add({ key, scope: { request } }, e.keySpan);
  }
  for (const { request, table } of named) {
    const checks = table.entries.get('checks')?.value;
    if (checks?.type !== 'table') continue;
    for (const [check, e] of checks.entries) {
      if (e.value.type === 'table' && e.value.entries.has('pass_rate_min')) add({ key: 'pass_rate_min', scope: { request, check } }, e.keySpan);
    }
  }
  return out;
}

export function assertionPlaces(text: string, assertions: readonly AssertionResult[]): AssertionPlace[] {
  const spans = new Map(declaredAssertions(text).map((d) => [d.id, d.span]));
  const out: AssertionPlace[] = [];
  for (const a of assertions) {
    const span = spans.get(assertionId(a));
    if (span) out.push({ assertion: a, span });
  }
  return out;
}

/** "assertion of request "checkout" failed in the last run: p99_latency_ms = 340, must be <= 300". */
export function assertionMessage(a: AssertionResult): string {
  const of = !a.scope ? '' : a.scope.check !== undefined ? ` of check "${a.scope.check}" (request "${a.scope.request}")` : ` of request "${a.scope.request}"`;
  const actual = a.actual === null ? 'not measured (no sample)' : String(a.actual);
  return `assertion${of} failed in the last run: ${a.key} = ${actual}, must be ${a.op} ${a.expected}`;
}
