/**
 * Checks ([requests.checks]) compiled once per run: each is a predicate on a response. They are
 * counted (passed, failed) per check and per second; they never change whether the request
 * itself succeeded (as in k6).
 */
import type { CheckOperator, CheckSpec } from '../scenario/model';
import { compileRegex } from '../scenario/patterns';
import { jsonPathReader, jsonText, NOT_FOUND } from './extract';
import type { ResponseView } from './response-view';

export interface CompiledCheck {
  name: string;
  /** Index over every check of the scenario (Recorder's counters). */
  id: number;
  skipIteration: boolean;
  /** Whether the check reads the body (json, body_*): the VU then keeps the body of this request. */
  readsBody: boolean;
  test: (r: ResponseView) => boolean;
}

/** How an operator judges a value that is present (undefined: absent). */
function operator(op: CheckOperator, fromJson: boolean): (v: unknown) => boolean {
  switch (op.type) {
    case 'exists':
      return op.present ? (v) => v !== undefined : (v) => v === undefined;
    case 'equals': {
      const want = op.value;
      // A header is text: compare with the expected value's text. A JSON value compares as JSON (1 ≠ "1").
      if (!fromJson) return (v) => v !== undefined && v === String(want);
      return (v) => v === want;
    }
    case 'matches': {
      const re = compileRegex(op.pattern);
      return (v) => v !== undefined && re.test(fromJson ? jsonText(v) : (v as string));
    }
    case 'contains': {
      const text = op.text;
      return (v) => v !== undefined && (fromJson ? jsonText(v) : (v as string)).includes(text);
    }
  }
}

export function compileCheck(spec: CheckSpec, id: number): CompiledCheck {
  const s = spec.subject;
  let test: (r: ResponseView) => boolean;
  let readsBody = false;
  switch (s.type) {
    case 'status': {
      const codes = s.codes;
      test = codes.length === 1 ? ((c) => (r) => r.status === c)(codes[0]!) : (r) => codes.includes(r.status);
      break;
    }
    case 'header': {
      const name = s.name;
      const judge = operator(s.op, false);
      test = (r) => judge(r.header(name));
      break;
    }
    case 'json': {
      const read = jsonPathReader(s.path);
      const judge = operator(s.op, true);
      readsBody = true;
      test = (r) => {
        const v = read(r.json());
        return judge(v === NOT_FOUND ? undefined : v);
      };
      break;
    }
    case 'body_contains': {
      const text = s.text;
      readsBody = true;
      test = (r) => r.text().includes(text);
      break;
    }
    case 'body_matches': {
      const re = compileRegex(s.pattern);
      readsBody = true;
      test = (r) => re.test(r.text());
      break;
    }
    case 'max_ms': {
      const ms = s.ms;
      test = (r) => r.latencyMs <= ms;
      break;
    }
  }
  return { name: spec.name, id, skipIteration: spec.onFail === 'skip_iteration', readsBody, test };
}
