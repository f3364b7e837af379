/**
 * Smart select (expand selection): token → `key = value` → enclosing inline table's statement →
 * the whole section (header and body) → the whole document.
 */
import type { SelectionRange } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Span } from '../../engine/scenario/toml/ast';
import { headerAt, type Analysis } from '../analysis';

export function selectionRanges(a: Analysis, td: TextDocument, offsets: number[]): SelectionRange[] {
  return offsets.map((offset) => {
    const spans: Span[] = [{ start: 0, end: a.doc.text.length }];
    const h = headerAt(a.doc, offset + 1);
    if (h && h.span.start <= offset) spans.push({ start: h.span.start, end: trimmedEnd(a.doc.text, h.span.start, h.bodyEnd) });
    // Statements are in document order, outer before inner: each one that holds the offset nests deeper.
    for (const st of a.doc.statements) {
      if (st.span.start > offset) break;
      const end = st.value?.span.end ?? st.span.end;
      if (offset > end) continue;
      spans.push({ start: st.span.start, end });
      for (const k of st.keys) if (k.span.start <= offset && offset <= k.span.end) spans.push(k.span);
      const v = st.value;
      if (v && v.type !== 'table' && v.span.start <= offset && offset <= v.span.end) spans.push(v.span);
    }
    let range: SelectionRange | undefined;
    let last: Span | undefined;
    for (const s of spans) {
      if (last && s.start === last.start && s.end === last.end) continue;
      if (last && (s.start < last.start || s.end > last.end)) continue; // keep the chain strictly nested
      range = { range: { start: td.positionAt(s.start), end: td.positionAt(s.end) }, parent: range };
      last = s;
    }
    return range!;
  });
}

function trimmedEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1]!)) e--;
  return e;
}
