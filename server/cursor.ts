/**
 * Where the cursor is, in terms completion understands: typing a [header], a key of some table,
 * or a value of some key (maybe inside a string, an inline table or an array).
 *
 * Works on half-typed text: the tolerant tree tells which header's body the cursor is in, and a
 * small lexer over the current statement's text (from its start up to the cursor) tells the rest.
 * The tree alone is not enough, because a line being typed is exactly the line that failed to parse.
 */
import type { Span, TomlDocument, KeyValueStatement } from '../engine/scenario/toml/ast';
import { headerAt } from './analysis';

export type CursorContext =
  | { kind: 'none' }
  | { kind: 'header'; prefix: string; replace: Span; /** Typed `[[`: only arrays of tables fit. */ array: boolean }
  | {
      kind: 'key';
      /** Path of the table the key goes in, e.g. ['requests'] or ['requests', 'headers']. */
      table: string[];
      prefix: string;
      replace: Span;
      /** True when the line already has `=` after the cursor (only the key name is wanted). */
      hasEquals: boolean;
      inInline: boolean;
      /** Text before the key on its line is only whitespace (so a [header] could go here). */
      lineStart: boolean;
    }
  | {
      kind: 'value';
      /** Full path of the key being assigned, e.g. ['target', 'http_version'] or ['requests', 'headers', 'Accept']. */
      path: string[];
      prefix: string;
      replace: Span;
      /** The quote the cursor is inside, if any. */
      quote?: '"' | "'";
      inArray: boolean;
    };

const WORD = /[A-Za-z0-9_\-+.:]/;

interface Frame {
  type: 'top' | 'inline' | 'array';
  owner: string[];
}

/** `text` is the current text; `doc` may be the tree of a slightly older version (see reuse.ts). */
export function cursorContext(doc: TomlDocument, topStatements: KeyValueStatement[], at: number, text = doc.text): CursorContext {
  const offset = Math.max(0, Math.min(at, text.length));
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const before = text.slice(lineStart, offset);

  // Inside a multi-line string that started on an earlier line: nothing to offer.
  const stmt = statementAround(topStatements, lineStart);
  if (stmt?.value?.type === 'scalar' && stmt.value.span.start < lineStart && stmt.value.span.end > offset) return { kind: 'none' };

  // A statement that started on an earlier line and is still open here (multi-line array, string).
  const spanning = stmt !== undefined && stmt.span.start < lineStart && stmt.span.end >= lineStart;

  // Typing a header: `[`, `[[sched`, `[schedule.st`.
  const hm = /^\s*\[\[?\s*([A-Za-z0-9_.\-]*)$/.exec(before);
  if (hm && !spanning) {
    const bracket = lineStart + before.indexOf('[');
    let end = offset;
    while (end < lineEnd && /[A-Za-z0-9_.\-\]\s]/.test(text[end]!) && text[end] !== '\n') end++;
    return { kind: 'header', prefix: hm[1]!, array: /\[\[/.test(before), replace: { start: bracket, end: trimEnd(text, offset, end) } };
  }
  if (/^\s*\[/.test(before) && !spanning) return { kind: 'none' };

  const header = headerAt(doc, lineStart);
  const tablePath = header ? header.keys.map((k) => k.name) : [];
  const scanFrom = spanning ? stmt.span.start : lineStart;
  return scan(text, scanFrom, offset, lineEnd, tablePath, lineStart);
}

/** The last top-level statement that starts before `offset`. */
function statementAround(stmts: KeyValueStatement[], offset: number): KeyValueStatement | undefined {
  let lo = 0;
  let hi = stmts.length - 1;
  let found: KeyValueStatement | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (stmts[mid]!.span.start < offset) {
      found = stmts[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function trimEnd(text: string, from: number, end: number): number {
  let e = end;
  while (e > from && /\s/.test(text[e - 1]!)) e--;
  return e;
}

function scan(text: string, from: number, offset: number, lineEnd: number, tablePath: string[], lineStart: number): CursorContext {
  const frames: Frame[] = [{ type: 'top', owner: [] }];
  type State = 'key' | 'afterKey' | 'value' | 'afterValue';
  let state = 'key' as State;
  let keyParts: string[] = [];
  let i = from;
  let lastWord: { start: number; end: number; state: State } | undefined;
  const top = () => frames[frames.length - 1]!;

  while (i < offset && i < text.length) {
    const c = text[i]!;
    lastWord = undefined;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '\n') {
      if (top().type === 'top') {
        state = 'key';
        keyParts = [];
      }
      i++;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0 || nl >= offset) return { kind: 'none' };
      i = nl;
    } else if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      const contentStart = i + q.length;
      let j = contentStart;
      let closed = -1;
      while (j < offset) {
        if (c === '"' && text[j] === '\\') {
          j += 2;
          continue;
        }
        if (text.startsWith(q, j)) {
          closed = j;
          break;
        }
        if (!triple && text[j] === '\n') break;
        j++;
      }
      if (closed < 0 && (j >= offset)) {
        // The cursor is inside this string.
        if (triple) return { kind: 'none' };
        const prefix = text.slice(contentStart, offset);
        let end = offset;
        while (end < lineEnd && text[end] !== c) end++;
        const replace = { start: contentStart, end };
        if (state === 'value') return valueCtx(frames, tablePath, keyParts, prefix, replace, c);
        if (state === 'key') {
          // A quoted key ("X-Request-Id"): only the name goes inside the quotes.
          const ctx = keyCtx(frames, tablePath, keyParts, prefix, replace, text, offset, lineEnd, onlySpaceBefore(text, lineStart, i));
          return ctx.kind === 'key' ? { ...ctx, hasEquals: true, lineStart: false } : ctx;
        }
        return { kind: 'none' };
      }
      const name = text.slice(contentStart, closed < 0 ? j : closed);
      i = closed < 0 ? j : closed + q.length;
      if (state === 'key') {
        keyParts.push(name);
        state = 'afterKey';
      } else if (state === 'value') state = 'afterValue';
    } else if (WORD.test(c)) {
      let j = i;
      while (j < text.length && WORD.test(text[j]!)) j++;
      const wordEnd = Math.min(j, offset);
      const word = text.slice(i, wordEnd);
      lastWord = { start: i, end: wordEnd, state };
      if (state === 'key' || state === 'afterKey') {
        // Dotted keys: `a.b.c` arrive as one word.
        const parts = word.split('.');
        if (state === 'afterKey' && !word.startsWith('.')) {
          /* two words in a row without '=': the line is broken; treat the new word as the key */
          keyParts = [];
        }
        keyParts.push(...parts.filter((p, k) => p !== '' || k === parts.length - 1));
        state = 'afterKey';
      } else if (state === 'value') state = 'afterValue';
      i = wordEnd;
    } else if (c === '=') {
      state = state === 'afterKey' ? 'value' : 'afterValue';
      i++;
    } else if (c === '{' && state === 'value') {
      frames.push({ type: 'inline', owner: [...top().owner, ...keyParts] });
      keyParts = [];
      state = 'key';
      i++;
    } else if (c === '[' && state === 'value') {
      frames.push({ type: 'array', owner: [...top().owner, ...keyParts] });
      state = 'value';
      i++;
    } else if (c === ',') {
      if (top().type === 'inline') {
        state = 'key';
        keyParts = [];
      } else if (top().type === 'array') state = 'value';
      i++;
    } else if (c === '}' || c === ']') {
      if (frames.length > 1) frames.pop();
      state = 'afterValue';
      i++;
    } else {
      i++;
    }
  }

  // The word that touches the cursor is the prefix being typed.
  if (lastWord && lastWord.end === offset) {
    let end = offset;
    while (end < lineEnd && /[A-Za-z0-9_\-]/.test(text[end]!)) end++;
    const prefix = text.slice(lastWord.start, offset);
    const replace = { start: lastWord.start, end };
    if (lastWord.state === 'value') {
      return valueCtx(frames, tablePath, keyParts, prefix, replace);
    }
    if (lastWord.state === 'key' || lastWord.state === 'afterKey') {
      // Only the last dotted part is being typed.
      const dot = prefix.lastIndexOf('.');
      const parts = keyParts.slice(0, -1);
      const p = dot >= 0 ? prefix.slice(dot + 1) : prefix;
      return keyCtx(frames, tablePath, parts, p, { start: lastWord.start + dot + 1, end }, text, offset, lineEnd, onlySpaceBefore(text, lineStart, lastWord.start));
    }
    return { kind: 'none' };
  }
  if (state === 'key') return keyCtx(frames, tablePath, keyParts, '', { start: offset, end: offset }, text, offset, lineEnd, onlySpaceBefore(text, lineStart, offset));
  if (state === 'value') return valueCtx(frames, tablePath, keyParts, '', { start: offset, end: offset });
  return { kind: 'none' };
}

/** Only whitespace between the line start and `at`. */
function onlySpaceBefore(text: string, lineStart: number, at: number): boolean {
  return at >= lineStart && /^\s*$/.test(text.slice(lineStart, at));
}

function keyCtx(frames: Frame[], tablePath: string[], keyParts: string[], prefix: string, replace: Span,
  text: string, offset: number, lineEnd: number, atLineStart: boolean): CursorContext {
  const top = frames[frames.length - 1]!;
  if (top.type === 'array') return { kind: 'none' };
  const after = text.slice(offset, lineEnd);
  return {
    kind: 'key', table: [...tablePath, ...top.owner, ...keyParts], prefix, replace,
    hasEquals: /^[A-Za-z0-9_\-"']*\s*=/.test(after), inInline: top.type === 'inline', lineStart: atLineStart && top.type === 'top',
  };
}

function valueCtx(frames: Frame[], tablePath: string[], keyParts: string[], prefix: string, replace: Span, quote?: '"' | "'"): CursorContext {
  const top = frames[frames.length - 1]!;
  const path = top.type === 'array' ? [...tablePath, ...top.owner] : [...tablePath, ...top.owner, ...keyParts];
  return { kind: 'value', path, prefix, replace, quote, inArray: top.type === 'array' };
}
