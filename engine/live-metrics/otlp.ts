/**
 * Live metrics out over OTLP/HTTP (JSON), through the OpenTelemetry SDK — so a run, or each
 * segment of a distributed run, can be watched where teams already watch things (an OpenTelemetry
 * Collector, Grafana, Datadog, Honeycomb…). Loaded only when `--otlp` asks for it.
 *
 * What is sent: observable instruments read from the engine's per-second progress — cumulative
 * counters (requests by request and outcome, responses, failures by kind, dropped arrivals, checks)
 * and gauges of the last whole second (responses/s, active VUs, in flight, p50/p95/p99 latency).
 * Every point carries the run's resource attributes (run id, scenario, seed, segment), so the
 * segments of one run add up in the backend. After the run the counters are set from the final
 * results and flushed once more: the last export equals the results JSON.
 *
 * A collector that is down or slow never fails or stalls the run: export errors are counted and
 * reported once, and the final flush is bounded in time.
 */
import type { Attributes, ObservableResult } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type AggregationTemporality, type InstrumentType, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ProgressTotals } from '../run/protocol';
import type { Results, SecondSample } from '../metrics/results-types';

export interface OtlpRunInfo {
  /** Shared by every segment of one distributed run (Z6_RUN_ID), else a fresh id. */
  runId: string;
  scenarioName: string;
  scenarioHash: string;
  seed: number;
  /** "i/n" when the run is one segment of a larger one. */
  segment?: string;
  requestNames: readonly string[];
}

export interface OtlpOptions {
  /** The OTLP/HTTP metrics endpoint, e.g. http://collector:4318/v1/metrics. */
  url: string;
  /** How often the SDK exports; OTEL_METRIC_EXPORT_INTERVAL or 1 s (the engine's own resolution). */
  intervalMs?: number;
  /** Called once, at the first failed export (the run goes on). */
  onError?: (message: string) => void;
}

/** What the instruments read: the latest progress, replaced by the final figures at the end. */
interface Snapshot {
  requests: { issued: number; succeeded: number; failed: number; interrupted: number }[];
  responses: number;
  failures: Partial<Record<string, number>>;
  dropped: number;
  checks?: { passed: number; failed: number };
  rps: number | null;
  activeVus: number;
  inFlight: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Wraps the OTLP exporter to notice failed exports, which the SDK otherwise drops silently. */
class WatchedExporter implements PushMetricExporter {
  failures = 0;
  lastError = '';
  constructor(private readonly inner: OTLPMetricExporter, private readonly onFirstError: (m: string) => void) {}
  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    this.inner.export(metrics, (result) => {
      if (result.error) {
        this.lastError = result.error.message;
        if (this.failures++ === 0) this.onFirstError(result.error.message);
      }
      done(result);
    });
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  selectAggregationTemporality(type: InstrumentType): AggregationTemporality {
    return this.inner.selectAggregationTemporality(type);
  }
}

export class OtlpLiveMetrics {
  private snap: Snapshot | undefined;
  private readonly provider: MeterProvider;
  private readonly exporter: WatchedExporter;

  constructor(private readonly run: OtlpRunInfo, opts: OtlpOptions) {
    const intervalMs = opts.intervalMs ?? (Number(process.env.OTEL_METRIC_EXPORT_INTERVAL) || 1000);
    this.exporter = new WatchedExporter(new OTLPMetricExporter({ url: opts.url, timeoutMillis: Math.max(1000, intervalMs) }), (m) =>
      opts.onError?.(`OTLP export to ${opts.url} failed: ${m} (the run goes on)`),
    );
    this.provider = new MeterProvider({
      resource: resourceFromAttributes({
        'service.name': 'z6',
        'z6.run.id': run.runId,
        'z6.scenario.name': run.scenarioName,
        'z6.scenario.hash': run.scenarioHash,
        'z6.seed': run.seed,
        ...(run.segment ? { 'z6.segment': run.segment } : {}),
      }),
      readers: [new PeriodicExportingMetricReader({ exporter: this.exporter, exportIntervalMillis: intervalMs, exportTimeoutMillis: Math.max(1000, intervalMs) })],
    });
    this.instruments();
  }

  private instruments(): void {
    const meter = this.provider.getMeter('z6');
    const counter = (name: string, unit: string, description: string, read: (s: Snapshot, o: ObservableResult<Attributes>) => void) =>
      meter.createObservableCounter(name, { unit, description }).addCallback((o) => {
        if (this.snap) read(this.snap, o);
      });
    const gauge = (name: string, unit: string, description: string, read: (s: Snapshot, o: ObservableResult<Attributes>) => void) =>
      meter.createObservableGauge(name, { unit, description }).addCallback((o) => {
        if (this.snap) read(this.snap, o);
      });
    counter('z6.requests', '{request}', 'Requests ended so far, by request and outcome (issued = succeeded + failed + interrupted).', (s, o) => {
      s.requests.forEach((q, i) => {
        const request = this.run.requestNames[i] ?? `#${i + 1}`;
        o.observe(q.succeeded, { request, outcome: 'succeeded' });
        o.observe(q.failed, { request, outcome: 'failed' });
        o.observe(q.interrupted, { request, outcome: 'interrupted' });
      });
    });
    counter('z6.requests.issued', '{request}', 'Requests issued so far, by request.', (s, o) =>
      s.requests.forEach((q, i) => o.observe(q.issued, { request: this.run.requestNames[i] ?? `#${i + 1}` })),
    );
    counter('z6.responses', '{response}', 'HTTP responses of any status received so far.', (s, o) => o.observe(s.responses));
    counter('z6.failures', '{request}', 'Failed requests so far, by failure kind.', (s, o) => {
      for (const [kind, n] of Object.entries(s.failures)) if (n) o.observe(n, { kind });
    });
    counter('z6.dropped', '{arrival}', 'Open model: arrivals that found no free slot.', (s, o) => o.observe(s.dropped));
    counter('z6.checks', '{check}', 'Check evaluations so far, by result.', (s, o) => {
      if (!s.checks) return;
      o.observe(s.checks.passed, { result: 'passed' });
      o.observe(s.checks.failed, { result: 'failed' });
    });
    gauge('z6.rps', '{response}/s', 'Responses per second in the last whole second.', (s, o) => {
      if (s.rps !== null) o.observe(s.rps);
    });
    gauge('z6.vus', '{vu}', 'Active VUs (closed model) or requests in flight (open model).', (s, o) => o.observe(s.activeVus));
    gauge('z6.in_flight', '{request}', 'Requests in flight.', (s, o) => o.observe(s.inFlight));
    gauge('z6.latency', 'ms', 'Latency of the requests completed in the last second, by quantile.', (s, o) => {
      if (s.p50 !== null) o.observe(s.p50, { quantile: 'p50' });
      if (s.p95 !== null) o.observe(s.p95, { quantile: 'p95' });
      if (s.p99 !== null) o.observe(s.p99, { quantile: 'p99' });
    });
  }

  /** Each closed second (the engine's onProgress). */
  update(sample: SecondSample, totals: ProgressTotals): void {
    this.snap = {
      requests: totals.requests,
      responses: totals.responses,
      failures: totals.failures,
      dropped: totals.dropped,
      checks: totals.checks,
      rps: sample.rps,
      activeVus: totals.activeVus,
      inFlight: totals.inFlight,
      p50: sample.p50,
      p95: sample.p95,
      p99: sample.p99,
    };
  }

  /**
   * The final figures (equal to the results JSON), one last export, and shutdown — within
   * `limitMs`, so a collector that hangs cannot hold the CLI. Returns a problem to report, if any.
   */
  async finish(r: Results, limitMs = 5000): Promise<string | undefined> {
    const last = r.timeseries.at(-1);
    this.snap = {
      requests: r.requests.map((q) => ({ issued: q.issued, succeeded: q.succeeded, failed: q.failed, interrupted: q.interrupted })),
      responses: r.totals.responses,
      failures: r.failures,
      dropped: r.totals.dropped,
      checks: r.totals.checks ? { passed: r.totals.checks.passed, failed: r.totals.checks.failed } : undefined,
      rps: this.snap?.rps ?? null,
      activeVus: 0,
      inFlight: 0,
      p50: last?.p50 ?? null,
      p95: last?.p95 ?? null,
      p99: last?.p99 ?? null,
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((res) => (timer = setTimeout(() => res('timeout'), limitMs)));
    try {
      const how = await Promise.race([this.provider.forceFlush().then(() => this.provider.shutdown()).then(() => 'done' as const), timedOut]);
      if (how === 'timeout') return `OTLP: the final export did not finish within ${limitMs / 1000} s`;
      if (this.exporter.failures > 0) return `OTLP: ${this.exporter.failures} export(s) failed, the last with: ${this.exporter.lastError}`;
      return undefined;
    } catch (e) {
      return `OTLP: the final export failed: ${(e as Error).message}`;
    } finally {
      clearTimeout(timer);
    }
  }
}
