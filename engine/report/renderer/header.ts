/** The top of the report: what ran, against what, how it ended. */
import type { Results } from '../../metrics/results-types';
import { h, type Child } from './dom';
import { count, isoTime, seconds } from './format';

/** What the header needs; a live run knows this before any result exists. */
export interface HeaderInfo {
  name?: string;
  file?: string;
  status: Results['status'] | 'running' | 'starting';
  seed?: number;
  baseUrl?: string;
  httpVersion?: string;
  startedAt?: string;
  durationSeconds?: number;
  plannedDurationSeconds?: number | null;
  scheduleType?: string;
  model?: 'closed' | 'open';
  peakVus?: number;
  /** undefined: no assertions (or not evaluated yet). */
  assertionsPassed?: { passed: number; total: number };
}

const STATUS_TEXT: Record<HeaderInfo['status'], string> = {
  completed: 'Completed',
  cancelled: 'Cancelled — partial results',
  aborted: 'Aborted — an assertion failed',
  error: 'Error',
  running: 'Running',
  starting: 'Starting',
};

export function headerInfo(r: Results): HeaderInfo {
  const total = r.assertions?.length ?? 0;
  return {
    name: r.scenario?.name,
    file: r.scenario?.file,
    status: r.status,
    seed: r.seed,
    baseUrl: r.target?.baseUrl,
    httpVersion: r.target?.httpVersion,
    startedAt: r.startedAt,
    durationSeconds: r.durationSeconds,
    plannedDurationSeconds: r.schedule?.plannedDurationSeconds,
    scheduleType: r.schedule?.type,
    model: r.schedule?.model,
    peakVus: r.schedule?.peakVus,
    assertionsPassed: total ? { passed: r.assertions.filter((a) => a.pass).length, total } : undefined,
  };
}

function basename(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

function meta(label: string, value: Child, title?: string): HTMLElement {
  return h('div', { class: 'z6-meta-item', title }, h('dt', null, label), h('dd', null, value));
}

export function renderHeader(info: HeaderInfo): HTMLElement {
  const name = info.name || (info.file ? basename(info.file) : 'Scenario');
  const badges: Child[] = [h('span', { class: `z6-badge z6-status-${info.status}`, id: 'z6-status' }, STATUS_TEXT[info.status])];
  if (info.assertionsPassed) {
    const { passed, total } = info.assertionsPassed;
    const ok = passed === total;
    badges.push(h('span', { class: `z6-badge ${ok ? 'z6-pass' : 'z6-fail'}`, id: 'z6-verdict' }, ok ? `Assertions passed (${total})` : `Assertions failed (${total - passed} of ${total})`));
  }
  let duration: Child = seconds(info.durationSeconds);
  if (info.plannedDurationSeconds) duration = `${seconds(info.durationSeconds)} of ${seconds(info.plannedDurationSeconds)} planned`;
  const schedule = [info.scheduleType, info.model ? `${info.model} model` : undefined, info.peakVus !== undefined ? `peak ${count(info.peakVus)} VUs` : undefined]
    .filter(Boolean)
    .join(' · ');
  return h(
    'header',
    { class: 'z6-header', id: 'z6-header' },
    h('div', { class: 'z6-title-row' }, h('h1', { id: 'z6-name' }, name), h('div', { class: 'z6-badges' }, ...badges)),
    info.file ? h('p', { class: 'z6-file', title: info.file }, info.file) : null,
    h(
      'dl',
      { class: 'z6-meta' },
      meta('Target', info.baseUrl ? h('code', { id: 'z6-target' }, info.baseUrl) : '—', info.httpVersion ? `HTTP version: ${info.httpVersion}` : undefined),
      meta('Seed', info.seed !== undefined ? h('code', { id: 'z6-seed' }, String(info.seed)) : '—'),
      meta('Started', isoTime(info.startedAt)),
      meta('Duration', h('span', { id: 'z6-duration' }, duration)),
      schedule ? meta('Schedule', schedule) : null,
    ),
  );
}
