/**
 * Completion right after a keystroke without re-parsing the whole file. Parsing a 1,000-request
 * scenario takes a few milliseconds; completion itself takes a tenth of one. When the only change
 * since the last parsed version lies within the cursor's line, the old tree still describes every
 * other line exactly (earlier offsets are unchanged, later ones moved by the edit's length), and
 * completion reads the cursor's own line from the current text anyway (cursor.ts).
 */
import { headerAt, type Analysis } from './analysis';
import { topStatements } from './features/shared';

export interface Reused {
  analysis: Analysis;
  /** Maps an offset in the old text to the current one. */
  shift: (offset: number) => number;
}

export function reuseForLine(old: Analysis, text: string, cursor: number): Reused | undefined {
  const before = old.text;
  const min = Math.min(before.length, text.length);
  let p = 0;
  while (p < min && before.charCodeAt(p) === text.charCodeAt(p)) p++;
  let s = 0;
  while (s < min - p && before.charCodeAt(before.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
  const oldEnd = before.length - s;
  const newEnd = text.length - s;
  // Only an edit inside one line, with the cursor on that line.
  if (before.slice(p, oldEnd).includes('\n') || text.slice(p, newEnd).includes('\n')) return undefined;
  const lineStart = text.lastIndexOf('\n', p - 1) + 1;
  let lineEnd = text.indexOf('\n', newEnd);
  if (lineEnd < 0) lineEnd = text.length;
  if (cursor < lineStart || cursor > lineEnd) return undefined;
  // Lines that feed the facts completion reads from the tree (which sections exist, the schedule
  // type, request names and their method/path) or that sit at the top level: parse afresh.
  let oldLineEnd = before.indexOf('\n', oldEnd);
  if (oldLineEnd < 0) oldLineEnd = before.length;
  const FACTS = /^\s*(\[|["']|(name|type|method|path)\s*(=|$))/;
  if (FACTS.test(before.slice(lineStart, oldLineEnd)) || FACTS.test(text.slice(lineStart, lineEnd))) return undefined;
  if (!headerAt(old.doc, lineStart)) return undefined;
  // Not when the line lies inside a multi-line value of the old tree (a string or array that spans it).
  const stmts = topStatements(old);
  let lo = 0;
  let hi = stmts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const st = stmts[mid]!;
    if (st.span.start < lineStart) {
      if ((st.value?.span.end ?? st.span.end) >= lineStart) return undefined;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const delta = text.length - before.length;
  return { analysis: old, shift: (o) => (o >= oldEnd ? o + delta : o) };
}
