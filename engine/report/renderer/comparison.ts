/**
 * A comparison with a baseline (engine/compare/): the HTML report's section for
 * `--baseline FILE`, and the editor's history view. The comparison is computed in Node (it
 * decodes histograms); this only draws it: the whole run's figures, one line per request with its
 * verdict and what regressed, and each request's figures folded in a <details> (no script needed).
 */
import { changeText } from '../../compare/change-text';
import type { Comparison, FigureDelta, RequestComparison, Verdict } from '../../compare/compare';
import { h, section, table, type Child } from './dom';
import { count, isoTime, ms, percent, rate } from './format';

const VERDICT_TEXT: Record<Verdict, string> = { improved: 'improved', regressed: 'regressed', unchanged: 'unchanged', added: 'added', removed: 'removed' };

function value(unit: FigureDelta['unit'], v: number | null): string {
  if (v === null) return '—';
  return unit === 'ms' ? ms(v) : unit === 'ratio' ? percent(v) : unit === 'rps' ? rate(v) : count(v);
}

/** A context figure's badge carries its reason as a tooltip: the same on every row, it would only repeat. */
export function verdictBadge(v: Verdict, context?: string): HTMLElement {
  return h('span', { class: `z6-badge z6-verdict-${context ? 'context' : v}`, title: context }, context ? 'context' : VERDICT_TEXT[v]);
}

function figureRows(figures: FigureDelta[]): Child[][] {
  return figures.map((f) => [
    f.label,
    value(f.unit, f.a),
    value(f.unit, f.b),
    changeText(f),
    verdictBadge(f.verdict, f.context ? f.why : undefined),
    f.why && !f.context ? h('span', { class: 'z6-dim' }, f.why) : '',
  ]);
}

function figureTable(cls: string, figures: FigureDelta[]): HTMLElement {
  const head = ['Figure', 'Baseline', 'This run', 'Change', 'Verdict', 'Why'];
  return h('div', { class: 'z6-scroll' }, table(`z6-compare-figures ${cls}`, head, figureRows(figures), [false, true, true, true, false, false]));
}

function requestLine(q: RequestComparison): Child[] {
  const moved = q.figures.filter((f) => f.verdict === 'regressed' || f.verdict === 'improved').map((f) => `${f.label} ${changeText(f)}`);
  return [h('span', { class: 'z6-req-name' }, q.name), verdictBadge(q.verdict), moved.join(', ')];
}

export function renderComparison(c: Comparison): HTMLElement {
  const regressedFigures = [...c.figures, ...c.requests.flatMap((q) => q.figures)].filter((f) => f.verdict === 'regressed').length;
  const threshold = `${+(c.threshold * 100).toFixed(2)} %`;
  const verdict = h(
    'p',
    { class: 'z6-compare-verdict' },
    h('span', { class: `z6-badge ${c.regressed ? 'z6-fail' : 'z6-pass'}`, id: 'z6-compare-verdict' }, c.regressed ? `Regressed (${regressedFigures} figure${regressedFigures === 1 ? '' : 's'})` : 'No regression'),
    ' ',
    h('span', { class: 'z6-dim' }, `Beyond ${threshold}, and outside sampling noise for latency, rates and failures (95 % intervals).`),
  );
  const runs = h(
    'dl',
    { class: 'z6-meta' },
    ...([['Baseline', c.a], ['This run', c.b]] as const).map(([label, r]) =>
      h('div', { class: 'z6-meta-item' }, h('dt', null, label), h('dd', null, h('code', null, r.label), ` · ${isoTime(r.startedAt)} · seed ${r.seed}`)),
    ),
  );
  const warnings = c.warnings.length ? h('ul', { class: 'z6-banner z6-banner-warn z6-compare-warnings' }, ...c.warnings.map((w) => h('li', null, w))) : null;
  const requests = c.requests.length
    ? h('div', { class: 'z6-scroll' }, table('z6-compare-requests', ['Request', 'Verdict', 'Moved'], c.requests.map(requestLine)))
    : null;
  const details = c.requests.map((q) =>
    h('details', { class: 'z6-compare-request', 'data-request': q.name }, h('summary', null, q.name, ' ', verdictBadge(q.verdict)), figureTable('z6-compare-request-figures', q.figures)),
  );
  return section('comparison', 'Compared with the baseline', verdict, runs, warnings, h('h3', null, 'Whole run'), figureTable('z6-compare-run', c.figures), requests ? h('h3', null, 'Requests') : null, requests, ...details);
}
