/**
 * Checks the templates in request paths, header values and bodies, on the position-aware tree
 * (so a half-typed document gets them too): each problem is reported at its exact range inside
 * the string, mapped back through escapes by toml/string-offsets.ts.
 */
import { RESERVED_NAMES } from '../templates/builtins';
import { checkTemplate, envUsesOf, namesOf } from '../templates/check';
import { scopeOfNames, templateNames, type TemplateName } from '../templates/names';
import { hasTemplate } from '../templates/parse';
import { PHASES, type DynamicDefinition, type Phase } from './dynamic-names';
import type { TemplateScope } from '../templates/scope';
import type { DataNames } from './check-data';
import type { DiagnosticSink } from './sink';
import type { ScalarNode, TomlDocument, ValueNode } from './toml/ast';
import { sourceSpan, stringOffsets } from './toml/string-offsets';

/**
 * The environment names the editor knows of: those the workspace's `.env` file and the editor's
 * own environment set (names only, never values). An `env.NAME` in neither is a warning, not an
 * error: CI may set it.
 */
export interface KnownEnv {
  names: ReadonlySet<string>;
  /** The .env file, for the message. */
  file: string;
}

/**
 * Whether a key path holds a template: a path, body or header value of a request, a setup or a
 * teardown request — the strings checkTemplates checks (the editor completes in the same ones).
 */
export function isTemplateKey(path: readonly string[]): boolean {
  if (!PHASES.includes(path[0] as Phase)) return false;
  if (path.length === 2) return path[1] === 'path' || path[1] === 'body';
  return path.length === 3 && path[1] === 'headers';
}

/** `data`: the data files' columns (check-data.ts), names of kind 'data' in the scope. */
export function checkTemplates(doc: TomlDocument, sink: DiagnosticSink, env?: TemplateScope['env'], knownEnv?: KnownEnv, data?: DataNames): void {
  const names = templateNames(doc, data ? dataTemplateNames(data) : []);
  const extracted = names.extracted;
  checkConflicts(doc, extracted, sink);
  if (data) checkDataConflicts(data, extracted, sink);
  const scope = scopeOfNames(names, env);
  // A data file whose columns could not be read: an unknown name may be one of them.
  if (data && !data.complete) scope.openNames = true;
  const order = stepOrder(doc);
  for (const phase of PHASES) {
    const list = doc.root.entries.get(phase)?.value;
    if (list?.type !== 'array') continue;
    list.items.forEach((item, i) => {
      if (item.type !== 'table') return;
      const strings = [item.entries.get('path')?.value, item.entries.get('body')?.value];
      const headers = item.entries.get('headers')?.value;
      if (headers?.type === 'table') for (const e of headers.entries.values()) strings.push(e.value);
      for (const v of strings) {
        checkString(v, scope, sink);
        if (knownEnv && env === undefined) checkKnownEnv(v, knownEnv, sink);
        checkExtractedBeforeUse(v, phase, i, order, extracted, sink);
      }
    });
  }
}

/** The data files' columns as template names (hover, completion, go-to-definition to the header cell). */
export function dataTemplateNames(data: DataNames): TemplateName[] {
  return [...data.origins].map(([name, o]) => {
    const label = `column of ${o.file}`;
    return { name, kind: 'data', detail: label, secret: o.secret, definitions: [{ label, span: o.external ? undefined : o.span, external: o.external }] };
  });
}

/** A data column may not also be an extracted name (a [vars] or built-in clash is check-data's). */
function checkDataConflicts(data: DataNames, extracted: Map<string, DynamicDefinition[]>, sink: DiagnosticSink): void {
  for (const [name, o] of data.origins) {
    const defs = extracted.get(name);
    if (!defs) continue;
    sink.add(o.span, 'error', 'name-conflict', `column '${name}' of ${o.file} is also an extracted value: a name means one thing (leave it out with columns = [...])`,
      undefined, defs.map((d) => ({ span: d.span, message: `'${name}' is extracted here` })));
  }
}

/**
 * A name means one thing: an extracted name may not also be a [vars] name, and a name setup
 * extracts (a constant for the VUs) may not also be extracted by the VUs' requests. Built-ins
 * are refused by the schema.
 */
function checkConflicts(doc: TomlDocument, extracted: Map<string, DynamicDefinition[]>, sink: DiagnosticSink): void {
  const vars = doc.root.entries.get('vars')?.value;
  for (const [name, defs] of extracted) {
    if (RESERVED_NAMES.includes(name)) continue;
    const v = vars?.type === 'table' ? vars.entries.get(name) : undefined;
    if (v) {
      for (const d of defs) sink.add(d.span, 'error', 'name-conflict', `'${name}' is also a [vars] entry: give the extracted value another name`, undefined, [{ span: v.keySpan, message: `[vars] defines '${name}' here` }]);
      continue;
    }
    const inSetup = defs.find((d) => d.phase === 'setup');
    if (!inSetup) continue;
    for (const d of defs.filter((x) => x.phase === 'requests')) {
      sink.add(d.span, 'error', 'name-conflict', `'${name}' is extracted by [[setup]], which makes it a constant for every VU: give this extracted value another name`, undefined, [{ span: inSetup.span, message: `[[setup]] extracts '${name}' here` }]);
    }
  }
}

/**
 * With a [sequence] (state reset at each pass by default), the position of each request's first
 * step, in pass order; undefined without a sequence (requests are picked at random, no order).
 */
export function stepOrder(doc: TomlDocument): Map<number, number> | undefined {
  const seq = doc.root.entries.get('sequence')?.value;
  const steps = seq?.type === 'table' ? seq.entries.get('steps')?.value : undefined;
  const requests = doc.root.entries.get('requests')?.value;
  if (steps?.type !== 'array' || requests?.type !== 'array') return undefined;
  const byName = new Map<string, number>();
  requests.items.forEach((r, i) => {
    const n = r.type === 'table' ? r.entries.get('name')?.value : undefined;
    if (n?.type === 'scalar' && typeof n.value === 'string') byName.set(n.value, i);
  });
  const order = new Map<number, number>();
  steps.items.forEach((st, k) => {
    const r = st.type === 'table' ? st.entries.get('request')?.value : undefined;
    const i = r?.type === 'scalar' && typeof r.value === 'string' ? byName.get(r.value) : undefined;
    if (i !== undefined && !order.has(i)) order.set(i, k);
  });
  return order;
}

/**
 * A name used before anything that runs earlier extracts it: at that point it has no value, and
 * the request fails as kind 'template' (a failed setup). Earlier means: for setup and teardown
 * requests, a request before it in the same list (and, for teardown, any setup request); for the
 * VUs' requests, any setup request, or with a [sequence] an earlier step (without a sequence the
 * order is random: no warning). A warning, not an error: with reset_state = false a later pass
 * may have the value from the one before.
 */
function checkExtractedBeforeUse(v: ValueNode | undefined, phase: Phase, request: number, order: Map<number, number> | undefined, extracted: Map<string, DynamicDefinition[]>, sink: DiagnosticSink): void {
  if (v?.type !== 'scalar' || v.kind !== 'string' || !hasTemplate(v.value as string)) return;
  if (phase === 'requests' && (order === undefined || !order.has(request))) return;
  let offsets: ReturnType<typeof stringOffsets> | undefined;
  for (const use of namesOf(v.value as string)) {
    const defs = extracted.get(use.name);
    if (!defs || extractedEarlier(defs, phase, request, order)) continue;
    offsets ??= stringOffsets(sink.text, (v as ScalarNode).span);
    const span = sourceSpan(offsets, use.span.start, use.span.end);
    const where = phase === 'requests' ? 'no earlier step of the [sequence] (nor [[setup]])' : phase === 'setup' ? 'no earlier [[setup]] request' : 'no [[setup]] or earlier [[teardown]] request';
    sink.add(span, 'warning', 'used-before-extracted',
      `'${use.name}' is extracted by ${defs.map((d) => `${d.phase === 'requests' ? 'request' : d.phase} #${d.request + 1}`).join(', ')}, but ${where} extracts it: here it has no value and the request fails as kind template`,
      undefined, defs.map((d) => ({ span: d.span, message: `'${use.name}' is extracted here` })));
  }
}
/**
 * Whether something that runs before request `request` of `phase` extracts the name defined at
 * `defs` (the rule above); true when there is no order to go by (a request that is no step of a
 * [sequence]: requests are then picked at random). The editor uses it to rank completions.
 */
export function extractedEarlier(defs: readonly DynamicDefinition[], phase: Phase, request: number, order: Map<number, number> | undefined): boolean {
  if (phase === 'requests' && (order === undefined || !order.has(request))) return true;
  return defs.some((d) => {
    if (d.phase === 'setup') return phase !== 'setup' || d.request < request;
    if (phase === 'teardown') return d.phase === 'teardown' && d.request < request;
    if (phase === 'setup') return false;
    return d.phase === 'requests' && (order!.get(d.request) ?? Infinity) < order!.get(request)!;
  });
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

/** env.NAME uses whose NAME neither the .env file nor the editor's environment sets: a warning at the use. */
function checkKnownEnv(v: ValueNode | undefined, known: KnownEnv, sink: DiagnosticSink): void {
  if (v?.type !== 'scalar' || v.kind !== 'string' || !hasTemplate(v.value as string)) return;
  let offsets: ReturnType<typeof stringOffsets> | undefined;
  for (const use of envUsesOf(v.value as string)) {
    if (known.names.has(use.name)) continue;
    offsets ??= stringOffsets(sink.text, (v as ScalarNode).span);
    sink.add(sourceSpan(offsets, use.span.start, use.span.end), 'warning', 'env-unknown',
      `environment variable ${use.name} is set neither in ${known.file} nor in the editor's environment: a run from here fails unless it is set (in CI, say)`);
  }
}
