/** Hover on section headers, keys and values: meaning, type, default, range and an example. */
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { sectionSpec } from '../../engine/scenario/schema';
import type { Span } from '../../engine/scenario/toml/ast';
import { headerName, resolvePath, statementPath, type Analysis } from '../analysis';
import { keyMarkdown, sectionMarkdown, valueMarkdown } from '../docs';
import { canonicalHeader, HEADER_DOCS } from '../http-headers';
import { formatShare, trafficShares } from './inlay-hints';

const inside = (s: Span, o: number) => s.start <= o && o <= s.end;

export function hover(a: Analysis, td: TextDocument, offset: number): Hover | null {
  const make = (value: string, span: Span): Hover => ({
    contents: { kind: MarkupKind.Markdown, value },
    range: { start: td.positionAt(span.start), end: td.positionAt(span.end) },
  });

  for (const h of a.doc.headers) {
    if (h.span.start > offset) break;
    if (!inside(h.span, offset)) continue;
    const section = sectionSpec(headerName(h));
    if (!section) return null;
    let extra = '';
    if (section.name === 'requests') {
      const r = a.requests.find((q) => q.header === h);
      const share = trafficShares(a).find((s) => s.request === r);
      if (r) extra = `\n\n---\nRequest ${r.index + 1} of ${a.requests.length}: \`${r.name}\`${share ? ` · ≈ ${formatShare(share.fraction)} of the traffic` : ''}`;
    }
    return make(sectionMarkdown(section) + extra, h.span);
  }

  for (const st of a.doc.statements) {
    if (st.span.start > offset) break;
    for (let k = 0; k < st.keys.length; k++) {
      const part = st.keys[k]!;
      if (!inside(part.span, offset)) continue;
      const r = resolvePath(statementPath(a, st, k + 1));
      if (r.section && r.key && r.rest.length === 0) return make(keyMarkdown(r.section, r.key), part.span);
      if (r.key?.type === 'string-map' && r.rest.length === 1) {
        const h = canonicalHeader(r.rest[0]!);
        return make(h ? `**${h}** (HTTP request header)\n\n${HEADER_DOCS[h]}` : `**${r.rest[0]}** (HTTP request header)`, part.span);
      }
      if (r.section && !r.key && r.rest.length === 0) return make(sectionMarkdown(r.section), part.span);
      return null;
    }
    const v = st.value;
    if (v?.type === 'scalar' && inside(v.span, offset)) {
      const r = resolvePath(statementPath(a, st));
      if (!r.section || !r.key || r.rest.length) return null;
      if (r.key.type === 'enum' && typeof v.value === 'string' && r.key.values?.includes(v.value)) {
        return make(valueMarkdown(r.section, r.key, v.value), v.span);
      }
      if (r.key.format === 'request-name' && typeof v.value === 'string') {
        const target = a.requests.find((q) => q.name === v.value);
        if (target) {
          const m = target.table.entries.get('method')?.value;
          const p = target.table.entries.get('path')?.value;
          const line = td.positionAt((target.header?.span ?? target.table.span).start).line + 1;
          return make(`**Request \`${target.name}\`**: ${m?.type === 'scalar' ? m.value : 'GET'} ${p?.type === 'scalar' ? p.value : ''} (line ${line})`, v.span);
        }
      }
      const human = typeof v.value === 'number' ? humanQuantity(v.value, r.key.unit) : undefined;
      return make((human ? `**${v.value} ${r.key.unit}** = ${human}\n\n---\n` : '') + keyMarkdown(r.section, r.key), v.span);
    }
  }
  return null;
}

/** 90000 ms → "1 min 30 s"; 86400 s → "24 h"; undefined when the plain number says it all. */
export function humanQuantity(value: number, unit: string | undefined): string | undefined {
  const seconds = unit === 'ms' ? value / 1000 : unit === 's' ? value : undefined;
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 60 && unit === 's') return undefined;
  if (seconds < 60) return `${Number(seconds.toFixed(3))} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Number((seconds % 60).toFixed(3));
  return [h ? `${h} h` : '', m ? `${m} min` : '', s ? `${s} s` : ''].filter(Boolean).join(' ');
}
