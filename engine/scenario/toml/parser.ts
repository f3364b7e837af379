/**
 * An error-tolerant, position-aware TOML parser (TOML 1.0, plus the 1.1 relaxations that
 * smol-toml accepts, so the two agree about what is valid: test/scenario/toml-test.test.ts checks
 * that on the official conformance suite).
 *
 * Why our own: smol-toml (the source of truth for values) gives no positions and stops at the
 * first error; the position-aware alternatives are slow on large files or give no tree for a
 * broken one (see docs/architecture.md). This parser records an error, skips to the end of the
 * line and goes on, so a document that is being typed still has a tree for completion and hover.
 */
import type {
  ArrayNode, Entry, HeaderNode, KeyPart, KeyValueStatement, ScalarNode, Span, TableNode,
  TomlDocument, TomlError, ValueNode,
} from './ast';

class Fail extends Error {
  related?: { span: Span; message: string };

  constructor(readonly span: Span, message: string, readonly toEof = false) {
    super(message);
  }

  /** The first definition of what this error defines again. */
  firstAt(span: Span, message: string): this {
    this.related = { span, message };
    return this;
  }
}

const MAX_ERRORS = 200;
const MAX_DEPTH = 100;
const DIGITS = /[0-9]/;
const DEC_INT = /^[+-]?(0|[1-9](_?[0-9])*)$/;
const DEC_FLOAT = /^[+-]?(0|[1-9](_?[0-9])*)(\.[0-9](_?[0-9])*)?([eE][+-]?[0-9](_?[0-9])*)?$/;

function isBareKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

/** Characters that can appear in a bare value: numbers, booleans, dates. */
function isBareValueChar(c: number): boolean {
  return isBareKeyChar(c) || c === 46 || c === 58 || c === 43;
}

export function parseToml(text: string): TomlDocument {
  return new Parser(text).parse();
}

class Parser {
  private i = 0;
  private readonly n: number;
  private readonly errors: TomlError[] = [];
  private readonly headers: HeaderNode[] = [];
  private readonly statements: KeyValueStatement[] = [];
  private readonly root: TableNode;
  private current: TableNode;
  private currentHeader: HeaderNode | null = null;
  private depth = 0;

  constructor(private readonly s: string) {
    this.n = s.length;
    this.root = { type: 'table', origin: 'root', entries: new Map(), span: { start: 0, end: 0 } };
    this.current = this.root;
  }

  parse(): TomlDocument {
    if (this.s.charCodeAt(0) === 0xfeff) this.i = 1;
    // After an error, later errors are not recorded until a header or key/value line parses
    // again: the line after a broken one (the rest of an unterminated string, the key of a line
    // that lost its '=') is usually the same problem seen twice.
    let recovering = false;
    while (this.i < this.n && this.errors.length < MAX_ERRORS) {
      const lineStart = this.i;
      const headerCount = this.headers.length;
      let isHeader = false;
      try {
        this.skipWs();
        const c = this.s[this.i];
        if (c === undefined) break;
        if (c === '\n' || c === '\r') {
          this.newline();
          continue;
        }
        if (c === '#') {
          this.comment();
          continue;
        }
        isHeader = c === '[';
        if (isHeader) this.header();
        else this.keyValueLine();
        this.endOfLine();
        recovering = false;
      } catch (e) {
        if (!(e instanceof Fail)) throw e;
        if (!recovering) this.errors.push(e.related ? { span: e.span, message: e.message, related: e.related } : { span: e.span, message: e.message });
        recovering = true;
        // Keys below a broken header belong to a table we do not know: keep them out of the
        // previous one, where they would look like duplicates or unknown keys.
        if (isHeader && this.headers.length === headerCount) {
          this.current = newTable('header', { start: lineStart, end: lineStart });
        }
        if (e.toEof) this.i = this.n;
        else this.skipLine(Math.max(this.i, lineStart + 1, e.span.start));
      }
    }
    const last = this.headers[this.headers.length - 1];
    if (last) last.bodyEnd = this.n;
    this.root.span = { start: 0, end: this.n };
    return { text: this.s, root: this.root, headers: this.headers, statements: this.statements, errors: this.errors };
  }

  // ---- lines, whitespace, comments -------------------------------------------------------------

  private skipWs(): void {
    const s = this.s;
    while (this.i < this.n && (s[this.i] === ' ' || s[this.i] === '\t')) this.i++;
  }

  private newline(): void {
    if (this.s[this.i] === '\r') {
      if (this.s[this.i + 1] !== '\n') throw this.fail(this.i, this.i + 1, 'a bare carriage return is not a line ending');
      this.i += 2;
    } else this.i++;
  }

  private comment(): void {
    while (this.i < this.n && this.s[this.i] !== '\n' && this.s[this.i] !== '\r') {
      const code = this.s.charCodeAt(this.i);
      if ((code < 0x20 && code !== 0x09) || code === 0x7f) throw this.fail(this.i, this.i + 1, 'control characters are not allowed in comments');
      this.i++;
    }
  }

  private endOfLine(): void {
    this.skipWs();
    if (this.s[this.i] === '#') this.comment();
    if (this.i >= this.n) return;
    const c = this.s[this.i];
    if (c === '\n' || c === '\r') {
      this.newline();
      return;
    }
    const end = this.lineEnd(this.i);
    throw this.fail(this.i, end, `expected the end of the line, found '${this.s.slice(this.i, Math.min(end, this.i + 20))}'`);
  }

  private lineEnd(from: number): number {
    let j = from;
    while (j < this.n && this.s[j] !== '\n' && this.s[j] !== '\r') j++;
    return j;
  }

  private skipLine(from: number): void {
    this.i = this.lineEnd(Math.min(from, this.n));
    if (this.i < this.n) this.i += this.s[this.i] === '\r' && this.s[this.i + 1] === '\n' ? 2 : 1;
  }

  private fail(start: number, end: number, message: string, toEof = false): Fail {
    return new Fail({ start, end: Math.max(end, start) }, message, toEof);
  }

  // ---- keys ------------------------------------------------------------------------------------

  private key(): KeyPart[] {
    const parts: KeyPart[] = [];
    for (;;) {
      this.skipWs();
      parts.push(this.simpleKey());
      this.skipWs();
      if (this.s[this.i] !== '.') return parts;
      this.i++;
    }
  }

  private simpleKey(): KeyPart {
    const start = this.i;
    const c = this.s[this.i];
    if (c === '"' || c === "'") {
      if (this.s.startsWith(c.repeat(3), this.i)) throw this.fail(start, start + 3, 'a key cannot be a multi-line string');
      const name = c === '"' ? this.basicString() : this.literalString();
      return { name, span: { start, end: this.i } };
    }
    while (this.i < this.n && isBareKeyChar(this.s.charCodeAt(this.i))) this.i++;
    if (this.i === start) {
      const end = this.i < this.n && !/[\r\n]/.test(c!) ? this.i + 1 : this.i;
      throw this.fail(start, end, c === undefined || c === '\n' || c === '\r' ? 'expected a key' : `invalid character '${c}' in a key`);
    }
    return { name: this.s.slice(start, this.i), span: { start, end: this.i } };
  }

  // ---- headers ---------------------------------------------------------------------------------

  private header(): void {
    const start = this.i;
    const array = this.s[this.i + 1] === '[';
    this.i += array ? 2 : 1;
    const keys = this.key();
    this.skipWs();
    const close = array ? ']]' : ']';
    if (!this.s.startsWith(close, this.i)) {
      throw this.fail(start, this.lineEnd(start), `expected '${close}' to close the ${array ? 'array-of-tables' : 'table'} header`);
    }
    this.i += close.length;
    const span = { start, end: this.i };
    const prev = this.headers[this.headers.length - 1];
    if (prev) prev.bodyEnd = start;
    const { table, path } = this.defineTable(keys, array, span);
    const header: HeaderNode = { kind: array ? 'array-table' : 'table', keys, span, bodyEnd: this.n, path, table };
    table.header = header;
    this.headers.push(header);
    this.current = table;
    this.currentHeader = header;
  }

  private defineTable(keys: KeyPart[], array: boolean, span: Span): { table: TableNode; path: (string | number)[] } {
    let t = this.root;
    const path: (string | number)[] = [];
    for (let k = 0; k < keys.length - 1; k++) {
      const part = keys[k]!;
      path.push(part.name);
      const e = t.entries.get(part.name);
      if (!e) {
        const child = newTable('implicit', part.span);
        t.entries.set(part.name, { key: part.name, keySpan: part.span, value: child });
        t = child;
      } else if (e.value.type === 'table' && e.value.origin !== 'inline') {
        t = e.value;
      } else if (e.value.type === 'array' && e.value.ofTables) {
        path.push(e.value.items.length - 1);
        t = e.value.items[e.value.items.length - 1] as TableNode;
      } else {
        throw this.fail(part.span.start, part.span.end, `'${keysText(keys, k)}' is already a value, not a table`)
          .firstAt(e.keySpan, `'${keysText(keys, k)}' is defined here`);
      }
    }
    const last = keys[keys.length - 1]!;
    path.push(last.name);
    const e = t.entries.get(last.name);
    if (array) {
      const item = newTable('array-item', span);
      if (!e) {
        const arr: ArrayNode = { type: 'array', items: [item], span, ofTables: true };
        t.entries.set(last.name, { key: last.name, keySpan: last.span, value: arr });
        path.push(0);
      } else if (e.value.type === 'array' && e.value.ofTables) {
        e.value.items.push(item);
        path.push(e.value.items.length - 1);
      } else {
        throw this.fail(last.span.start, last.span.end, `'${keysText(keys)}' is already defined, so it cannot be an array of tables`)
          .firstAt(e.keySpan, `'${keysText(keys)}' is defined here`);
      }
      return { table: item, path };
    }
    if (!e) {
      const table = newTable('header', span);
      t.entries.set(last.name, { key: last.name, keySpan: last.span, value: table });
      return { table, path };
    }
    if (e.value.type === 'table' && e.value.origin === 'implicit') {
      e.value.origin = 'header';
      e.value.span = span;
      return { table: e.value, path };
    }
    throw this.fail(last.span.start, last.span.end, `table [${keysText(keys)}] is defined more than once`)
      .firstAt(e.value.type === 'table' && e.value.header ? e.value.header.span : e.keySpan, `[${keysText(keys)}] is first defined here`);
  }

  // ---- key/value ------------------------------------------------------------------------------

  private keyValueLine(): void {
    const stmt = this.keyValue(this.current);
    stmt.header = this.currentHeader;
  }

  /** `key = value`, inserted into `table`. Records the statement even when the value is broken. */
  private keyValue(table: TableNode): KeyValueStatement {
    const start = this.i;
    const keys = this.key();
    const stmt: KeyValueStatement = { keys, value: null, span: { start, end: this.i }, table, header: null };
    this.statements.push(stmt);
    this.skipWs();
    if (this.s[this.i] !== '=') {
      const at = this.i;
      throw this.fail(keys[0]!.span.start, Math.max(at, keys[keys.length - 1]!.span.end), `expected '=' after the key '${keysText(keys)}'`);
    }
    this.i++;
    this.skipWs();
    const value = this.value();
    stmt.value = value;
    stmt.span.end = this.i;
    this.insert(table, keys, value);
    return stmt;
  }

  private insert(table: TableNode, keys: KeyPart[], value: ValueNode): void {
    let t = table;
    for (let k = 0; k < keys.length - 1; k++) {
      const part = keys[k]!;
      const e = t.entries.get(part.name);
      if (!e) {
        const child = newTable('dotted', part.span);
        t.entries.set(part.name, { key: part.name, keySpan: part.span, value: child });
        t = child;
      } else if (e.value.type === 'table' && (e.value.origin === 'dotted' || e.value.origin === 'implicit')) {
        t = e.value;
      } else {
        throw this.fail(part.span.start, part.span.end, `'${keysText(keys, k)}' is already defined and cannot be extended with a dotted key`)
          .firstAt(e.keySpan, `'${keysText(keys, k)}' is defined here`);
      }
    }
    const last = keys[keys.length - 1]!;
    const first = t.entries.get(last.name);
    if (first) {
      throw this.fail(last.span.start, last.span.end, `duplicate key '${keysText(keys)}'`).firstAt(first.keySpan, `'${keysText(keys)}' is first defined here`);
    }
    const entry: Entry = { key: last.name, keySpan: last.span, value };
    t.entries.set(last.name, entry);
  }

  // ---- values ---------------------------------------------------------------------------------

  private value(): ValueNode {
    const start = this.i;
    const c = this.s[this.i];
    if (c === undefined || c === '\n' || c === '\r' || c === '#') throw this.fail(start, start, 'expected a value');
    if (c === '"' || c === "'") {
      const triple = this.s.startsWith(c.repeat(3), this.i);
      const value = triple
        ? c === '"' ? this.multiBasicString() : this.multiLiteralString()
        : c === '"' ? this.basicString() : this.literalString();
      return scalar('string', value, start, this.i);
    }
    if (c === '[') return this.array();
    if (c === '{') return this.inlineTable();
    return this.bareValue();
  }

  private bareValue(): ScalarNode {
    const s = this.s;
    const start = this.i;
    // A date-time may contain one space between date and time: take it when a time follows.
    let j = start;
    while (j < this.n && isBareValueChar(s.charCodeAt(j))) j++;
    if (j < this.n && s[j] === ' ' && /^\d{4}-\d{2}-\d{2}$/.test(s.slice(start, j)) && /^\d{2}:\d{2}/.test(s.slice(j + 1, j + 6))) {
      j++;
      while (j < this.n && isBareValueChar(s.charCodeAt(j))) j++;
    }
    const raw = s.slice(start, j);
    this.i = j;
    if (raw === '') throw this.fail(start, start + 1, `invalid value starting with '${s[start]}'`);
    if (raw === 'true' || raw === 'false') return scalar('boolean', raw === 'true', start, j);
    const num = parseNumber(raw);
    if (num) return scalar(num.kind, num.value, start, j);
    const dt = checkDateTime(raw);
    if (dt === true) return scalar('datetime', raw, start, j);
    throw this.fail(start, j, dt || `invalid value '${raw}'${/^[A-Za-z]/.test(raw) ? ' (strings need quotes)' : ''}`);
  }

  private enter(start: number): void {
    if (++this.depth > MAX_DEPTH) throw this.fail(start, start + 1, `nesting deeper than ${MAX_DEPTH} levels`, true);
  }

  private array(): ArrayNode {
    const start = this.i;
    this.enter(start);
    this.i++;
    const items: ValueNode[] = [];
    for (;;) {
      this.skipWsCommentsNewlines();
      if (this.i >= this.n) throw this.fail(start, start + 1, 'unclosed array: expected \']\'', true);
      if (this.s[this.i] === ']') break;
      items.push(this.value());
      this.skipWsCommentsNewlines();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === ']') break;
      if (this.i >= this.n) throw this.fail(start, start + 1, 'unclosed array: expected \']\'', true);
      throw this.fail(this.i, this.i + 1, `expected ',' or ']' in the array, found '${this.s[this.i]}'`);
    }
    this.i++;
    this.depth--;
    return { type: 'array', items, span: { start, end: this.i }, ofTables: false };
  }

  private skipWsCommentsNewlines(): void {
    for (;;) {
      this.skipWs();
      const c = this.s[this.i];
      if (c === '#') this.comment();
      else if (c === '\n' || c === '\r') this.newline();
      else return;
    }
  }

  private inlineTable(): TableNode {
    const start = this.i;
    this.enter(start);
    this.i++;
    const table = newTable('inline', { start, end: start });
    // Entries are inserted while the table is still open, so mark it closed only at the end.
    table.origin = 'dotted';
    let mayContinue = true;
    for (;;) {
      this.skipWsCommentsNewlines();
      if (this.i >= this.n) throw this.fail(start, start + 1, "unclosed inline table: expected '}'", true);
      if (this.s[this.i] === '}') break;
      if (!mayContinue) throw this.fail(this.i, this.i + 1, `expected ',' or '}' in the inline table, found '${this.s[this.i]}'`);
      this.keyValue(table).header = this.currentHeader;
      this.skipWsCommentsNewlines();
      if (this.s[this.i] === ',') {
        this.i++;
        continue; // TOML 1.1 allows a trailing comma, as smol-toml does
      }
      mayContinue = false;
    }
    this.i++;
    this.depth--;
    closeInline(table);
    table.span = { start, end: this.i };
    return table;
  }

  // ---- strings --------------------------------------------------------------------------------

  private basicString(): string {
    const start = this.i;
    this.i++;
    let out = '';
    let chunk = this.i;
    for (;;) {
      const code = this.s.charCodeAt(this.i);
      if (code === 34 /* " */) {
        out += this.s.slice(chunk, this.i);
        this.i++;
        return out;
      }
      if (code === 92 /* \ */) {
        out += this.s.slice(chunk, this.i) + this.escape();
        chunk = this.i;
        continue;
      }
      if (Number.isNaN(code) || code === 10 || code === 13) throw this.fail(start, this.i, 'unterminated string: expected a closing \'"\'');
      if ((code < 0x20 && code !== 0x09) || code === 0x7f) throw this.fail(this.i, this.i + 1, 'control characters are not allowed in strings');
      this.i++;
    }
  }

  private literalString(): string {
    const start = this.i;
    this.i++;
    const from = this.i;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || c === '\n' || c === '\r') throw this.fail(start, this.i, "unterminated string: expected a closing \"'\"");
      if (c === "'") {
        this.i++;
        return this.s.slice(from, this.i - 1);
      }
      this.checkControl(c, false);
      this.i++;
    }
  }

  private multiBasicString(): string {
    const start = this.i;
    this.i += 3;
    this.trimFirstNewline();
    let out = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) throw this.fail(start, start + 3, 'unterminated multi-line string: expected a closing \'"""\'', true);
      if (c === '"' && this.s.startsWith('"""', this.i)) {
        let q = 3;
        while (q < 5 && this.s[this.i + q] === '"') q++;
        out += '"'.repeat(q - 3);
        this.i += q;
        return out;
      }
      if (c === '\\') {
        const after = this.s.slice(this.i + 1, this.lineEnd(this.i + 1));
        if (/^[ \t]*$/.test(after)) {
          // Line-ending backslash: drop it and all whitespace and newlines that follow.
          this.i++;
          while (this.i < this.n && /[ \t\r\n]/.test(this.s[this.i]!)) {
            if (this.s[this.i] === '\r' && this.s[this.i + 1] !== '\n') throw this.fail(this.i, this.i + 1, 'a bare carriage return is not a line ending');
            this.i++;
          }
          continue;
        }
        out += this.escape();
        continue;
      }
      this.checkControl(c, true);
      out += c;
      this.i++;
    }
  }

  private multiLiteralString(): string {
    const start = this.i;
    this.i += 3;
    this.trimFirstNewline();
    const from = this.i;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) throw this.fail(start, start + 3, "unterminated multi-line string: expected a closing \"'''\"", true);
      if (c === "'" && this.s.startsWith("'''", this.i)) {
        let q = 3;
        while (q < 5 && this.s[this.i + q] === "'") q++;
        const value = this.s.slice(from, this.i) + "'".repeat(q - 3);
        this.i += q;
        return value;
      }
      this.checkControl(c, true);
      this.i++;
    }
  }

  private trimFirstNewline(): void {
    if (this.s[this.i] === '\n') this.i++;
    else if (this.s[this.i] === '\r' && this.s[this.i + 1] === '\n') this.i += 2;
  }

  private checkControl(c: string, multiline: boolean): void {
    const code = c.charCodeAt(0);
    if (code === 0x0d && multiline && this.s[this.i + 1] !== '\n') throw this.fail(this.i, this.i + 1, 'a bare carriage return is not a line ending');
    if (code === 0x09 || (multiline && (code === 0x0a || code === 0x0d))) return;
    if (code < 0x20 || code === 0x7f) throw this.fail(this.i, this.i + 1, 'control characters are not allowed in strings');
  }

  private escape(): string {
    const start = this.i;
    const c = this.s[this.i + 1];
    this.i += 2;
    switch (c) {
      case 'b': return '\b';
      case 't': return '\t';
      case 'n': return '\n';
      case 'f': return '\f';
      case 'r': return '\r';
      case 'e': return '\x1b';
      case '"': return '"';
      case '\\': return '\\';
      case 'x': return this.hexEscape(start, 2);
      case 'u': return this.hexEscape(start, 4);
      case 'U': return this.hexEscape(start, 8);
      default:
        throw this.fail(start, Math.min(start + 2, this.n), `invalid escape sequence '\\${c ?? ''}'`);
    }
  }

  private hexEscape(start: number, len: number): string {
    const hex = this.s.slice(this.i, this.i + len);
    if (hex.length !== len || !/^[0-9A-Fa-f]+$/.test(hex)) throw this.fail(start, this.i + hex.length, `invalid escape: expected ${len} hex digits`);
    this.i += len;
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw this.fail(start, this.i, 'invalid Unicode scalar value in escape');
    return String.fromCodePoint(cp);
  }
}

function newTable(origin: TableNode['origin'], span: Span): TableNode {
  return { type: 'table', origin, entries: new Map(), span };
}

/** Inline tables are closed once written: mark them and every dotted table inside them. */
function closeInline(t: TableNode): void {
  t.origin = 'inline';
  for (const e of t.entries.values()) if (e.value.type === 'table' && e.value.origin === 'dotted') closeInline(e.value);
}

function scalar(kind: ScalarNode['kind'], value: ScalarNode['value'], start: number, end: number): ScalarNode {
  return { type: 'scalar', kind, value, span: { start, end } };
}

function keysText(keys: KeyPart[], upTo = keys.length - 1): string {
  return keys.slice(0, upTo + 1).map((k) => (/^[A-Za-z0-9_-]+$/.test(k.name) ? k.name : JSON.stringify(k.name))).join('.');
}

function parseNumber(raw: string): { kind: 'integer' | 'float'; value: number } | null {
  if (/^[+-]?(inf|nan)$/.test(raw)) {
    const v = raw.endsWith('inf') ? Infinity : NaN;
    return { kind: 'float', value: raw.startsWith('-') ? -v : v };
  }
  if (/^0x[0-9A-Fa-f](_?[0-9A-Fa-f])*$/.test(raw)) return { kind: 'integer', value: parseInt(raw.slice(2).replace(/_/g, ''), 16) };
  if (/^0o[0-7](_?[0-7])*$/.test(raw)) return { kind: 'integer', value: parseInt(raw.slice(2).replace(/_/g, ''), 8) };
  if (/^0b[01](_?[01])*$/.test(raw)) return { kind: 'integer', value: parseInt(raw.slice(2).replace(/_/g, ''), 2) };
  if (DEC_INT.test(raw)) return { kind: 'integer', value: Number(raw.replace(/_/g, '')) };
  if (DEC_FLOAT.test(raw) && /[.eE]/.test(raw)) {
    return { kind: 'float', value: Number(raw.replace(/_/g, '')) };
  }
  return null;
}

/**
 * true when `raw` has the form of a TOML date/time with fields in range, otherwise an error
 * message or '' (not a date at all). Like smol-toml, a day up to 31 is accepted in any month here;
 * whether the day exists in that month is the calendar check (calendar.ts) the validator applies
 * to the trees of both parsers, so the two parsers agree on what is TOML syntax.
 */
function checkDateTime(raw: string): true | string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:[Zz]|[+-](\d{2}):(\d{2}))?)?$/.exec(raw);
  const t = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(raw);
  if (!m && !t) return DIGITS.test(raw[0] ?? '') ? `invalid number or date '${raw}'` : '';
  if (m) {
    const [mo, d] = [Number(m[2]), Number(m[3])];
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return `invalid date '${raw}'`;
    if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 60)) return `invalid time in '${raw}'`;
    if (m[8] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return `invalid time-zone offset in '${raw}'`;
  } else if (t && (Number(t[1]) > 23 || Number(t[2]) > 59 || Number(t[3] ?? 0) > 60)) return `invalid time '${raw}'`;
  return true;
}
