/**
 * Where each assertion of a run is written in its scenario, so the editor can put a failed one
 * on its line (Problems, source "z6 run"): a global one at its key in [assertions], a request's at
 * its key in that request's [requests.assertions], a check's pass_rate_min at the check. Works on
 * the text as it is now; an assertion whose key is no longer there has no place.
 */
import type { AssertionResult } from '../metrics/results-types';
import { keySpan } from '../scenario/locate';
import type { Span } from '../scenario/toml/ast';
import { parseToml } from '../scenario/toml/parser';

export interface AssertionPlace {
  assertion: AssertionResult;
  span: Span;
}

export function assertionPlaces(text: string, assertions: readonly AssertionResult[]): AssertionPlace[] {
  const doc = parseToml(text);
  const requests = doc.root.entries.get('requests')?.value;
  const indexOf = (name: string): number => {
    if (requests?.type !== 'array') return -1;
    return requests.items.findIndex((r) => {
      const n = r.type === 'table' ? r.entries.get('name')?.value : undefined;
      return n?.type === 'scalar' && n.value === name;
    });
  };
  const out: AssertionPlace[] = [];
  for (const a of assertions) {
    let span: Span | undefined;
    if (!a.scope) span = keySpan(doc, ['assertions', a.key]);
    else {
      const i = indexOf(a.scope.request);
      if (i >= 0) span = a.scope.check !== undefined ? keySpan(doc, ['requests', i, 'checks', a.scope.check]) : keySpan(doc, ['requests', i, 'assertions', a.key]);
    }
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
