/** Per-request stats, status codes and failures by kind (with sample messages from responses). */
import type { FailureKind, RequestStats, Results } from '../../metrics/results-types';
import { h, section, table, type Child } from './dom';
import { count, ms, percent } from './format';

const KIND_TEXT: Record<FailureKind, string> = {
  http_4xx: 'HTTP 4xx',
  http_5xx: 'HTTP 5xx',
  timeout: 'Timeout',
  connect: 'Connection refused / failed',
  dns: 'DNS lookup',
  tls: 'TLS',
  reset: 'Connection reset',
  protocol: 'Protocol error',
  redirect: 'Too many redirects',
  template: 'Template (value missing, not sent)',
  other: 'Other',
};

function failureList(f: RequestStats['failures']): Child {
  const parts = Object.entries(f ?? {}).filter(([, n]) => (n ?? 0) > 0);
  if (!parts.length) return h('span', { class: 'z6-dim' }, '—');
  return parts.map(([k, n]) => `${KIND_TEXT[k as FailureKind] ?? k}: ${count(n)}`).join(', ');
}

export function renderRequests(list: RequestStats[]): HTMLElement {
  if (!list.length) return section('requests', 'Requests', h('p', { class: 'z6-empty' }, 'No requests.'));
  const head = ['Request', 'Issued', 'OK', 'Failed', 'Interrupted', 'p50', 'p95', 'p99', 'max', 'Failures'];
  const rows = list.map((r) => [
    h('div', { class: 'z6-req' }, h('span', { class: 'z6-req-name' }, r.name), h('span', { class: 'z6-req-line' }, h('span', { class: 'z6-method' }, r.method), ' ', h('code', null, r.path))),
    count(r.issued),
    count(r.succeeded),
    h('span', { class: r.failed > 0 ? 'z6-bad-text' : undefined }, count(r.failed)),
    count(r.interrupted),
    ms(r.latency?.p50),
    ms(r.latency?.p95),
    ms(r.latency?.p99),
    ms(r.latency?.max),
    failureList(r.failures),
  ]);
  return section('requests', 'Requests', h('div', { class: 'z6-scroll' }, table('z6-requests', head, rows, head.map((_, i) => i > 0 && i < 9))));
}

function statusClass(code: string): string {
  const c = code[0];
  return c === '2' ? 'z6-s2' : c === '3' ? 'z6-s3' : c === '4' ? 'z6-s4' : c === '5' ? 'z6-s5' : 'z6-s0';
}

/** A share bar; its width is set through the CSSOM, which a strict style CSP allows. */
function bar(fraction: number, cls: string): HTMLElement {
  const fill = h('span', { class: `z6-bar-fill ${cls}` });
  fill.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
  return h('span', { class: 'z6-bar' }, fill);
}

export function renderStatusCodes(codes: Results['statusCodes']): HTMLElement {
  const entries = Object.entries(codes ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (!entries.length) return section('status-codes', 'Status codes', h('p', { class: 'z6-empty' }, 'No responses.'));
  const total = entries.reduce((s, [, n]) => s + n, 0);
  const rows = entries.map(([code, n]) => [h('span', { class: `z6-code ${statusClass(code)}` }, code), count(n), percent(n / total), bar(n / total, statusClass(code))]);
  return section('status-codes', 'Status codes', h('div', { class: 'z6-scroll' }, table('z6-status', ['Status', 'Responses', 'Share', ''], rows, [false, true, true, false])));
}

export function renderFailures(r: Pick<Results, 'failures' | 'failureSamples'>): HTMLElement {
  const entries = Object.entries(r.failures ?? {}).filter(([, n]) => (n ?? 0) > 0) as [FailureKind, number][];
  if (!entries.length) return section('failures', 'Failures', h('p', { class: 'z6-empty' }, 'No failures.'));
  entries.sort((a, b) => b[1] - a[1]);
  const rows = entries.map(([kind, n]) => {
    const samples = r.failureSamples?.[kind] ?? [];
    return [
      h('span', { title: kind }, KIND_TEXT[kind] ?? kind),
      count(n),
      samples.length ? h('ul', { class: 'z6-samples' }, ...samples.map((m) => h('li', null, h('code', null, m)))) : h('span', { class: 'z6-dim' }, '—'),
    ];
  });
  return section('failures', 'Failures', table('z6-failures', ['Kind', 'Count', 'Sample messages'], rows, [false, true, false]));
}
