/** The data files of a run ([[data]]): mode, rows, rows drawn, and whether a unique file ran out. */
import type { Results } from '../../metrics/results-types';
import { h, section, table } from './dom';
import { count } from './format';

export function renderDataFiles(r: Results): HTMLElement | null {
  const list = r.data ?? [];
  if (!list.length) return null;
  const rows = list.map((d) => [
    d.file,
    d.mode + (d.onExhausted ? ` (${d.onExhausted})` : ''),
    count(d.rows),
    count(d.drawn),
    d.exhausted ? h('span', { class: 'z6-bad-text' }, 'ran out') : '',
  ]);
  return section('data', 'Data files', h('div', { class: 'z6-scroll' }, table('z6-data', ['File', 'Mode', 'Rows', 'Drawn', ''], rows, [false, false, true, true, false])));
}
