/** The latency percentiles table: response latency, and in the open model latency from the intended start. */
import type { LatencySummary, Results } from '../../metrics/results-types';
import { h, section, table } from './dom';
import { count, ms } from './format';

const COLUMNS: [keyof LatencySummary, string][] = [
  ['min', 'min'],
  ['mean', 'mean'],
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p95', 'p95'],
  ['p99', 'p99'],
  ['p999', 'p99.9'],
  ['max', 'max'],
];

/** A histogram without samples reads "—", never 0.00 ms (a dead target has no latency, not zero). */
function row(label: string, hint: string, l: LatencySummary): (Node | string)[] {
  return [h('span', { title: hint }, label), ...COLUMNS.map(([k]) => (l.count > 0 ? ms(l[k]) : '—')), count(l.count)];
}

export function renderLatency(r: Pick<Results, 'latency' | 'latencyFromIntended' | 'connectTime' | 'queueWait' | 'schedulingLag'>): HTMLElement {
  const rows: (Node | string)[][] = [];
  if (r.latency) rows.push(row('Response', 'From the moment the VU issued the request to the last byte of the response', r.latency));
  if (r.latencyFromIntended) rows.push(row('From intended start', 'Open model: measured from when the request should have started, so queueing (coordinated omission) shows', r.latencyFromIntended));
  if (r.connectTime) rows.push(row('Connect', 'TCP (and TLS) connection set-up', r.connectTime));
  if (r.queueWait) rows.push(row('Queue wait', 'Waiting for a free connection (max_connections below the VUs); part of the response latency', r.queueWait));
  const head = ['', ...COLUMNS.map(([, t]) => t), 'samples'];
  const body = rows.length
    ? h('div', { class: 'z6-scroll' }, table('z6-latency', head, rows, head.map((_, i) => i > 0)))
    : h('p', { class: 'z6-empty' }, 'No completed requests.');
  const lag = r.schedulingLag
    ? h('p', { class: 'z6-note' }, `Scheduling lag (how late requests started): mean ${ms(r.schedulingLag.mean)}, p99 ${ms(r.schedulingLag.p99)}, max ${ms(r.schedulingLag.max)}.`)
    : null;
  return section('latency', 'Latency', body, lag);
}
