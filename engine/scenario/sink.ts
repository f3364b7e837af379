/** Collects diagnostics and builds fixes with ranges computed from offsets. */
import type { Diagnostic, Fix, Severity } from './diagnostics';
import { LineIndex } from './diagnostics';
import type { Span } from './toml/ast';

export interface EditSpec {
  span: Span;
  newText: string;
}

export interface RelatedSpec {
  span: Span;
  message: string;
}

export class DiagnosticSink {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly lines: LineIndex, readonly text: string) {}

  /** `related`: the other places a problem between keys involves (missing ones are left out). */
  add(span: Span, severity: Severity, code: string, message: string, fixes?: { title: string; edits: EditSpec[]; preferred?: boolean }[],
    related?: (RelatedSpec | undefined)[]): void {
    const d: Diagnostic = { range: this.lines.range(span), span, severity, code, message };
    if (fixes?.length) d.fixes = fixes.map((f) => this.fix(f.title, f.edits, f.preferred));
    const places = related?.filter((r): r is RelatedSpec => r !== undefined);
    if (places?.length) d.related = places.map((r) => ({ range: this.lines.range(r.span), span: r.span, message: r.message }));
    this.diagnostics.push(d);
  }

  fix(title: string, edits: EditSpec[], preferred?: boolean): Fix {
    const fix: Fix = { title, edits: edits.map((e) => ({ range: this.lines.range(e.span), newText: e.newText })) };
    if (preferred) fix.preferred = true;
    return fix;
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }

  /** The whole line(s) of a span including the line break, for "remove this line" fixes. */
  wholeLines(span: Span): Span {
    const startLine = this.lines.position(span.start).line;
    const endLine = this.lines.position(span.end).line;
    const start = this.lines.offset({ line: startLine, character: 0 });
    const next = endLine + 1 < this.lines.lineCount ? this.lines.offset({ line: endLine + 1, character: 0 }) : this.text.length;
    return { start, end: next };
  }

  /** Offset just after the line that holds `offset` (start of the next line), for insertions. */
  afterLine(offset: number): number {
    const line = this.lines.position(offset).line;
    return line + 1 < this.lines.lineCount ? this.lines.offset({ line: line + 1, character: 0 }) : this.text.length;
  }

  /** Leading whitespace of the line holding `offset`, so inserted keys line up. */
  indentAt(offset: number): string {
    const line = this.lines.position(offset).line;
    const start = this.lines.offset({ line, character: 0 });
    return /^[ \t]*/.exec(this.text.slice(start, this.lines.lineEnd(line)))![0];
  }
}
