/**
 * Parses the templates of one string value: text with `{{ expression }}` in it. Every part and
 * every expression node carries its range in the string value (UTF-16 indices), so the validator
 * can map a problem to its exact place in the scenario file (toml/string-offsets.ts).
 *
 * The expression language is deliberately small and has no operators:
 *   expression := name | call | 'text' | "text" | number
 *   name       := ident ('.' ident)*          e.g. vu, user, env.API_TOKEN
 *   call       := ident '(' [expression (',' expression)*] ')'
 * Names are resolved later (check.ts, compile.ts), so new scopes (data columns, extracted values,
 * setup results) add names, not syntax. A literal `{{` is written `{{ '{{' }}`.
 */

export interface TSpan {
  start: number;
  end: number;
}

export type Expr =
  | { type: 'name'; parts: string[]; span: TSpan }
  | { type: 'call'; name: string; nameSpan: TSpan; args: Expr[]; span: TSpan }
  | { type: 'string'; value: string; span: TSpan }
  | { type: 'number'; value: number; span: TSpan };

export type Part =
  | { type: 'text'; text: string; span: TSpan }
  /** span: from `{{` to after `}}`. */
  | { type: 'expr'; expr: Expr; span: TSpan };

export interface TemplateError {
  span: TSpan;
  message: string;
}

export interface ParsedTemplate {
  parts: Part[];
  errors: TemplateError[];
}

/** True when the string holds a template (the quick test before any parsing). */
export function hasTemplate(s: string): boolean {
  return s.includes('{{');
}

class SyntaxFail {
  constructor(readonly error: TemplateError) {}
}

export function parseTemplate(s: string): ParsedTemplate {
  const parts: Part[] = [];
  const errors: TemplateError[] = [];
  let text = 0;
  let i = s.indexOf('{{');
  while (i !== -1) {
    if (i > text) parts.push({ type: 'text', text: s.slice(text, i), span: { start: text, end: i } });
    const close = closingBraces(s, i + 2);
    if (close === -1) {
      errors.push({ span: { start: i, end: s.length }, message: "unclosed '{{': expected '}}' to end the template" });
      text = s.length;
      break;
    }
    try {
      const p = new ExprParser(s, i + 2, close);
      parts.push({ type: 'expr', expr: p.whole(), span: { start: i, end: close + 2 } });
    } catch (e) {
      if (!(e instanceof SyntaxFail)) throw e;
      errors.push(e.error);
    }
    text = close + 2;
    i = s.indexOf('{{', text);
  }
  if (text < s.length) parts.push({ type: 'text', text: s.slice(text), span: { start: text, end: s.length } });
  return { parts, errors };
}

/** Index of the `}}` that ends the template opened before `from`, outside quoted text; -1 if none. */
function closingBraces(s: string, from: number): number {
  let quote = '';
  for (let j = from; j < s.length; j++) {
    const c = s[j]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '}' && s[j + 1] === '}') return j;
  }
  // An unterminated quote must not hide the closing braces: fall back to the plain search.
  return quote ? s.indexOf('}}', from) : -1;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_]/;

class ExprParser {
  private i: number;

  private readonly open: number;

  constructor(private readonly s: string, from: number, private readonly end: number) {
    this.i = from;
    this.open = from - 2;
  }

  whole(): Expr {
    this.ws();
    if (this.i >= this.end) throw this.fail(this.open, this.end + 2, "empty template: write a name between '{{' and '}}', e.g. {{ vu }}");
    const e = this.expr();
    this.ws();
    if (this.i < this.end) throw this.fail(this.i, this.end, `unexpected '${this.s.slice(this.i, this.end).trim()}' after the expression`);
    return e;
  }

  private expr(): Expr {
    const c = this.s[this.i];
    const start = this.i;
    if (c === "'" || c === '"') {
      const close = this.s.indexOf(c, this.i + 1);
      if (close === -1 || close >= this.end) throw this.fail(start, this.end, `unterminated text: expected a closing ${c}`);
      this.i = close + 1;
      return { type: 'string', value: this.s.slice(start + 1, close), span: { start, end: this.i } };
    }
    if (c !== undefined && /[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(this.s.slice(this.i, this.end));
      if (!m) throw this.fail(start, start + 1, `expected a number after '-'`);
      this.i += m[0].length;
      return { type: 'number', value: Number(m[0]), span: { start, end: this.i } };
    }
    if (c === undefined || this.i >= this.end || !IDENT_START.test(c)) {
      throw this.fail(start, Math.min(start + 1, this.end), this.i >= this.end ? 'expected an expression' : `unexpected '${c}': expected a name, a number or quoted text`);
    }
    const parts = [this.ident()];
    while (this.s[this.i] === '.' && this.i < this.end) {
      this.i++;
      if (!IDENT_START.test(this.s[this.i] ?? '') || this.i >= this.end) throw this.fail(this.i - 1, this.i, "expected a name after '.'");
      parts.push(this.ident());
    }
    const nameEnd = this.i;
    this.ws();
    if (this.s[this.i] !== '(' || this.i >= this.end) {
      this.i = nameEnd;
      return { type: 'name', parts, span: { start, end: nameEnd } };
    }
    if (parts.length > 1) throw this.fail(start, nameEnd, `'${parts.join('.')}' is not a function`);
    this.i++;
    const args: Expr[] = [];
    this.ws();
    if (this.s[this.i] === ')') this.i++;
    else {
      for (;;) {
        this.ws();
        args.push(this.expr());
        this.ws();
        const d = this.s[this.i];
        if (d === ',' && this.i < this.end) {
          this.i++;
          continue;
        }
        if (d === ')' && this.i < this.end) {
          this.i++;
          break;
        }
        throw this.fail(start, this.i < this.end ? this.i + 1 : this.end, `expected ',' or ')' in the arguments of ${parts[0]}(…)`);
      }
    }
    return { type: 'call', name: parts[0]!, nameSpan: { start, end: nameEnd }, args, span: { start, end: this.i } };
  }

  private ident(): string {
    const from = this.i;
    while (this.i < this.end && IDENT.test(this.s[this.i]!)) this.i++;
    return this.s.slice(from, this.i);
  }

  private ws(): void {
    while (this.i < this.end && (this.s[this.i] === ' ' || this.s[this.i] === '\t')) this.i++;
  }

  private fail(start: number, end: number, message: string): SyntaxFail {
    // The range ends at the last character that is not a blank.
    while (end > start + 1 && (this.s[end - 1] === ' ' || this.s[end - 1] === '\t')) end--;
    return new SyntaxFail({ span: { start, end: Math.max(end, start) }, message });
  }
}
