/**
 * Where each character of a string value sits in the source: the parser gives a string's value
 * (unescaped) and the span of its token; this re-reads the token to map value indices back to
 * source offsets, so a problem found inside the value (a template) is reported at its exact
 * place, escapes and multi-line strings included. Only called for strings that need it.
 */
import type { Span } from './ast';

/**
 * offsets[k] is the source offset of value character k; offsets[value.length] is the offset of
 * the closing quote. A character that came from an escape maps to the escape's backslash.
 */
export function stringOffsets(text: string, span: Span): Int32Array {
  const out: number[] = [];
  const q = text[span.start]!;
  const multi = text.startsWith(q.repeat(3), span.start);
  const close = multi ? span.end - 3 : span.end - 1;
  let i = span.start + (multi ? 3 : 1);
  if (multi) {
    if (text[i] === '\n') i++;
    else if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
  }
  const literal = q === "'";
  while (i < close) {
    const c = text[i]!;
    if (literal || c !== '\\') {
      out.push(i);
      i++;
      continue;
    }
    // Line-ending backslash in a multi-line basic string: it and the whitespace after it vanish.
    if (multi && /^[ \t]*\r?\n/.test(text.slice(i + 1, i + 200))) {
      i++;
      while (i < close && /[ \t\r\n]/.test(text[i]!)) i++;
      continue;
    }
    const kind = text[i + 1];
    const len = kind === 'u' ? 6 : kind === 'U' ? 10 : kind === 'x' ? 4 : 2;
    // A code point above U+FFFF is two UTF-16 units in the value.
    const units = kind === 'U' && parseInt(text.slice(i + 2, i + 10), 16) > 0xffff ? 2 : 1;
    for (let u = 0; u < units; u++) out.push(i);
    i += len;
  }
  out.push(close);
  return Int32Array.from(out);
}

/** The source span of value indices [start, end). */
export function sourceSpan(offsets: Int32Array, start: number, end: number): Span {
  const s = offsets[Math.min(start, offsets.length - 1)]!;
  if (end <= start) return { start: s, end: s };
  // End after the last character of the range (which may be an escape several source chars long).
  const last = offsets[Math.min(end - 1, offsets.length - 1)]!;
  const next = offsets[Math.min(end, offsets.length - 1)]!;
  return { start: s, end: Math.max(next, last + 1) };
}
