/**
 * Diagnostics in the shape the language server and the CLI both use: LSP-style 0-based positions
 * in UTF-16 units, plus the raw offsets for quick lookups.
 */
import type { Span } from './toml/ast';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix an editor may apply on its own ("did you mean" with one clear candidate). */
  preferred?: boolean;
}

export type Severity = 'error' | 'warning' | 'info';

/** Another place a problem involves (the body that body_file conflicts with), as LSP's relatedInformation. */
export interface RelatedPlace {
  range: Range;
  span: Span;
  /** What is at that place, e.g. "body is set here". */
  message: string;
}

export interface Diagnostic {
  range: Range;
  span: Span;
  severity: Severity;
  /** Stable identifier, e.g. "unknown-key"; documented in docs/scenario-format.md. */
  code: string;
  message: string;
  fixes?: Fix[];
  /** The other places a problem between two keys involves; the diagnostic itself is at the one to change. */
  related?: RelatedPlace[];
}

/** Maps offsets to line/character and back. Lines end at \n; a \r before it belongs to the line break. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo]! };
  }

  offset(pos: Position): number {
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, pos.line)]!;
    return Math.min(start + pos.character, this.lineEnd(pos.line));
  }

  /** Offset of the end of a line's content (before \r\n or \n). */
  lineEnd(line: number): number {
    const next = this.starts[line + 1];
    if (next === undefined) return this.text.length;
    return this.text[next - 2] === '\r' ? next - 2 : next - 1;
  }

  range(span: Span): Range {
    return { start: this.position(span.start), end: this.position(span.end) };
  }
}
