/**
 * The versioned results JSON of one run (decisions §4). The CLI summary, the CSV, the HTML
 * report and the editor's results panel are all rendered from this one shape.
 */

export const RESULTS_VERSION = 1;

/** 'template': a request whose template could not be rendered (a value missing at run time); it was never sent. */
export type FailureKind = 'http_4xx' | 'http_5xx' | 'timeout' | 'connect' | 'dns' | 'tls' | 'reset' | 'protocol' | 'redirect' | 'template' | 'other';
export const FAILURE_KINDS: readonly FailureKind[] = ['http_4xx', 'http_5xx', 'timeout', 'connect', 'dns', 'tls', 'reset', 'protocol', 'redirect', 'template', 'other'];

/**
 * The failure kind a response with this status counts as (the Recorder's rule, which it applies
 * inline on its hot path): none for 100–399, http_4xx, http_5xx, and protocol for a status
 * outside 100–599 (RFC 9110 §15 defines no other).
 */
export function statusFailureKind(status: number): FailureKind | undefined {
  if (status >= 100 && status < 400) return undefined;
  if (status >= 400 && status < 500) return 'http_4xx';
  return status >= 500 && status < 600 ? 'http_5xx' : 'protocol';
}

export interface LatencySummary {
  /** All in milliseconds (recorded as integer microseconds). */
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  /** Samples in the histogram (completed requests that got a response or failed after sending). */
  count: number;
}

export interface RequestStats {
  name: string;
  method: string;
  path: string;
  issued: number;
  succeeded: number;
  failed: number;
  interrupted: number;
  /** HTTP responses (any status) to this request; absent in older results. */
  responses?: number;
  latency: LatencySummary;
  failures: Partial<Record<FailureKind, number>>;
  /** Redirect hops followed (each request's final response is what counts); absent in older results. */
  redirects?: number;
  /** HDR histogram of latency in µs, hdr-histogram-js compressed base64. */
  histogram: string;
}

export interface SecondSample {
  /** Seconds since the start of the run (the sample covers [t, t+1), or [t, t+seconds)). */
  t: number;
  /** Requests completed in this second (responses and failures). */
  requests: number;
  /** HTTP responses (any status) received in this second: the raw count, also for a partial second. */
  responses: number;
  /**
   * Responses per second: `responses` of a whole second; null for a partial second (the run
   * ended inside it), whose count is never extrapolated to a rate.
   */
  rps: number | null;
  /** Only on a partial second (the last one): how long it lasted, in seconds (< 1). */
  seconds?: number;
  /** True when the second began after the load stopped: only the drain (in-flight requests finishing). */
  afterLoad?: boolean;
  failures: number;
  /** Latency in ms of the requests completed in this second; null when none completed. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** VUs active (closed model) or requests in flight (open model) at the end of the second. */
  activeVus: number;
  /** Open model: arrivals dropped this second. */
  dropped?: number;
  /** With checks: evaluations that passed and failed this second. */
  checksPassed?: number;
  checksFailed?: number;
}

export interface CheckStats {
  /** The check's name, as written in [requests.checks]. */
  name: string;
  /** The request it belongs to. */
  request: string;
  passed: number;
  failed: number;
  /** passed / (passed + failed); null when never evaluated. */
  passRate: number | null;
}

/** One [[setup]] or [[teardown]] request: sent once, outside the load figures. */
export interface PhaseRequestResult {
  name: string;
  ok: boolean;
  /** The final status, null when no response came. */
  status: number | null;
  latencyMs: number | null;
  /** Why it failed (no response, HTTP status ≥ 400, a failed check, an extraction that found nothing). */
  error?: string;
}

export interface AssertionResult {
  /** Key as written in [assertions], e.g. "p99_latency_ms". */
  key: string;
  /**
   * What the assertion is about, when not the whole run: a request ([requests.assertions]) or
   * one check (its pass_rate_min). Absent for [assertions].
   */
  scope?: { request: string; check?: string };
  description: string;
  /** "<=" or ">=". */
  op: '<=' | '>=';
  expected: number;
  /** null when it could not be measured (e.g. no completed request). */
  actual: number | null;
  pass: boolean;
}

/** Per [[data]] file, in the results. */
export interface DataFileStats {
  /** The `file` value as written. */
  file: string;
  mode: 'sequential' | 'unique' | 'random' | 'per_vu';
  /** mode = "unique": what happens when the rows run out. */
  onExhausted?: 'stop_vu' | 'stop_run' | 'wrap';
  rows: number;
  /** Rows drawn over the run: one per VU iteration that rendered templates (open model: per arrival). */
  drawn: number;
  /** mode = "unique" (without wrap): every row was used before the run ended. */
  exhausted?: boolean;
}

export interface Results {
  version: typeof RESULTS_VERSION;
  tool: { name: 'z6'; version: string };
  scenario: { name?: string; file?: string; hash: string };
  seed: number;
  /** ISO 8601. */
  startedAt: string;
  endedAt: string;
  durationSeconds: number;
  /**
   * The load window, in seconds: from the start to the moment the load stopped (end of the
   * duration, last iteration done, or cancel), without the drain after it. `totals.rps` divides by it.
   */
  loadSeconds: number;
  /** How the run ended ('aborted': abort_on_fail stopped it, `abortReason` says why). */
  status: 'completed' | 'cancelled' | 'error' | 'aborted';
  /** With status 'aborted': which assertion failed, and when. */
  abortReason?: string;
  /**
   * Why a completed run ended before its duration, when a data file ended it (a unique file
   * with on_exhausted = stop_run, or stop_vu once every VU stopped). The status stays 'completed':
   * running out of rows is what the scenario declared, not a failure.
   */
  endReason?: string;
  /**
   * Present when this run was one segment of a larger one (z6 run --segment i/n): it ran the VUs or
   * arrivals i, i+n, i+2n, … of the plan; `z6 merge` adds the segments up (docs/segments.md).
   */
  segment?: { index: number; count: number };
  /** z6 run --workers N: the run (or segment) ran in N worker threads, merged into these results. */
  workers?: number;
  /** A merge of segments (z6 merge): how many were merged, and which were missing (--allow-partial). */
  merged?: { segments: number; count: number; missing: number[] };
  schedule: { type: string; plannedDurationSeconds: number | null; peakVus: number; model: 'closed' | 'open' };
  target: { baseUrl: string; httpVersion: string };
  totals: {
    /** issued = succeeded + failed + interrupted, always. */
    issued: number;
    succeeded: number;
    failed: number;
    interrupted: number;
    /** Open model only: arrivals that found no free slot. */
    dropped: number;
    /** dropped / offered arrivals (offered = issued + dropped); 0 in the closed model, which never drops. */
    droppedRate: number;
    /** HTTP responses received, of any status (refused connects, timeouts and resets are not responses). */
    responses: number;
    /** responses / loadSeconds. */
    rps: number;
    errorRate: number;
    successRate: number;
    bytesReceived: number;
    connectionsOpened: number;
    /** Redirect hops followed within the target (max_redirects); absent in older results. */
    redirects?: number;
    /** With checks: every evaluation of every check. */
    checks?: { passed: number; failed: number; passRate: number | null };
  };
  latency: LatencySummary;
  /** Open model: latency measured from the intended start time (coordinated omission visible). */
  latencyFromIntended?: LatencySummary;
  /** Open model: how far behind schedule requests started, ms. */
  schedulingLag?: { mean: number; p99: number; max: number };
  connectTime?: LatencySummary;
  /**
   * When VUs share fewer HTTP/1.1 connections (max_connections): how long requests waited for a
   * free connection, from being issued to being handed to one. Part of their latency.
   */
  queueWait?: LatencySummary;
  statusCodes: Record<string, number>;
  failures: Partial<Record<FailureKind, number>>;
  /** A few example messages per failure kind, for the reader. */
  failureSamples: Partial<Record<FailureKind, string[]>>;
  requests: RequestStats[];
  /** [[setup]] and [[teardown]] requests, when the scenario has them. */
  setup?: PhaseRequestResult[];
  teardown?: PhaseRequestResult[];
  /** Every check of every request, in scenario order (empty without checks). */
  checks?: CheckStats[];
  /** Per [[data]] file: its rows and how many were drawn (absent without data files). */
  data?: DataFileStats[];
  timeseries: SecondSample[];
  assertions: AssertionResult[];
  /** perSecond: a segment's latency histogram of each second of `timeseries` ('' when it had none), for z6 merge. */
  histograms: { latency: string; latencyFromIntended?: string; connect?: string; queueWait?: string; perSecond?: string[]; schedulingLag?: string };
  /** Generator health: mean event-loop utilisation and CPU, so an overloaded generator is visible. */
  generator?: { cpuPercent: number; eventLoopUtilization: number; warning?: string };
  error?: string;
  /**
   * Only in results that `z6 report --filter` wrote: what was selected, and what that means for
   * the figures (which were recomputed, which are still the whole run's, which were left out).
   */
  filter?: { applied: string; notes: string[] };
}
