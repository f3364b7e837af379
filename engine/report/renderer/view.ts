/**
 * Puts a whole run on the page: a finished `Results` (the HTML report, a reopened run), or a
 * live run fed with the engine's IPC messages (engine/run/protocol.ts) as they arrive.
 */
import type { Comparison } from '../../compare/compare';
import type { Results, SecondSample } from '../../metrics/results-types';
import type { EngineMessage, ProgressTotals, StartedMessage } from '../../run/protocol';
import { renderFailures, renderRequests, renderStatusCodes } from './breakdown';
import { renderChecks } from './checks';
import { renderDataFiles } from './data-files';
import { Charts } from './charts';
import { renderComparison } from './comparison';
import { append, clear, h, section } from './dom';
import { count, ms, percent, rate, seconds } from './format';
import { headerInfo, renderHeader, type HeaderInfo } from './header';
import { renderLatency } from './latency';
import { card, droppedCard, droppedShare, renderAssertions, renderTotals } from './summary';

/** Buttons the host offers (the editor panel); the static HTML report offers none. */
export interface Actions {
  cancel?: () => void;
  saveHtml?: () => void;
}

/** Messages a view accepts: the engine's, plus 'show' to display stored results (with a comparison to a baseline, if any). */
export type ViewMessage = EngineMessage | { type: 'show'; results: Results; comparison?: Comparison };

function toolbar(buttons: [string, string, (() => void) | undefined][]): HTMLElement | null {
  const present = buttons.filter(([, , f]) => f);
  if (!present.length) return null;
  return h('div', { class: 'z6-toolbar' }, ...present.map(([id, label, f]) => h('button', { type: 'button', id: `z6-${id}`, class: 'z6-button', onclick: () => f!() }, label)));
}

function banner(kind: 'error' | 'warn', title: string, text: string): HTMLElement {
  return h('div', { class: `z6-banner z6-banner-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('strong', null, title), ' ', h('span', null, text));
}

/** An open-model run that dropped arrivals: said at the top, since its latency looks normal. */
function overloadBanner(r: Results): HTMLElement | null {
  const t = r.totals;
  if (!t || !(t.dropped > 0)) return null;
  return banner(
    'error',
    'Overloaded:',
    `${percent(droppedShare(t))} of the ${count(t.issued + t.dropped)} arrivals were dropped (every one of the ${count(r.schedule?.peakVus)} max_in_flight slots was busy). ` +
      'They were never sent: latency and responses/s describe only the requests that were.',
  );
}

export class View {
  private charts?: Charts;
  private started?: StartedMessage;
  private startedAt?: string;
  private liveParts?: { header: HTMLElement; totals: HTMLElement; progress: HTMLElement; notices: HTMLElement };
  private results?: Results;

  constructor(
    private readonly root: HTMLElement,
    private readonly actions: Actions = {},
  ) {}

  /** The results currently shown (for the host to save), if the run has finished. */
  get current(): Results | undefined {
    return this.results;
  }

  handle(msg: ViewMessage): void {
    switch (msg.type) {
      case 'started':
        this.begin(msg);
        break;
      case 'progress':
        this.progress(msg.sample, msg.totals);
        break;
      case 'notice':
        this.notice(msg.message);
        break;
      case 'finished':
        this.showResults(msg.results);
        break;
      case 'show':
        this.showResults(msg.results, msg.comparison);
        break;
      case 'error':
        this.showError(msg.message, msg.diagnostics?.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`) ?? []);
        break;
    }
  }

  /** Draw a finished run; with a comparison, its section comes first after the banners. */
  showResults(r: Results, comparison?: Comparison): void {
    this.results = r;
    this.reset();
    const parts: (HTMLElement | null)[] = [
      renderHeader(headerInfo(r)),
      toolbar([['save-html', 'Save HTML report', this.actions.saveHtml]]),
      r.error ? banner('error', 'The run failed:', r.error) : null,
      r.status === 'cancelled' ? banner('warn', 'Cancelled.', 'These are the results up to the moment the run was stopped; requests in flight count as interrupted.') : null,
      r.status === 'aborted' ? banner('error', 'Aborted:', `${r.abortReason ?? 'an assertion failed'}. The results cover the run up to that moment.`) : null,
      r.endReason ? banner('warn', 'Ended early:', r.endReason) : null,
      overloadBanner(r),
      r.generator?.warning ? banner('warn', 'Load generator:', r.generator.warning) : null,
      r.filter ? banner('warn', `Filtered: ${r.filter.applied}.`, r.filter.notes.join(' ')) : null,
      comparison ? renderComparison(comparison) : null,
      renderAssertions(r.assertions ?? []),
      renderTotals(r.totals, r.schedule?.model),
      renderLatency(r),
    ];
    append(this.root, ...parts);
    this.charts = new Charts(r.timeseries ?? [], r.schedule?.model, r.durationSeconds);
    append(this.root, section('charts', 'Over time', this.charts.element));
    append(this.root, renderRequests(r.requests ?? []), renderChecks(r), renderDataFiles(r), renderStatusCodes(r.statusCodes), renderFailures(r), this.footer(r));
    this.charts.mount();
  }

  showError(message: string, details: string[] = []): void {
    this.reset();
    const info: HeaderInfo = { ...this.startedInfo(), status: 'error' };
    append(
      this.root,
      renderHeader(info),
      banner('error', 'The run could not complete:', message),
      details.length ? h('ul', { class: 'z6-diagnostics' }, ...details.map((d) => h('li', null, h('code', null, d)))) : null,
    );
  }

  /** Re-create the charts with the current theme's colours. */
  themeChanged(): void {
    this.charts?.redraw();
  }

  private begin(m: StartedMessage): void {
    this.started = m;
    // The engine's clock is in the results; until then, the page's clock is close enough.
    this.startedAt = new Date().toISOString();
    this.results = undefined;
    this.reset();
    const header = renderHeader({ ...this.startedInfo(), status: 'running' });
    const progress = h('div', { class: 'z6-progress', id: 'z6-progress' });
    const totals = h('div');
    const notices = h('div', { id: 'z6-notices' });
    this.liveParts = { header, totals, progress, notices };
    // The charts come before the live totals, so at the editor's side-by-side width the first one
    // is in view without scrolling while the run goes.
    this.charts = new Charts('live', m.model);
    append(this.root, header, toolbar([['cancel', 'Cancel run', this.actions.cancel]]), notices, progress, section('charts', 'Over time', this.charts.element), totals);
    this.charts.mount();
    this.drawProgress(undefined);
  }

  /** Said at once, above the live figures (e.g. nothing answers at the target). */
  private notice(message: string): void {
    if (!this.liveParts) return;
    append(this.liveParts.notices, banner('error', 'Target unreachable:', message));
  }

  private progress(sample: SecondSample, totals: ProgressTotals): void {
    if (!this.liveParts) return;
    this.charts?.push(sample);
    this.drawProgress(totals);
  }

  private drawProgress(t: ProgressTotals | undefined): void {
    const parts = this.liveParts!;
    const planned = this.started?.plannedDurationSeconds ?? null;
    const elapsed = t?.elapsedSeconds ?? 0;
    parts.header.querySelector('#z6-duration')!.textContent = planned ? `${seconds(elapsed)} of ${seconds(planned)} planned` : seconds(elapsed);
    clear(parts.progress);
    const track = h('div', { class: 'z6-progress-track' });
    const fill = h('div', { class: 'z6-progress-fill' });
    if (planned) fill.style.width = `${Math.min(100, (elapsed / planned) * 100)}%`;
    else fill.classList.add('z6-indeterminate');
    track.appendChild(fill);
    append(parts.progress, track, h('span', { class: 'z6-progress-text' }, planned ? `${seconds(elapsed)} of ${seconds(planned)}` : seconds(elapsed)));
    clear(parts.totals);
    if (!t) return;
    const completed = t.succeeded + t.failed;
    const live: [string, string, string][] = [
      ['issued', 'Issued', count(t.issued)],
      ['succeeded', 'Succeeded', count(t.succeeded)],
      ['failed', 'Failed', count(t.failed)],
      ['inFlight', 'In flight', count(t.inFlight)],
      ['activeVus', this.started?.model === 'open' ? 'In flight (open)' : 'Active VUs', count(t.activeVus)],
      ['rps', 'Responses / s', rate(t.rps)],
      ['errorRate', 'Error rate', percent(completed ? t.failed / completed : 0)],
      ['p50', 'p50 so far', ms(t.p50)],
      ['p99', 'p99 so far', ms(t.p99)],
    ];
    const cards = live.map(([id, label, v]) => card(id, label, v, id === 'failed' && t.failed > 0 ? 'z6-bad' : ''));
    if (t.checks) {
      const n = t.checks.passed + t.checks.failed;
      cards.push(card('checks', `Checks passed (${count(t.checks.failed)} failed)`, n ? percent(t.checks.passed / n) : '—', t.checks.failed > 0 ? 'z6-bad' : '', 'Check evaluations that passed, so far'));
    }
    if (this.started?.model === 'open' || t.dropped > 0) cards.splice(4, 0, droppedCard(t.dropped, droppedShare(t)));
    append(parts.totals, section('totals', 'Live totals', h('div', { class: 'z6-cards' }, ...cards)));
  }

  private startedInfo(): Omit<HeaderInfo, 'status'> {
    const m = this.started;
    if (!m) return {};
    return { name: m.scenario.name, file: m.scenario.file, seed: m.seed, baseUrl: m.target, startedAt: this.startedAt, durationSeconds: 0, plannedDurationSeconds: m.plannedDurationSeconds, model: m.model, scheduleType: m.scheduleType, peakVus: m.peak };
  }

  private footer(r: Results): HTMLElement {
    return h(
      'footer',
      { class: 'z6-footer' },
      `${r.tool?.name ?? 'z6'} ${r.tool?.version ?? ''} · results v${r.version} · scenario sha256 `,
      h('code', null, (r.scenario?.hash ?? '').slice(0, 16)),
      ` · ${r.startedAt ?? ''} → ${r.endedAt ?? ''}`,
    );
  }

  private reset(): void {
    this.charts?.destroy();
    this.charts = undefined;
    this.liveParts = undefined;
    clear(this.root);
  }
}
