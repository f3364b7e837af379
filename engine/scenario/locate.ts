/**
 * Finds the nodes behind a value path such as ['requests', 1, 'weight'], so checks that work on
 * plain values can still point at the exact key or value in the text.
 */
import type { Entry, Span, TableNode, TomlDocument, ValueNode } from './toml/ast';

export type Path = (string | number)[];

export interface Located {
  entry?: Entry;
  node: ValueNode;
}

export function locate(doc: TomlDocument, path: Path): Located | undefined {
  let node: ValueNode = doc.root;
  let entry: Entry | undefined;
  for (const part of path) {
    if (typeof part === 'number') {
      if (node.type !== 'array') return undefined;
      const item: ValueNode | undefined = node.items[part];
      if (!item) return undefined;
      node = item;
      entry = undefined;
    } else {
      if (node.type !== 'table') return undefined;
      entry = node.entries.get(part);
      if (!entry) return undefined;
      node = entry.value;
    }
  }
  return { entry, node };
}

/** Where a table "is" for a message about the table as a whole: its header line, else its key. */
export function tableSpan(doc: TomlDocument, path: Path): Span | undefined {
  const found = locate(doc, path);
  if (!found) return undefined;
  if (found.node.type === 'table') {
    if (found.node.header) return found.node.header.span;
    if (found.entry) return found.entry.keySpan;
    return found.node.span;
  }
  return found.entry?.keySpan ?? found.node.span;
}

export function keySpan(doc: TomlDocument, path: Path): Span | undefined {
  const found = locate(doc, path);
  return found?.entry?.keySpan ?? found?.node.span;
}

export function valueSpan(doc: TomlDocument, path: Path): Span | undefined {
  const found = locate(doc, path);
  if (!found) return undefined;
  if (found.node.type === 'table' && found.node.header) return found.node.header.span;
  return found.node.span;
}

/** The span of a whole `key = value` line (key start to value end), for "remove this line" fixes. */
export function entryLineSpan(entry: Entry): Span {
  return { start: entry.keySpan.start, end: entry.value.span.end };
}

export function isTable(n: ValueNode | undefined): n is TableNode {
  return n?.type === 'table';
}
