/**
 * Checks the templates in request paths, header values and bodies, on the position-aware tree
 * (so a half-typed document gets them too): each problem is reported at its exact range inside
 * the string, mapped back through escapes by toml/string-offsets.ts.
 */
import { checkTemplate } from '../templates/check';
import { hasTemplate } from '../templates/parse';
import type { TemplateScope, Var } from '../templates/scope';
import type { DataNames } from './check-data';
import type { DiagnosticSink } from './sink';
import type { ScalarNode, TomlDocument, ValueNode } from './toml/ast';
import { sourceSpan, stringOffsets } from './toml/string-offsets';

/** `data`: the data files' columns (check-data.ts), dynamic names of the scope. */
export function checkTemplates(doc: TomlDocument, sink: DiagnosticSink, env?: TemplateScope['env'], data?: DataNames): void {
  const scope: TemplateScope = { vars: varsOf(doc), env };
  if (data) {
    scope.dynamic = data.dynamic;
    if (!data.complete) scope.openNames = true;
  }
  const requests = doc.root.entries.get('requests')?.value;
  if (requests?.type !== 'array') return;
  for (const item of requests.items) {
    if (item.type !== 'table') continue;
    checkString(item.entries.get('path')?.value, scope, sink);
    checkString(item.entries.get('body')?.value, scope, sink);
    const headers = item.entries.get('headers')?.value;
    if (headers?.type === 'table') for (const e of headers.entries.values()) checkString(e.value, scope, sink);
  }
}

/** The [vars] names of the tree (values do not matter to name checks). */
function varsOf(doc: TomlDocument): Map<string, Var> {
  const out = new Map<string, Var>();
  const vars = doc.root.entries.get('vars')?.value;
  if (vars?.type !== 'table') return out;
  for (const [name, e] of vars.entries) {
    const v = e.value;
    if (v.type === 'scalar') out.set(name, { value: v.value, secret: false });
    else if (v.type === 'table') {
      const inner = v.entries.get('value')?.value;
      const secret = v.entries.get('secret')?.value;
      out.set(name, { value: inner?.type === 'scalar' ? inner.value : '', secret: secret?.type === 'scalar' && secret.value === true });
    }
  }
  return out;
}

function checkString(v: ValueNode | undefined, scope: TemplateScope, sink: DiagnosticSink): void {
  if (v?.type !== 'scalar' || v.kind !== 'string' || !hasTemplate(v.value as string)) return;
  const problems = checkTemplate(v.value as string, scope);
  if (problems.length === 0) return;
  const offsets = stringOffsets(sink.text, (v as ScalarNode).span);
  for (const p of problems) {
    const span = sourceSpan(offsets, p.span.start, p.span.end);
    const fixes = p.suggestion ? [{ title: `Change to '${p.suggestion}'`, edits: [{ span, newText: p.suggestion }], preferred: true }] : undefined;
    sink.add(span, 'error', p.code, p.message, fixes);
  }
}
