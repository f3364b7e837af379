/**
 * A comparison as plain text for a terminal or a CI log (`z6 diff`, `z6 report --baseline`,
 * `z6 run --baseline`): the whole run, then each request, A and B side by side with the change
 * and its verdict, then the warnings and one RESULT line. No colour codes; names from the
 * scenario go through terminalSafe like every line of the run summary.
 */
import { changeText } from '../compare/change-text';
import type { Comparison, FigureDelta, Verdict } from '../compare/compare';
import { terminalSafe } from './terminal-text';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const percent = (f: number) => `${(f * 100).toFixed(f > 0 && f < 0.001 ? 3 : 2)} %`;

export function formatValue(unit: FigureDelta['unit'], v: number | null): string {
  if (v === null) return '-';
  switch (unit) {
    case 'ms':
      return `${ms(v)} ms`;
    case 'rps':
      return v.toFixed(1);
    case 'ratio':
      return percent(v);
    case 'count':
      return int(v);
  }
}

const VERDICT_TEXT: Record<Verdict, string> = { improved: 'improved', regressed: 'REGRESSED', unchanged: 'unchanged', added: 'added', removed: 'removed' };

function rows(figures: FigureDelta[]): string[][] {
  return figures.map((f) => [
    f.label,
    formatValue(f.unit, f.a),
    formatValue(f.unit, f.b),
    changeText(f),
    f.context ? '(context)' : VERDICT_TEXT[f.verdict],
    f.context ? '' : (f.why ?? ''),
  ]);
}

/** Columns padded to their widest cell; numbers right-aligned; the last column (why) left free. */
function table(head: string[], body: string[][]): string[] {
  const all = [head, ...body];
  const widths = head.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  return all.map((r) => '  ' + r.map((cell, c) => (c === r.length - 1 ? cell : c >= 1 && c <= 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
}

/** "whole run p99 latency +12 %" for the RESULT line. */
function regressions(c: Comparison): string[] {
  const out = c.figures.filter((f) => f.verdict === 'regressed').map((f) => `whole run ${f.label} ${changeText(f)}`);
  for (const q of c.requests) for (const f of q.figures) if (f.verdict === 'regressed') out.push(`"${q.name}" ${f.label} ${changeText(f)}`);
  return out;
}

/** The last line of the table: "RESULT: REGRESSED beyond 5 % (2): …" or "RESULT: NO REGRESSION beyond 5 %". */
export function comparisonResult(c: Comparison): string {
  const threshold = `${+(c.threshold * 100).toFixed(2)} %`;
  const reg = regressions(c);
  const improved = [...c.figures, ...c.requests.flatMap((q) => q.figures)].filter((f) => f.verdict === 'improved').length;
  const line = reg.length
    ? `RESULT: REGRESSED beyond ${threshold} (${reg.length}): ${reg.join(', ')}`
    : `RESULT: NO REGRESSION beyond ${threshold}${improved ? ` (${improved} improved)` : ''}`;
  return terminalSafe(line);
}

export function formatComparison(c: Comparison): string {
  const out: string[] = [
    `A (baseline): ${c.a.label}  started ${c.a.startedAt}, seed ${c.a.seed}`,
    `B (new):      ${c.b.label}  started ${c.b.startedAt}, seed ${c.b.seed}`,
    `threshold ${+(c.threshold * 100).toFixed(2)} %, latency floor ${c.latencyFloorMs} ms; latency, rates and failures must also be outside sampling noise (95 % intervals)`,
    '',
    'whole run',
    ...table(['', 'A', 'B', 'change', 'verdict', ''], rows(c.figures)),
  ];
  for (const q of c.requests) {
    out.push('', `request "${q.name}": ${VERDICT_TEXT[q.verdict]}`, ...table(['', 'A', 'B', 'change', 'verdict', ''], rows(q.figures)));
  }
  if (c.warnings.length) out.push('', 'warnings', ...c.warnings.map((w) => `  ${w}`));
  return [...out.map(terminalSafe), '', comparisonResult(c)].join('\n');
}
