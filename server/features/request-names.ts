/**
 * Request names as symbols: `[[sequence.steps]] request = "login"` refers to the [[requests]] entry
 * whose `name = "login"`. Go to definition, find references and rename work from either end.
 */
import type { Location, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ScalarNode } from '../../engine/scenario/toml/ast';
import type { Analysis, RequestInfo } from '../analysis';

const inside = (n: ScalarNode, o: number) => n.span.start <= o && o <= n.span.end;

/** The request name under the cursor, and the string node it was written in. */
export function nameAt(a: Analysis, offset: number): { name: string; node: ScalarNode } | undefined {
  for (const r of a.requests) if (r.nameNode && inside(r.nameNode, offset)) return { name: r.name, node: r.nameNode };
  for (const ref of a.sequenceRefs) if (inside(ref.node, offset)) return { name: ref.name, node: ref.node };
  return undefined;
}

function definitions(a: Analysis, name: string): RequestInfo[] {
  return a.requests.filter((r) => r.name === name);
}

/** The range of a string's content, without its quotes; undefined for multi-line strings. */
function contentRange(a: Analysis, td: TextDocument, node: ScalarNode): Range | undefined {
  const raw = a.doc.text.slice(node.span.start, node.span.end);
  if (raw.startsWith('"""') || raw.startsWith("'''") || raw.length < 2) return undefined;
  return { start: td.positionAt(node.span.start + 1), end: td.positionAt(node.span.end - 1) };
}

export function definition(a: Analysis, td: TextDocument, offset: number): Location[] {
  const hit = nameAt(a, offset);
  if (!hit) return [];
  return definitions(a, hit.name).map((r) => {
    const span = r.nameNode?.span ?? r.header?.span ?? r.table.span;
    return { uri: td.uri, range: { start: td.positionAt(span.start), end: td.positionAt(span.end) } };
  });
}

export function references(a: Analysis, td: TextDocument, offset: number, includeDeclaration: boolean): Location[] {
  const hit = nameAt(a, offset);
  if (!hit) return [];
  const nodes: ScalarNode[] = [];
  if (includeDeclaration) for (const r of definitions(a, hit.name)) if (r.nameNode) nodes.push(r.nameNode);
  for (const ref of a.sequenceRefs) if (ref.name === hit.name) nodes.push(ref.node);
  return nodes.sort((x, y) => x.span.start - y.span.start)
    .map((n) => ({ uri: td.uri, range: { start: td.positionAt(n.span.start), end: td.positionAt(n.span.end) } }));
}

export function prepareRename(a: Analysis, td: TextDocument, offset: number): { range: Range; placeholder: string } | null {
  const hit = nameAt(a, offset);
  if (!hit) return null;
  const range = contentRange(a, td, hit.node);
  return range ? { range, placeholder: hit.name } : null;
}

/** The new name as a TOML string, in the quote style of the original when that style can hold it. */
function quote(original: string, name: string): string {
  if (original.startsWith("'") && !/['\n\r]/.test(name) && !/[\x00-\x08\x0a-\x1f\x7f]/.test(name)) return `'${name}'`;
  return JSON.stringify(name);
}

export function rename(a: Analysis, td: TextDocument, offset: number, newName: string): WorkspaceEdit | null {
  const hit = nameAt(a, offset);
  if (!hit || newName === '' || /[\r\n]/.test(newName)) return null;
  const edits: TextEdit[] = [];
  const replace = (n: ScalarNode) => edits.push({
    range: { start: td.positionAt(n.span.start), end: td.positionAt(n.span.end) },
    newText: quote(a.doc.text.slice(n.span.start, n.span.end), newName),
  });
  for (const r of definitions(a, hit.name)) {
    if (r.nameNode) replace(r.nameNode);
    else if (r.header) {
      // A request named by its default ("GET /x") gets an explicit name, so the references still resolve.
      const p = td.positionAt(r.header.span.end);
      edits.push({ range: { start: p, end: p }, newText: `\nname = ${JSON.stringify(newName)}` });
    }
  }
  for (const ref of a.sequenceRefs) if (ref.name === hit.name) replace(ref.node);
  edits.sort((x, y) => td.offsetAt(x.range.start) - td.offsetAt(y.range.start));
  return { changes: { [td.uri]: edits } };
}
