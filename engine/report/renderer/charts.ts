/**
 * Charts over time with uPlot (a real, small charting library: axes, ticks, cursor, legend and
 * HiDPI canvas for ~50 KB, rather than hand-drawn SVG). Three charts share the x axis (seconds
 * since start): responses and failures per second, latency percentiles, active VUs. They can be
 * fed sample by sample while a run is live (series.ts keeps what they hold bounded). Per-second
 * counts of the run's last, partial second are left out (docs/run-semantics.md, Rates).
 */
import uPlot from 'uplot';
import type { SecondSample } from '../../metrics/results-types';
import { h } from './dom';
import { count, ms, rate } from './format';
import { MAX_LIVE_POINTS, Series, type Column } from './series';

interface SeriesSpec {
  label: string;
  /** CSS custom property holding the colour, so light/dark/VS Code themes apply. */
  colorVar: string;
  scale: string;
  /** The figure it draws (series.ts: a count per second is left out for a partial second). */
  column: Column;
  fmt: (v: number) => string;
  fill?: boolean;
  dash?: number[];
}

interface ChartSpec {
  id: string;
  title: string;
  /** integer: counts (VUs, failures) get whole-number ticks only. */
  axes: { scale: string; label: string; side?: 1 | 3; integer?: boolean }[];
  series: SeriesSpec[];
}

const CHARTS: ChartSpec[] = [
  {
    id: 'throughput',
    title: 'Throughput and failures',
    // One scale for both, so 1 failure/s is drawn as small as it is next to 145 responses/s.
    axes: [{ scale: 'rps', label: 'per second' }],
    series: [
      { label: 'responses/s', colorVar: '--z6-c1', scale: 'rps', column: 'rps', fmt: rate, fill: true },
      { label: 'failures/s', colorVar: '--z6-bad', scale: 'rps', column: 'failures', fmt: count },
    ],
  },
  {
    id: 'latency',
    title: 'Latency',
    axes: [{ scale: 'ms', label: 'ms' }],
    series: [
      { label: 'p50', colorVar: '--z6-c1', scale: 'ms', column: 'p50', fmt: ms },
      { label: 'p95', colorVar: '--z6-c2', scale: 'ms', column: 'p95', fmt: ms },
      { label: 'p99', colorVar: '--z6-c3', scale: 'ms', column: 'p99', fmt: ms },
    ],
  },
  {
    id: 'vus',
    title: 'Active VUs',
    axes: [{ scale: 'vus', label: 'VUs', integer: true }],
    series: [
      { label: 'active VUs', colorVar: '--z6-c4', scale: 'vus', column: 'activeVus', fmt: count, fill: true },
      { label: 'dropped/s', colorVar: '--z6-bad', scale: 'vus', column: 'dropped', fmt: count, dash: [4, 3] },
    ],
  },
];

const COUNT_INCRS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000, 250000, 500000, 1000000];
const X_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400];

/** In the open model `activeVus` counts requests in flight (results-types.ts): say so. */
function openModel(spec: ChartSpec): ChartSpec {
  if (spec.id !== 'vus') return spec;
  return {
    ...spec,
    title: 'Requests in flight',
    axes: [{ ...spec.axes[0]!, label: 'in flight' }],
    series: spec.series.map((s) => (s.label === 'active VUs' ? { ...s, label: 'in flight' } : s)),
  };
}

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

function withAlpha(color: string, alpha: number): string {
  // Colours are given as #rrggbb in styles.css; anything else is used as-is without fill tint.
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return 'transparent';
  const n = parseInt(m[1]!, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** With the cursor off the chart: the value of the latest sample, or `lastIdx` (the latest whole second). */
function fmtLegend(u: uPlot, sidx: number, v: number | null, idx: number | null, fmt: (v: number) => string, lastIdx: number): string {
  if (idx === null) {
    const col = u.data[sidx];
    const last = col && col.length ? col[Math.min(lastIdx, col.length - 1)] : null;
    return last === null || last === undefined ? '—' : fmt(last);
  }
  return v === null ? '—' : fmt(v);
}

interface Plot {
  spec: ChartSpec;
  plot?: uPlot;
  box: HTMLElement;
  empty: HTMLElement;
}

/** What the charts are drawn with: the theme's colours (CSS custom properties) and font. */
interface Look {
  axis: string;
  grid: string;
  font: string;
  colors: Map<string, string>;
}

/** The time-series charts of one run: all its samples at once, or (live) one `push` per second. */
export class Charts {
  readonly element: HTMLElement;
  private plots: Plot[] = [];
  private readonly series: Series;
  /** Says how much time a point covers once a live series has merged its points. */
  private readonly note: HTMLElement;
  private resize?: ResizeObserver;
  /** The width the charts were last sized for. */
  private width = -1;

  /** `durationSeconds`: the finished run's length, which tells a partial last second in older results. */
  constructor(samples: readonly SecondSample[] | 'live', model?: 'closed' | 'open', durationSeconds?: number) {
    this.series = samples === 'live' ? new Series(MAX_LIVE_POINTS) : Series.of(samples, durationSeconds);
    this.element = h('div', { class: 'z6-charts' });
    for (const spec of model === 'open' ? CHARTS.map(openModel) : CHARTS) {
      const box = h('div', { class: 'z6-chart-plot' });
      const empty = h('p', { class: 'z6-empty' }, 'No samples yet.');
      const fig = h('figure', { class: 'z6-chart', id: `z6-chart-${spec.id}` }, h('figcaption', null, spec.title), box, empty);
      this.element.appendChild(fig);
      this.plots.push({ spec, box, empty });
    }
    this.note = h('p', { class: 'z6-note', id: 'z6-chart-span', hidden: true });
    this.element.appendChild(this.note);
  }

  /** Call once the element is in the document (uPlot measures it). */
  mount(): void {
    this.draw();
    if (typeof ResizeObserver !== 'undefined') {
      // Inside the observer the layout is fresh: reading it there costs nothing.
      this.resize = new ResizeObserver(() => {
        const w = this.element.clientWidth;
        if (w === this.width) return;
        this.width = w;
        for (const p of this.plots) p.plot?.setSize(this.size(p.box));
      });
      this.resize.observe(this.element);
    }
  }

  /** A live run's next second. */
  push(sample: SecondSample): void {
    this.series.push(sample);
    for (const p of this.plots) {
      if (p.plot && this.hasSameSeries(p)) p.plot.setData(this.data(p.spec));
      else this.draw([p]);
    }
    const span = this.series.span;
    // What the charts hold, readable from outside (tests, the panel benchmark).
    this.element.dataset.points = String(this.series.length);
    this.element.dataset.span = String(span);
    this.note.hidden = span === 1;
    if (span > 1) this.note.textContent = `Live, each point covers ${span} s: rates are the mean of those seconds, latency the highest, VUs the last. The finished report shows every second.`;
  }

  /** Re-create with current theme colours (after a light/dark switch). */
  redraw(): void {
    this.draw();
  }

  destroy(): void {
    this.resize?.disconnect();
    for (const p of this.plots) p.plot?.destroy();
  }

  /**
   * Every size and colour is read before any chart is built: each new chart changes the page, and
   * a read after that lays the whole page out again (it was three forced layouts for three charts).
   */
  private draw(plots = this.plots): void {
    const hasData = this.series.length > 0;
    for (const p of plots) {
      p.plot?.destroy();
      p.plot = undefined;
      p.empty.hidden = hasData;
      p.box.hidden = !hasData;
    }
    if (!hasData) return;
    const root = this.element;
    const colors = new Map<string, string>();
    for (const p of plots) for (const s of p.spec.series) colors.set(s.colorVar, cssVar(root, s.colorVar, '#3b82f6'));
    const look: Look = {
      axis: cssVar(root, '--z6-muted', '#666666'),
      grid: cssVar(root, '--z6-grid', '#e5e5e5'),
      font: `11px ${cssVar(root, '--z6-font', 'system-ui, sans-serif')}`,
      colors,
    };
    const sizes = plots.map((p) => this.size(p.box));
    this.width = this.element.clientWidth;
    plots.forEach((p, i) => this.build(p, look, sizes[i]!));
  }

  /** The dropped series only means something in the open model; hidden when never reported. */
  private visibleSeries(spec: ChartSpec): SeriesSpec[] {
    return spec.series.filter((s) => s.column !== 'dropped' || this.series.hasDropped);
  }

  private hasSameSeries(p: { spec: ChartSpec; plot?: uPlot }): boolean {
    return p.plot!.series.length - 1 === this.visibleSeries(p.spec).length;
  }

  /** The series' own arrays (no copy): uPlot reads them again at each setData. */
  private data(spec: ChartSpec): uPlot.AlignedData {
    return [this.series.x, ...this.visibleSeries(spec).map((ser) => this.series.columns[ser.column])] as uPlot.AlignedData;
  }

  private size(box: HTMLElement): { width: number; height: number } {
    return { width: Math.max(240, Math.floor(box.clientWidth || this.element.clientWidth || 600)), height: 200 };
  }

  private build(p: Plot, look: Look, size: { width: number; height: number }): void {
    const { axis: axisColor, grid: gridColor, font } = look;
    const series = this.visibleSeries(p.spec);
    // Read when the legend is drawn, so live updates move it along.
    const lastIdx = () => this.series.lastWholeIndex;
    const opts: uPlot.Options = {
      ...size,
      scales: { x: { time: false }, ...Object.fromEntries(p.spec.axes.map((a) => [a.scale, { auto: true, range: (_u: uPlot, _min: number, max: number) => [0, max > 0 ? max * 1.1 : 1] as uPlot.Range.MinMax }])) },
      axes: [
        // Whole seconds only: samples are per second, so 0.25 s ticks would mean nothing.
        { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor }, font, incrs: X_INCRS, values: (_u, vals) => vals.map((v) => `${v}s`) },
        ...p.spec.axes.map((a) => ({
          scale: a.scale,
          side: a.side ?? 3,
          label: a.label,
          labelFont: font,
          font,
          stroke: axisColor,
          grid: { show: a.side !== 1, stroke: gridColor, width: 1 },
          ticks: { stroke: gridColor },
          size: 56,
          incrs: a.integer ? COUNT_INCRS : undefined,
        })),
      ],
      series: [
        // With the cursor off the chart, the legend shows the latest second (the live values).
        { label: 'time', value: (u: uPlot, v: number | null, _s: number, idx: number | null) => fmtLegend(u, 0, v, idx, (x) => `${x}s`, lastIdx()) },
        ...series.map((s) => {
          const color = look.colors.get(s.colorVar)!;
          return {
            label: s.label,
            scale: s.scale,
            stroke: color,
            width: 2,
            fill: s.fill ? withAlpha(color, 0.12) : undefined,
            dash: s.dash,
            spanGaps: false,
            // Dots only while there are too few samples to draw a line (a live run's first seconds).
            points: { show: (u: uPlot) => u.data[0].length <= 2 },
            value: (u: uPlot, v: number | null, sidx: number, idx: number | null) => fmtLegend(u, sidx, v, idx, s.fmt, lastIdx()),
          };
        }),
      ],
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
    };
    p.plot = new uPlot(opts, this.data(p.spec), p.box);
  }
}
