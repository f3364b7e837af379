/**
 * The template names whose values are set while a run goes, read from the position-aware tree
 * (so a half-typed document has them too): today the names that requests extract. Each name
 * lists where it is defined, for diagnostics, hover and go-to-definition; the same name may be
 * extracted by several requests (the latest response sets it).
 */
import type { DynamicSource, DynamicVar } from '../templates/scope';
import type { Span, TableNode, TomlDocument } from './toml/ast';

export type Phase = 'setup' | 'requests' | 'teardown';

export interface DynamicDefinition {
  source: DynamicSource;
  /** The key that defines it, e.g. `token` in `[requests.extract]`. */
  span: Span;
  /** Which list extracts it: setup values are constants for the VUs, teardown values only for later teardown requests. */
  phase: Phase;
  /** The entry (0-based) of that list that extracts it. */
  request: number;
  secret: boolean;
}

export const PHASES: readonly Phase[] = ['setup', 'requests', 'teardown'];

/** Every extracted name with its definitions: setup, then requests, then teardown, each in document order. */
export function extractedNames(doc: TomlDocument): Map<string, DynamicDefinition[]> {
  const out = new Map<string, DynamicDefinition[]>();
  for (const phase of PHASES) {
    const list = doc.root.entries.get(phase)?.value;
    if (list?.type !== 'array') continue;
    list.items.forEach((item, request) => {
      if (item.type !== 'table') return;
      const extract = item.entries.get('extract')?.value;
      if (extract?.type !== 'table') return;
      for (const [name, e] of extract.entries) {
        const secret = e.value.type === 'table' && isTrue(e.value, 'secret');
        const defs = out.get(name) ?? [];
        defs.push({ source: 'extract', span: e.keySpan, phase, request, secret });
        out.set(name, defs);
      }
    });
  }
  return out;
}

function isTrue(t: TableNode, key: string): boolean {
  const v = t.entries.get(key)?.value;
  return v?.type === 'scalar' && v.value === true;
}

/** Slots for the names, in a stable order (first definition first); secret when any definition is. */
export function dynamicScope(names: ReadonlyMap<string, readonly DynamicDefinition[]>): Map<string, DynamicVar> {
  const out = new Map<string, DynamicVar>();
  for (const [name, defs] of names) out.set(name, { slot: out.size, secret: defs.some((d) => d.secret), source: defs[0]!.source });
  return out;
}
