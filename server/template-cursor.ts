/**
 * Where the cursor is relative to the templates (`{{ … }}`) of a scenario: which template string
 * holds it (a request's path, body or header value, in any quoting), and either what is being
 * typed inside `{{ }}` (for completion) or which name of a parsed expression it is on (for hover
 * and definition). Positions inside the string value go back to the source through
 * toml/string-offsets.ts, so escapes and multi-line strings map exactly.
 */
import { isTemplateKey } from '../engine/scenario/check-templates';
import { PHASES, type Phase } from '../engine/scenario/dynamic-names';
import type { ScalarNode, Span } from '../engine/scenario/toml/ast';
import { sourceSpan, stringOffsets } from '../engine/scenario/toml/string-offsets';
import { ENV } from '../engine/templates/builtins';
import { parseTemplate, type Expr } from '../engine/templates/parse';
import { statementPath, type Analysis } from './analysis';
import { cursorContext } from './cursor';
import { topStatements } from './features/shared';

export interface TemplateString {
  /** The string's value (unescaped). */
  value: string;
  /** Source offset of each value index (stringOffsets); value.length maps to the closing quote. */
  offsets: Int32Array;
  /** The cursor as an index into `value`. */
  index: number;
  /** The request the string belongs to (0-based in its list), when the tree says. */
  owner?: { phase: Phase; request: number };
}

/** What is being typed inside `{{ }}`: a bare name, or the NAME of `env.NAME`. */
export interface TemplateTyping {
  kind: 'name' | 'env';
  prefix: string;
  /** Source span the chosen item replaces (the whole identifier around the cursor). */
  replace: Span;
}

/** A name of a parsed expression under the cursor. */
export interface TemplateNameAt {
  /** For `env.NAME`, 'env'; else the name (a var, a dynamic name or a built-in). */
  kind: 'name' | 'env';
  name: string;
  /** Whether it is written as a call (`uuid()`). */
  call: boolean;
  /** Source span of the name as written (`env.NAME` whole). */
  span: Span;
}

/**
 * Cheap test on the current text, before any tree is needed: is there a `{{` before the cursor
 * with no `}}` after it? Completion uses it to decide whether it needs the fresh tree.
 */
export function maybeInTemplate(text: string, offset: number): boolean {
  const open = text.lastIndexOf('{{', offset - 2);
  if (open < 0) return false;
  const close = text.indexOf('}}', open + 2);
  return close === -1 || close >= offset;
}

/** The template string (path, body, header value) whose content holds `offset`. */
export function templateStringAt(a: Analysis, offset: number): TemplateString | undefined {
  const text = a.doc.text;
  for (const st of a.doc.statements) {
    if (st.span.start > offset) break;
    const v = st.value;
    if (v?.type !== 'scalar' || v.kind !== 'string') continue;
    const q = text.startsWith('"""', v.span.start) || text.startsWith("'''", v.span.start) ? 3 : 1;
    if (offset < v.span.start + q || offset > v.span.end - q) continue;
    if (!isTemplateKey(statementPath(a, st))) return undefined;
    const s = atOffset(v.value as string, stringOffsets(text, v.span), offset);
    // [[requests]] headers have the path ['requests', i] (also for `headers = { … }` in their body).
    const [phase, request] = st.header?.path ?? [];
    if (PHASES.includes(phase as Phase) && typeof request === 'number') s.owner = { phase: phase as Phase, request };
    return s;
  }
  // A line that does not parse yet (a string without its closing quote): read the string from
  // the text, as the cursor context sees it. Single-line strings only; escapes are not mapped.
  const ctx = cursorContext(a.doc, topStatements(a), offset, text);
  if (ctx.kind !== 'value' || !ctx.quote || !isTemplateKey(ctx.path)) return undefined;
  const value = text.slice(ctx.replace.start, ctx.replace.end);
  const offsets = Int32Array.from({ length: value.length + 1 }, (_, k) => ctx.replace.start + k);
  return atOffset(value, offsets, offset);
}

function atOffset(value: string, offsets: Int32Array, offset: number): TemplateString {
  let index = 0;
  while (index < value.length && offsets[index]! < offset) index++;
  return { value, offsets, index };
}

const IDENT = /[A-Za-z0-9_]/;

/** What is typed at the cursor inside `{{ }}`; undefined outside a template, in quoted text or after a number. */
export function typingAt(s: TemplateString): TemplateTyping | undefined {
  const { value, index } = s;
  const open = value.lastIndexOf('{{', index - 2);
  if (open < 0 || index < open + 2) return undefined;
  const close = value.indexOf('}}', open + 2);
  if (close !== -1 && close < index) return undefined;
  // Inside 'text' or "text" of the expression: nothing to complete.
  let quote = '';
  for (let k = open + 2; k < index; k++) {
    const c = value[k]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
  }
  if (quote) return undefined;
  let start = index;
  while (start > open + 2 && (IDENT.test(value[start - 1]!) || value[start - 1] === '.')) start--;
  const token = value.slice(start, index);
  if (/^[0-9]/.test(token)) return undefined;
  // A name may start the expression or an argument; after another name (`{{ user |`) nothing fits.
  const before = value.slice(open + 2, start).trimEnd();
  if (before !== '' && !before.endsWith('(') && !before.endsWith(',')) return undefined;
  let end = index;
  while (end < value.length && IDENT.test(value[end]!)) end++;
  const dot = token.indexOf('.');
  if (dot === -1) return { kind: 'name', prefix: token, replace: sourceSpan(s.offsets, start, end) };
  if (token.slice(0, dot) !== ENV || token.indexOf('.', dot + 1) !== -1) return undefined;
  return { kind: 'env', prefix: token.slice(dot + 1), replace: sourceSpan(s.offsets, start + dot + 1, end) };
}

/** The name of a parsed template expression at the cursor. */
export function nameAt(s: TemplateString): TemplateNameAt | undefined {
  const { value, index } = s;
  const within = (sp: { start: number; end: number }) => sp.start <= index && index <= sp.end;
  let found: TemplateNameAt | undefined;
  const walk = (e: Expr): void => {
    if (found || !within(e.span)) return;
    if (e.type === 'name') {
      const env = e.parts[0] === ENV && e.parts.length === 2;
      found = { kind: env ? 'env' : 'name', name: env ? e.parts[1]! : e.parts[0]!, call: false, span: sourceSpan(s.offsets, e.span.start, e.span.end) };
    } else if (e.type === 'call') {
      if (within(e.nameSpan)) found = { kind: 'name', name: e.name, call: true, span: sourceSpan(s.offsets, e.nameSpan.start, e.nameSpan.end) };
      else e.args.forEach(walk);
    }
  };
  for (const p of parseTemplate(value).parts) if (p.type === 'expr' && within(p.span)) walk(p.expr);
  return found;
}

/** For tests and callers that hold a node: the template string of one scalar. */
export function templateStringOf(text: string, node: ScalarNode, offset: number): TemplateString {
  return atOffset(node.value as string, stringOffsets(text, node.span), offset);
}
