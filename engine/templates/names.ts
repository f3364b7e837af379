/**
 * Every name a template of a scenario can use, from one function: `[vars]` entries, dynamic names
 * (extracted values today; data-file columns plug in here too), the built-ins, and the `env.`
 * namespace. Each name comes with its kind, where it is defined in the scenario (spans into the
 * text, for go-to-definition and related information) and a one-line detail that never holds a
 * secret. The template checks (scenario/check-templates.ts) build their scope from it, and the
 * language server completes, hovers and jumps from it, so the editor and the validator cannot
 * disagree about which names exist.
 *
 * A new source of names adds its entries in `templateNames`, or, when finding them needs more than
 * the tree (data-file columns read from disk), passes them as `extra`; names of kind 'extract' or
 * 'data' also get a slot in `dynamic`. Nothing else needs to change for completion, hover and
 * definition.
 */
import { dynamicScope, extractedNames, type DynamicDefinition } from '../scenario/dynamic-names';
import type { Span, TableNode, TomlDocument, ValueNode } from '../scenario/toml/ast';
import { BUILTINS, ENV, type Builtin } from './builtins';
import { MASK } from './compile';
import type { DynamicVar, TemplateScope, Var } from './scope';

export type NameKind = 'var' | 'extract' | 'data' | 'builtin-value' | 'builtin-function' | 'env-namespace';

export interface NameDefinition {
  /** Where, in words: "[vars]", "extracted by request #2 'login'", "column of users.csv". */
  label: string;
  /** The span in the scenario text that defines the name (a [vars] key, an extract key). */
  span?: Span;
  /** A place in another file (a data file's header cell): absolute path, 0-based line, UTF-16 columns. */
  external?: { file: string; line: number; start: number; end: number };
}

export interface TemplateName {
  /** As written in a template: `user`, `vu`, `random_int`, `env`. */
  name: string;
  kind: NameKind;
  /** One line for completion lists: a var's value (or *** when secret), a signature, a source. Never a secret. */
  detail: string;
  /** Where the name is defined in the scenario; empty for built-ins and env. */
  definitions: NameDefinition[];
  secret: boolean;
  /** Built-ins only: the table entry (signature, summary, example). */
  builtin?: Builtin;
}

export interface TemplateNames {
  /** Every name, in the order completion shows them: vars, dynamic names, built-ins, env. */
  all: TemplateName[];
  byName: ReadonlyMap<string, TemplateName>;
  /** The [vars] values, as the checks resolve them. */
  vars: Map<string, Var>;
  /** Extracted names with every place that extracts them (check-templates' order checks need all of them). */
  extracted: Map<string, DynamicDefinition[]>;
  /** Names whose value is set while the run goes, with their slots (scope.ts). */
  dynamic: Map<string, DynamicVar>;
}

/**
 * The names in scope for the templates of `doc` (the position-aware tree, so half-typed text
 * works), plus `extra` names found elsewhere (shown after the extracted ones).
 */
export function templateNames(doc: TomlDocument, extra: readonly TemplateName[] = []): TemplateNames {
  const all: TemplateName[] = [];
  const varsTable = tableAt(doc.root.entries.get('vars')?.value);
  const vars = new Map<string, Var>();
  if (varsTable) {
    for (const [name, e] of varsTable.entries) {
      const v = varOf(e.value);
      if (!v) continue;
      vars.set(name, v);
      all.push({ name, kind: 'var', detail: v.secret ? MASK : display(v.value), secret: v.secret, definitions: [{ span: e.keySpan, label: '[vars]' }] });
    }
  }
  const extracted = extractedNames(doc);
  for (const [name, defs] of extracted) {
    if (vars.has(name)) continue; // a conflict, reported by check-templates: the [vars] entry is what hover shows
    const definitions = defs.map((d) => ({ span: d.span, label: `extracted by ${requestLabel(doc, d)}` }));
    all.push({ name, kind: 'extract', detail: definitions.map((d) => d.label).join(', '), secret: defs.some((d) => d.secret), definitions });
  }
  const dynamic = dynamicScope(extracted);
  for (const n of extra) {
    if (vars.has(n.name) || dynamic.has(n.name)) continue; // a conflict, reported where the source is checked
    all.push(n);
    if (n.kind === 'extract' || n.kind === 'data') dynamic.set(n.name, { slot: dynamic.size, secret: n.secret, source: n.kind });
  }
  for (const b of BUILTINS) {
    all.push({ name: b.name, kind: b.kind === 'function' ? 'builtin-function' : 'builtin-value', detail: b.signature, secret: false, definitions: [], builtin: b });
  }
  all.push({ name: ENV, kind: 'env-namespace', detail: 'environment variables: env.NAME', secret: true, definitions: [] });
  const byName = new Map<string, TemplateName>();
  for (const n of all) if (!byName.has(n.name)) byName.set(n.name, n);
  return { all, byName, vars, extracted, dynamic };
}

/** The scope the template checks resolve names in. */
export function scopeOfNames(names: TemplateNames, env?: TemplateScope['env']): TemplateScope {
  return { vars: names.vars, env, dynamic: names.dynamic };
}

function tableAt(v: ValueNode | undefined): TableNode | undefined {
  return v?.type === 'table' ? v : undefined;
}

/** A [vars] entry: `name = value` or `name = { value = …, secret = true }`. */
function varOf(v: ValueNode): Var | undefined {
  if (v.type === 'scalar') return { value: v.value, secret: false };
  if (v.type !== 'table') return undefined;
  const inner = v.entries.get('value')?.value;
  const secret = v.entries.get('secret')?.value;
  return { value: inner?.type === 'scalar' ? inner.value : '', secret: secret?.type === 'scalar' && secret.value === true };
}

/** A value as a template renders it, quoted when it is text; long values are cut. */
function display(v: Var['value']): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

/** "request #2 'login'", "setup #1": what reports call the entry that extracts a name. */
function requestLabel(doc: TomlDocument, d: DynamicDefinition): string {
  const list = doc.root.entries.get(d.phase)?.value;
  const item = list?.type === 'array' ? list.items[d.request] : undefined;
  const name = item?.type === 'table' ? item.entries.get('name')?.value : undefined;
  const named = name?.type === 'scalar' && typeof name.value === 'string' ? ` '${name.value}'` : '';
  return `${d.phase === 'requests' ? 'request' : d.phase} #${d.request + 1}${named}`;
}
