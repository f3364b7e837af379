/**
 * Quick fixes. Most come straight from the validator's `fixes` (so the CLI can print the same
 * suggestions); the few syntax-level ones the validator cannot know about are added here.
 */
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Fix } from '../../engine/scenario/diagnostics';
import type { Analysis } from '../analysis';
import { toLspDiagnostic } from './diagnostics';

const sameRange = (x: Range, y: Range) =>
  x.start.line === y.start.line && x.start.character === y.start.character && x.end.line === y.end.line && x.end.character === y.end.character;

const overlaps = (d: Range, r: Range) =>
  !(d.end.line < r.start.line || (d.end.line === r.start.line && d.end.character < r.start.character) ||
    d.start.line > r.end.line || (d.start.line === r.end.line && d.start.character > r.end.character));

export function codeActions(a: Analysis, td: TextDocument, range: Range, context: LspDiagnostic[], only?: string[]): CodeAction[] {
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k + '.') || k === '')) return [];
  // Fixes are recomputed from the current text: diagnostics the client sends may be a version old.
  const current = a.diagnostics.filter((d) => overlaps(d.range, range));
  const wanted = context.length
    ? current.filter((d) => context.some((c) => c.code === d.code && sameRange(c.range, d.range)))
    : current;
  const out: CodeAction[] = [];
  for (const d of wanted) {
    const fixes = [...(d.fixes ?? []), ...extraFixes(a, td, d)];
    for (const f of fixes) out.push(action(td, d, f));
  }
  return out;
}

function action(td: TextDocument, d: Diagnostic, f: Fix): CodeAction {
  const edits: TextEdit[] = f.edits.map((e) => ({ range: e.range, newText: e.newText }));
  return {
    title: f.title, kind: CodeActionKind.QuickFix, diagnostics: [toLspDiagnostic(d)],
    isPreferred: f.preferred || undefined, edit: { changes: { [td.uri]: edits } },
  };
}

/** Fixes for syntax errors, which the validator reports without fixes. */
function extraFixes(a: Analysis, td: TextDocument, d: Diagnostic): Fix[] {
  if (d.code !== 'toml-syntax') return [];
  const text = a.doc.text;
  const fixes: Fix[] = [];
  // The validator words syntax errors as smol-toml does ("trying to redefine…", "invalid value");
  // our parser's error on the same line says what exactly is wrong, with its span.
  const lineOf = (o: number) => td.positionAt(o).line;
  const own = a.doc.errors.find((e) => e.span.start <= d.span.end && e.span.end >= d.span.start)
    ?? a.doc.errors.find((e) => lineOf(e.span.start) === d.range.start.line);
  const message = own?.message ?? d.message;
  const span = own?.span ?? d.span;
  const dup = /^duplicate key '(.+)'$/.exec(message);
  if (dup) {
    const st = a.doc.statements.find((s) => s.keys.some((k) => k.span.start === span.start && k.span.end === span.end));
    if (st) {
      const start = text.lastIndexOf('\n', st.span.start - 1) + 1;
      const alone = /^\s*$/.test(text.slice(start, st.span.start)) && /^\s*(#.*)?(\r?\n|$)/.test(text.slice(st.span.end));
      if (alone) {
        let end = text.indexOf('\n', st.span.end);
        end = end < 0 ? text.length : end + 1;
        fixes.push({ title: `Remove the duplicate '${dup[1]}'`, edits: [{ range: { start: td.positionAt(start), end: td.positionAt(end) }, newText: '' }], preferred: true });
      }
    }
  }
  const bare = /^invalid value '(.+)' \(strings need quotes\)$/.exec(message);
  if (bare) {
    const range = { start: td.positionAt(span.start), end: td.positionAt(span.end) };
    fixes.push({ title: `Quote it: "${bare[1]}"`, edits: [{ range, newText: JSON.stringify(bare[1]) }], preferred: true });
  }
  if (/^unterminated string: expected a closing ('"'|"'")$/.test(message)) {
    const q = message.endsWith(`'"'`) ? '"' : "'";
    let end = text.indexOf('\n', span.start);
    if (end < 0) end = text.length;
    if (text[end - 1] === '\r') end--;
    const p = td.positionAt(end);
    fixes.push({ title: `Close the string with ${q}`, edits: [{ range: { start: p, end: p }, newText: q }], preferred: true });
  }
  return fixes;
}
