/**
 * The outline (document symbols) and folding ranges. Requests are listed by name, schedule and
 * sequence steps under their parent section, each symbol covering its whole body.
 */
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { HeaderNode, KeyValueStatement, ValueNode } from '../../engine/scenario/toml/ast';
import { headerName, type Analysis } from '../analysis';
import { topStatements } from './shared';

function bodyStatements(a: Analysis): Map<HeaderNode | null, KeyValueStatement[]> {
  const out = new Map<HeaderNode | null, KeyValueStatement[]>();
  for (const st of topStatements(a)) {
    const list = out.get(st.header) ?? [];
    list.push(st);
    out.set(st.header, list);
  }
  return out;
}

function shortValue(a: Analysis, v: ValueNode | null): string {
  if (!v) return '';
  const raw = a.doc.text.slice(v.span.start, v.span.end).replace(/\s+/g, ' ');
  return raw.length > 60 ? raw.slice(0, 57) + '…' : raw;
}

function num(t: ValueNode | undefined): string {
  return t?.type === 'scalar' ? String(t.value) : '?';
}

export function documentSymbols(a: Analysis, td: TextDocument): DocumentSymbol[] {
  const bodies = bodyStatements(a);
  const range = (start: number, end: number): Range => ({ start: td.positionAt(start), end: td.positionAt(end) });
  const keySymbols = (list: KeyValueStatement[]): DocumentSymbol[] => list.map((st) => {
    const end = st.value ? st.value.span.end : st.span.end;
    return {
      name: st.keys.map((k) => k.name).join('.') || '?', detail: shortValue(a, st.value), kind: SymbolKind.Property,
      range: range(st.span.start, Math.max(end, st.span.start)), selectionRange: range(st.keys[0]!.span.start, st.keys[st.keys.length - 1]!.span.end),
    };
  });

  const out: DocumentSymbol[] = keySymbols(bodies.get(null) ?? []);
  const parents = new Map<string, DocumentSymbol>();
  const requestOf = new Map(a.requests.map((r) => [r.header, r]));
  const stepCount = new Map<string, number>();
  for (const h of a.doc.headers) {
    const body = bodies.get(h) ?? [];
    const last = body[body.length - 1];
    const end = Math.max(h.span.end, last ? (last.value?.span.end ?? last.span.end) : 0);
    const name = headerName(h);
    const sym: DocumentSymbol = {
      name, kind: SymbolKind.Namespace, range: range(h.span.start, end), selectionRange: range(h.span.start, h.span.end), children: keySymbols(body),
    };
    if (name === 'requests') {
      const r = requestOf.get(h);
      const t = h.table.entries;
      sym.name = r?.name || `request ${(r?.index ?? 0) + 1}`;
      sym.kind = SymbolKind.Method;
      sym.detail = `${num(t.get('method')?.value) === '?' ? 'GET' : num(t.get('method')?.value)} ${t.get('path') ? num(t.get('path')!.value) : ''}`.trim();
      if (r?.nameNode) sym.selectionRange = range(r.nameNode.span.start, r.nameNode.span.end);
    } else if (name === 'schedule.steps' || name === 'sequence.steps') {
      const n = (stepCount.get(name) ?? 0) + 1;
      stepCount.set(name, n);
      const t = h.table.entries;
      sym.kind = SymbolKind.Event;
      if (name === 'schedule.steps') {
        sym.name = `step ${n}`;
        sym.detail = `${num(t.get('vus')?.value)} VUs · ${num(t.get('duration_seconds')?.value)} s`;
      } else {
        sym.name = `${n}. ${num(t.get('request')?.value)}`;
        const rep = t.get('repeat')?.value;
        if (rep) sym.detail = `×${num(rep)}`;
      }
      const parent = parents.get(name.split('.')[0]!);
      if (parent) {
        parent.children!.push(sym);
        if (comparePos(sym.range.end, parent.range.end) > 0) parent.range = { start: parent.range.start, end: sym.range.end };
        continue;
      }
    } else if (h.kind === 'table') {
      parents.set(name, sym);
    }
    out.push(sym);
  }
  return out;
}

function comparePos(x: { line: number; character: number }, y: { line: number; character: number }): number {
  return x.line - y.line || x.character - y.character;
}

/**
 * Remembers the outline of the last document that parsed without errors, to show while an edit
 * has broken the rest of the file (an unclosed `"""` swallows every section after it).
 */
export class OutlineKeeper {
  private readonly good = new Map<string, { headers: number; symbols: DocumentSymbol[] }>();

  symbols(uri: string, a: Analysis, td: TextDocument): DocumentSymbol[] {
    const current = documentSymbols(a, td);
    if (a.doc.errors.length === 0) {
      this.good.set(uri, { headers: a.doc.headers.length, symbols: current });
      return current;
    }
    const last = this.good.get(uri);
    if (last && a.doc.headers.length < last.headers / 2) return clamp(last.symbols, td);
    return current;
  }

  forget(uri: string): void {
    this.good.delete(uri);
  }
}

/** Old symbols may point past the end of the shorter, broken text. */
function clamp(symbols: DocumentSymbol[], td: TextDocument): DocumentSymbol[] {
  const endLine = td.lineCount - 1;
  const fix = (r: Range): Range => {
    const end = td.positionAt(td.offsetAt(r.end));
    const start = td.positionAt(td.offsetAt(r.start));
    return { start, end: end.line > endLine ? start : end };
  };
  return symbols.map((s) => ({ ...s, range: fix(s.range), selectionRange: fix(s.selectionRange), children: s.children && clamp(s.children, td) }));
}

export function foldingRanges(a: Analysis, td: TextDocument): FoldingRange[] {
  const out: FoldingRange[] = [];
  const line = (o: number) => td.positionAt(o).line;
  const bodies = bodyStatements(a);
  for (const h of a.doc.headers) {
    const body = bodies.get(h) ?? [];
    const last = body[body.length - 1];
    if (!last) continue;
    const start = line(h.span.start);
    const end = line(last.value?.span.end ?? last.span.end);
    if (end > start) out.push({ startLine: start, endLine: end });
  }
  // Multi-line arrays, inline tables and strings: fold up to the line before the closing bracket/quotes.
  const multiline: { start: number; end: number }[] = [];
  for (const st of a.doc.statements) {
    const v = st.value;
    if (!v) continue;
    const s = line(v.span.start);
    const e = line(v.span.end);
    if (e - 1 > s) out.push({ startLine: s, endLine: e - 1 });
    if (e > s && v.type === 'scalar') multiline.push(v.span);
  }
  // Blocks of two or more comment lines.
  const text = a.doc.text;
  let blockStart = -1;
  let prev = -2;
  const re = /^[ \t]*#.*$/gm;
  let k = 0; // multi-line strings are in document order: walk them alongside the comments
  for (let m = re.exec(text); m; m = re.exec(text)) {
    while (k < multiline.length && multiline[k]!.end <= m.index) k++;
    if (k < multiline.length && multiline[k]!.start < m.index) continue;
    const l = line(m.index);
    if (l !== prev + 1) {
      if (blockStart >= 0 && prev > blockStart) out.push({ startLine: blockStart, endLine: prev, kind: FoldingRangeKind.Comment });
      blockStart = l;
    }
    prev = l;
  }
  if (blockStart >= 0 && prev > blockStart) out.push({ startLine: blockStart, endLine: prev, kind: FoldingRangeKind.Comment });
  return out.sort((x, y) => x.startLine - y.startLine);
}
