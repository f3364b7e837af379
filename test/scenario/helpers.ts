import { validateText, type ValidateOptions } from '../../engine/scenario/validate';

/** Diagnostics as `line:col-line:col severity code: message` (1-based), plus the text they cover. */
export function diags(text: string, opts?: ValidateOptions): string[] {
  return validateText(text, opts).diagnostics.map((d) =>
    `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.severity} ${d.code} «${text.slice(d.span.start, d.span.end)}»`);
}

/**
 * Diagnostics that involve other places, as `line:col code «text» ← line:col «text» related message`
 * per related place (1-based), so a test names both ends of each problem exactly.
 */
export function placed(text: string, opts?: ValidateOptions): string[] {
  const at = (r: { start: { line: number; character: number } }, s: { start: number; end: number }) =>
    `${r.start.line + 1}:${r.start.character + 1} «${text.slice(s.start, s.end)}»`;
  return validateText(text, opts).diagnostics.flatMap((d) =>
    (d.related ?? []).map((r) => `${at(d.range, d.span)} ${d.code} ← ${at(r.range, r.span)} ${r.message}`));
}

/** Applies a fix's edits (LSP ranges) to the text. */
export function applyEdits(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const lines = text.split('\n');
  const off = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

export const BASE = `[target]
base_url = "http://127.0.0.1:8080"

[runtime]
duration_seconds = 10
vus = 5

[[requests]]
name = "home"
path = "/"
`;
