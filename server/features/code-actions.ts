/**
 * Quick fixes. Most come straight from the validator's `fixes` (so the CLI can print the same
 * suggestions); the few syntax-level ones the validator cannot know about are added here.
 */
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Fix } from '../../engine/scenario/diagnostics';
import { resolvePath, statementPath, type Analysis } from '../analysis';
import type { KeyValueStatement } from '../../engine/scenario/toml/ast';
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
    title: f.title, kind: CodeActionKind.QuickFix, diagnostics: [toLspDiagnostic(d, td.uri, true)],
    isPreferred: f.preferred || undefined, edit: { changes: { [td.uri]: edits } },
  };
}

/** Fixes the validator does not carry (yet): syntax errors, and a few checks with an obvious edit. */
function extraFixes(a: Analysis, td: TextDocument, d: Diagnostic): Fix[] {
  if (d.code !== 'toml-syntax') return d.fixes?.length ? [] : ruleFixes(a, td, d);
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

/** The statement whose key or value is exactly the diagnostic's span. */
function statementAt(a: Analysis, start: number, end: number): KeyValueStatement | undefined {
  return a.doc.statements.find((st) =>
    (st.value && st.value.span.start === start && st.value.span.end === end) ||
    st.keys.some((k) => k.span.start === start && k.span.end === end));
}

/** An edit deleting a statement's whole line(s), when nothing else is written on them. */
function removeLines(a: Analysis, td: TextDocument, st: KeyValueStatement): TextEdit | undefined {
  const text = a.doc.text;
  const end0 = st.value?.span.end ?? st.span.end;
  const start = text.lastIndexOf('\n', st.span.start - 1) + 1;
  if (!/^\s*$/.test(text.slice(start, st.span.start)) || !/^[ \t]*(#.*)?(\r?\n|$)/.test(text.slice(end0))) return undefined;
  let end = text.indexOf('\n', end0);
  end = end < 0 ? text.length : end + 1;
  return { range: { start: td.positionAt(start), end: td.positionAt(end) }, newText: '' };
}

function ruleFixes(a: Analysis, td: TextDocument, d: Diagnostic): Fix[] {
  const st = statementAt(a, d.span.start, d.span.end);
  if (!st) return [];
  const key = st.keys.map((k) => k.name).join('.');
  const remove = (title: string): Fix[] => {
    const edit = removeLines(a, td, st);
    return edit ? [{ title, edits: [edit] }] : [];
  };
  const spanRange = (s: { start: number; end: number }) => ({ start: td.positionAt(s.start), end: td.positionAt(s.end) });
  switch (d.code) {
    case 'unknown-key':
    case 'not-applicable':
      return remove(`Remove '${key}'`);
    case 'out-of-range':
    case 'limit-exceeded': {
      const spec = resolvePath(statementPath(a, st)).key;
      const v = st.value;
      if (!spec || v?.type !== 'scalar' || typeof v.value !== 'number') return [];
      const bound = spec.max !== undefined && v.value > spec.max ? { n: spec.max, what: 'maximum' }
        : spec.min !== undefined && !spec.minExclusive && v.value < spec.min ? { n: spec.min, what: 'minimum' } : undefined;
      return bound ? [{ title: `Use ${bound.n} (the ${bound.what})`, edits: [{ range: spanRange(v.span), newText: String(bound.n) }], preferred: true }] : [];
    }
    case 'think-time-range': {
      const other = st.table.entries.get('min_ms')?.value;
      const v = st.value;
      if (!v || other?.type !== 'scalar') return [];
      const text = a.doc.text;
      return [{
        title: 'Swap min_ms and max_ms', preferred: true,
        edits: [
          { range: spanRange(other.span), newText: text.slice(v.span.start, v.span.end) },
          { range: spanRange(v.span), newText: text.slice(other.span.start, other.span.end) },
        ],
      }];
    }
    case 'body-on-get': {
      const method = st.table.entries.get('method')?.value;
      const fixes: Fix[] = [];
      if (method?.type === 'scalar') fixes.push({ title: 'Change the method to "POST"', edits: [{ range: spanRange(method.span), newText: '"POST"' }] });
      else if (st.header) {
        const p = td.positionAt(st.header.span.end);
        fixes.push({ title: 'Add method = "POST"', edits: [{ range: { start: p, end: p }, newText: '\nmethod = "POST"' }] });
      }
      return [...fixes, ...remove(`Remove ${key}`)];
    }
    default:
      return [];
  }
}
