/**
 * A run's figures placed on the scenario's lines, for the editor's CodeLens: each [[requests]]
 * block gets "p99 12 ms · 0.2 % failed · 1,204 req", each assertion key "✓ 41.0 ms" or
 * "✗ 340 ms (must be <= 300)". Requests are matched by name, so an edit elsewhere keeps them.
 */
import type { Results } from '../metrics/results-types';
import { assertionPlaces } from './assertion-places';
import { parseToml } from '../scenario/toml/parser';
import type { Span } from '../scenario/toml/ast';

export interface PlacedFigure {
  span: Span;
  text: string;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

export function requestFigures(text: string, r: Results): PlacedFigure[] {
  const doc = parseToml(text);
  const out: PlacedFigure[] = [];
  const requests = doc.root.entries.get('requests')?.value;
  if (requests?.type === 'array') {
    requests.items.forEach((item, i) => {
      if (item.type !== 'table') return;
      const n = item.entries.get('name')?.value;
      const name = n?.type === 'scalar' && typeof n.value === 'string' ? n.value : undefined;
      // Unnamed requests are matched by position (their name is "METHOD path").
      const q = name !== undefined ? r.requests.find((x) => x.name === name) : r.requests[i];
      if (!q) return;
      const completed = q.succeeded + q.failed;
      const failed = completed > 0 ? `${((q.failed / completed) * 100).toFixed(1)} % failed` : 'no response';
      const p99 = q.latency.count > 0 ? `p99 ${ms(q.latency.p99)} ms` : 'p99 —';
      out.push({ span: item.header?.span ?? item.span, text: `${p99} · ${failed} · ${int(q.issued)} req` });
    });
  }
  for (const p of assertionPlaces(text, r.assertions)) {
    const a = p.assertion;
    const actual = a.actual === null ? 'not measured' : String(a.actual);
    out.push({ span: p.span, text: a.pass ? `✓ ${actual}` : `✗ ${actual} (must be ${a.op} ${a.expected})` });
  }
  return out;
}
