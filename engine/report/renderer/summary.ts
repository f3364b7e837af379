/** Totals (the outcome of every request) and the assertions verdict. */
import type { AssertionResult, Results } from '../../metrics/results-types';
import { h, section, table } from './dom';
import { assertionValue, bytes, count, percent, rate } from './format';

export type Totals = Results['totals'];

/** A big number with its label; a unit ("ms", "%", "MiB") is set smaller so the number leads. */
export function card(id: string, label: string, value: string, cls = '', hint?: string): HTMLElement {
  const m = /^(.*\d)( [^\d\s].*)$/.exec(value);
  const shown = m ? [m[1]!, h('span', { class: 'z6-unit' }, m[2]!)] : [value];
  return h('div', { class: `z6-card ${cls}`, 'data-metric': id, title: hint }, h('div', { class: 'z6-card-value' }, ...shown), h('div', { class: 'z6-card-label' }, label));
}

/** `model` decides whether "dropped" is shown: it only exists in the open model (or when non-zero). */
export function renderTotals(t: Totals, model?: 'closed' | 'open'): HTMLElement {
  const cards = [
    card('issued', 'Issued', count(t.issued), '', 'Requests started: succeeded + failed + interrupted'),
    card('succeeded', 'Succeeded', count(t.succeeded), 'z6-good'),
    card('failed', 'Failed', count(t.failed), t.failed > 0 ? 'z6-bad' : ''),
    card('interrupted', 'Interrupted', count(t.interrupted), '', 'In flight when the run stopped'),
  ];
  if (model === 'open' || t.dropped > 0) cards.push(droppedCard(t.dropped, droppedShare(t)));
  cards.push(
    card('rps', 'Responses / s', rate(t.rps), '', 'HTTP responses received (any status) per second of load'),
    card('errorRate', 'Error rate', percent(t.errorRate), t.errorRate > 0 ? 'z6-bad' : ''),
  );
  if (t.checks) cards.push(card('checks', `Checks passed (${count(t.checks.failed)} failed)`, percent(t.checks.passRate), t.checks.failed > 0 ? 'z6-bad' : '', 'Check evaluations that passed ([requests.checks])'));
  if (t.bytesReceived !== undefined) cards.push(card('bytesReceived', 'Received', bytes(t.bytesReceived)));
  if (t.connectionsOpened !== undefined) cards.push(card('connectionsOpened', 'Connections', count(t.connectionsOpened)));
  return section('totals', 'Totals', h('div', { class: 'z6-cards' }, ...cards));
}

/**
 * Dropped arrivals are in no latency histogram, so an overloaded target reads normal latency:
 * the card is coloured like failures and says which share of the offered arrivals it is.
 */
export function droppedCard(dropped: number, share: number): HTMLElement {
  const label = dropped > 0 ? `Dropped (${percent(share)} of arrivals)` : 'Dropped';
  return card('dropped', label, count(dropped), dropped > 0 ? 'z6-bad' : '', 'Arrivals that found every max_in_flight slot busy: never sent, in no latency figure');
}

/** dropped / offered arrivals (offered = issued + dropped): the results' droppedRate, or computed (live totals, older results). */
export function droppedShare(t: { dropped: number; issued: number; droppedRate?: number }): number {
  return t.droppedRate ?? (t.dropped > 0 ? t.dropped / (t.issued + t.dropped) : 0);
}

export function renderAssertions(list: AssertionResult[]): HTMLElement {
  if (!list.length) return section('assertions', 'Assertions', h('p', { class: 'z6-empty' }, 'No assertions in this scenario.'));
  const rows = list.map((a) => [
    h('span', { title: a.key },
      a.scope ? h('span', { class: 'z6-scope' }, `${a.scope.request}${a.scope.check !== undefined ? ` · ${a.scope.check}` : ''}: `) : null,
      a.description || a.key, ' ', h('code', { class: 'z6-dim' }, a.key)),
    `${a.op} ${assertionValue(a.key, a.expected)}`,
    assertionValue(a.key, a.actual),
    h('span', { class: `z6-badge ${a.pass ? 'z6-pass' : 'z6-fail'}` }, a.pass ? 'pass' : 'fail'),
  ]);
  return section('assertions', 'Assertions', h('div', { class: 'z6-scroll' }, table('z6-assertions', ['Assertion', 'Expected', 'Actual', 'Result'], rows, [false, true, true, false])));
}
