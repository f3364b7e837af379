/** The checks of a run ([requests.checks]): each check's passed and failed counts and pass rate. */
import type { Results } from '../../metrics/results-types';
import { h, section, table } from './dom';
import { count, percent } from './format';

export function renderChecks(r: Results): HTMLElement | null {
  const list = r.checks ?? [];
  if (!list.length) return null;
  const rows = list.map((c) => [
    c.request,
    c.name,
    count(c.passed),
    h('span', { class: c.failed > 0 ? 'z6-bad-text' : '' }, count(c.failed)),
    c.passRate === null ? '—' : percent(c.passRate),
  ]);
  const t = r.totals.checks;
  const caption = t ? h('p', { class: 'z6-dim', id: 'z6-checks-total' }, `${count(t.passed)} passed, ${count(t.failed)} failed${t.passRate === null ? '' : ` (${percent(t.passRate)} passed)`}. A failed check does not fail its request.`) : null;
  return section('checks', 'Checks', caption, h('div', { class: 'z6-scroll' }, table('z6-checks', ['Request', 'Check', 'Passed', 'Failed', 'Pass rate'], rows, [false, false, true, true, true])));
}
