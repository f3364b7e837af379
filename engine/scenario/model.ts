/**
 * The typed, fully defaulted scenario that the engine runs. Built only from a scenario that
 * validated without errors (see validate.ts), so every field here is already checked.
 */
import type { METHODS } from './schema';
import type { Var } from '../templates/scope';
import type { DataSource } from '../data/source';

export type Method = (typeof METHODS)[number];

export interface RequestSpec {
  /** Position in the file (0-based), stable for reports. */
  index: number;
  name: string;
  method: Method;
  /** As written, e.g. "/api/users?page=1". */
  path: string;
  /** base_url's path prefix + path, e.g. "/v1/api/users?page=1": what goes on the wire. */
  wirePath: string;
  headers: Record<string, string>;
  /** Inline body, or the bytes of body_file (read when the scenario is loaded for a run). */
  body?: string | Uint8Array;
  /** Absolute path of body_file, when given. */
  bodyFile?: string;
  /** body_file_templates: the file is UTF-8 text whose templates are rendered per request. */
  bodyFileTemplates?: boolean;
  timeoutMs: number;
  weight: number;
  /** [requests.extract]: values taken from each response into the VU's variables. */
  extract: ExtractSpec[];
  /** [requests.checks]: named checks on each response. */
  checks: CheckSpec[];
  /** [requests.assertions]: assertions on this request alone. */
  assertions: Assertions;
}

/** One extraction: exactly one source. */
export type ExtractSource =
  | { type: 'json'; path: string }
  | { type: 'header'; name: string }
  | { type: 'cookie'; name: string }
  | { type: 'regex'; pattern: string; group?: number }
  | { type: 'status' };

export interface ExtractSpec {
  name: string;
  source: ExtractSource;
  secret: boolean;
}

export type CheckOperator =
  | { type: 'equals'; value: string | number | boolean }
  | { type: 'matches'; pattern: string }
  | { type: 'contains'; text: string }
  | { type: 'exists'; present: boolean };

/** One check: a subject, and for header/json an operator (exists = true by default). */
export type CheckSubject =
  | { type: 'status'; codes: number[] }
  | { type: 'header'; name: string; op: CheckOperator }
  | { type: 'json'; path: string; op: CheckOperator }
  | { type: 'body_contains'; text: string }
  | { type: 'body_matches'; pattern: string }
  | { type: 'max_ms'; ms: number };

export interface CheckSpec {
  name: string;
  subject: CheckSubject;
  onFail: 'continue' | 'skip_iteration';
  /** Assertion on this check's pass rate. */
  passRateMin?: number;
}

export type Schedule =
  | { type: 'constant'; vus: number }
  | { type: 'ramp'; startVus: number; endVus: number; rampDurationSeconds: number; holdDurationSeconds: number }
  | { type: 'spike'; baselineVus: number; spikeVus: number; spikeStartSeconds: number; spikeDurationSeconds: number }
  | { type: 'steps'; steps: { vus: number; durationSeconds: number }[] }
  | { type: 'arrival_rate'; rate: number; maxInFlight: number }
  | { type: 'ramp_arrival_rate'; startRate: number; endRate: number; rampDurationSeconds: number; holdDurationSeconds: number; maxInFlight: number };

export type ThinkTime =
  | { type: 'none' }
  | { type: 'constant'; durationMs: number }
  | { type: 'random'; minMs: number; maxMs: number };

export interface SequenceStep {
  request: string;
  /** Index into Scenario.requests. */
  requestIndex: number;
  repeat: number;
}

export interface Assertions {
  p50_latency_ms?: number;
  p90_latency_ms?: number;
  p95_latency_ms?: number;
  p99_latency_ms?: number;
  p999_latency_ms?: number;
  error_rate_max?: number;
  success_rate_min?: number;
  rps_min?: number;
  status_5xx_max_rate?: number;
  dropped_rate_max?: number;
  checks_pass_rate_min?: number;
}

export interface AbortRule {
  /** abort_on_fail: stop the run when an assertion has failed for good. */
  onFail: boolean;
  delaySeconds: number;
}

export type DataFormat = 'csv' | 'json' | 'ndjson';
export type DataMode = 'sequential' | 'unique' | 'random' | 'per_vu';
export type OnExhausted = 'stop_vu' | 'stop_run' | 'wrap';

/** One [[data]] entry. */
export interface DataFileSpec {
  /** Position among the [[data]] entries (0-based). */
  index: number;
  /** The `file` value as written (relative), for messages and results. */
  name: string;
  /** Absolute path. */
  file: string;
  format: DataFormat;
  mode: DataMode;
  onExhausted: OnExhausted;
  secret: boolean;
  /** `columns` as written; undefined: every column of the file. */
  columns?: string[];
  /** The opened, indexed file (engine/data/source.ts); set by openDataFiles before a run or plan. */
  source?: DataSource;
}

/** How a simulated target answers one request (engine/sim/): [simulation] with [requests.simulation] over it. */
export interface ResponseModel {
  latency: 'fixed' | 'uniform' | 'lognormal';
  /** fixed: the service time; lognormal: its median. */
  latencyMs: number;
  /** lognormal: the 99th percentile. */
  latencyP99Ms?: number;
  /** uniform: the bounds. */
  latencyMinMs?: number;
  latencyMaxMs?: number;
  errorRate: number;
  errorStatus: number;
  timeoutRate: number;
  resetRate: number;
  connectRate: number;
  responseBytes: number;
}

/** base_url = "sim://NAME": the simulated target's capacity and its answers. */
export interface Simulation {
  /** NAME of sim://NAME. */
  name: string;
  /** Servers; undefined: unlimited. */
  concurrency?: number;
  /** Requests that may wait for a server; undefined: unlimited. */
  queueLimit?: number;
  queueFullStatus: number;
  connectMs: number;
  /** [simulation]'s answers: [[setup]] and [[teardown]] requests get these. */
  answers: ResponseModel;
  /** Per request (Scenario.requests order): its answers, [requests.simulation] over [simulation]. */
  requests: ResponseModel[];
}

export interface Scenario {
  metadata: { name?: string; description?: string; version?: string; author?: string; tags: string[] };
  runtime: {
    /** The run's length in seconds: runtime.duration_seconds, else the schedule's own length; undefined only with iterations. */
    durationSeconds?: number;
    /** The most VUs (or, in the open model, in-flight requests) the run uses. */
    maxVus: number;
    /** From prng_seed; undefined means "pick a random seed at run time". */
    seed?: number;
    iterations?: number;
    /** runtime.workers: worker threads for the load (engine/workers/); undefined: one. */
    workers?: number | 'auto';
  };
  target: {
    baseUrl: string;
    /** scheme://host:port */
    origin: string;
    /** Path prefix from base_url without a trailing slash ("" when none). */
    basePath: string;
    httpVersion: 'http1.1' | 'http2';
    tls: boolean;
    verifyCert: boolean;
    /** Absolute path. */
    caBundle?: string;
    maxConnections?: number;
    connectionTimeoutMs: number;
    connectBackoffMaxMs: number;
    maxRedirects: number;
    /** A cookie jar per VU. */
    cookies: boolean;
    /** target.demo: the run starts the embedded demo target and goes there. */
    demo: boolean;
    /** Stop when no response has come after this many seconds of connect failures (0: never). */
    unreachableStopSeconds: number;
  };
  /** The simulated target, when base_url is sim://NAME; undefined for a real one. */
  simulation?: Simulation;
  /** [vars]: template constants by name. */
  vars: Record<string, Var>;
  /** [[data]]: data files whose columns are template variables. */
  data: DataFileSpec[];
  requests: RequestSpec[];
  /** [[setup]] and [[teardown]]: sent once before and after the load (weight unused). */
  setup: RequestSpec[];
  teardown: RequestSpec[];
  schedule: Schedule;
  thinkTime: ThinkTime;
  sequence?: SequenceStep[];
  /** [sequence] reset_state: clear extracted values and cookies at the start of each pass. */
  resetState: boolean;
  assertions: Assertions;
  abort: AbortRule;
  /** [output]: what the run writes besides its results. */
  output: {
    /** Absolute path of the event log (output.events), when the scenario asks for one. */
    events?: string;
    /** output.events_max_mb in bytes. */
    eventsMaxBytes: number;
  };
  source: {
    /** Absolute path of the scenario file, when it came from one. */
    file?: string;
    /** sha256 of the scenario text (hex), identifying it in results. */
    hash: string;
  };
}
