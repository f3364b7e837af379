/** Small helpers several features share. */
import type { KeyValueStatement } from '../../engine/scenario/toml/ast';
import type { Analysis } from '../analysis';

const topCache = new WeakMap<Analysis, KeyValueStatement[]>();

/** Statements written directly in a table body (not inside inline tables), in document order. */
export function topStatements(a: Analysis): KeyValueStatement[] {
  let out = topCache.get(a);
  if (!out) {
    out = a.doc.statements.filter((s) => !a.inlineOwner.has(s.table));
    topCache.set(a, out);
  }
  return out;
}
