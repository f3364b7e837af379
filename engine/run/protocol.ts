/**
 * Messages between the editor (parent) and `z6 run FILE --ipc` (a child started with
 * child_process.fork). The child sends EngineMessage over process.send; the parent may send
 * ParentMessage. Both sides import these types so they cannot drift apart.
 *
 * Order of child messages: 'started' once, then 'progress' once per second of the run, then
 * exactly one of 'finished' (also after a cancel: results are partial, status 'cancelled') or
 * 'error' (the run could not start or crashed; exitCode says why: 2 invalid scenario, 3 run error).
 * The result files of --out are written only after 'finished' has been sent, so the results are
 * never lost to a full disk or a bad directory; if writing fails, 'output-error' follows and the
 * child exits with 3, as `z6 run` does. The child exits after its last message.
 */
import type { FailureKind, Results, SecondSample } from '../metrics/results-types';

export const PROTOCOL_VERSION = 1;

/** Running totals since the start of the run, sent with every progress sample. */
export interface ProgressTotals {
  /** Seconds since the start. */
  elapsedSeconds: number;
  issued: number;
  succeeded: number;
  failed: number;
  interrupted: number;
  /** Open model: arrivals that found no free slot. */
  dropped: number;
  /** Requests in flight right now. */
  inFlight: number;
  /** VUs active (closed model) or requests in flight (open model) now. */
  activeVus: number;
  /** HTTP responses received so far, of any status. */
  responses: number;
  /** responses / seconds of load so far (the drain after the load stopped does not count), as Results.totals.rps. */
  rps: number;
  /** Latency of the whole run so far, ms; null before the first completed request. */
  p50: number | null;
  p99: number | null;
  /** With checks: evaluations that passed and failed so far. */
  checks?: { passed: number; failed: number };
  /** Per request, in scenario order, counts so far (live outputs label them by request). */
  requests: { issued: number; succeeded: number; failed: number; interrupted: number }[];
  /** Failures so far by kind. */
  failures: Partial<Record<FailureKind, number>>;
}

export interface StartedMessage {
  type: 'started';
  protocol: typeof PROTOCOL_VERSION;
  seed: number;
  /** null when the run ends by iterations rather than time. */
  plannedDurationSeconds: number | null;
  /** Request names in scenario order (RequestStats and per-request views use the same order). */
  requests: string[];
  scenario: { name?: string; file?: string; hash: string };
  model: 'closed' | 'open';
  target: string;
  /** The schedule's type and peak, so the live header says what the final one will (absent from older engines). */
  scheduleType?: string;
  peak?: number;
}

export interface ProgressMessage {
  type: 'progress';
  sample: SecondSample;
  totals: ProgressTotals;
}

/** Something the user should know while the run goes, e.g. that nothing answers at the target. */
export interface NoticeMessage {
  type: 'notice';
  kind: 'unreachable';
  message: string;
}

export interface FinishedMessage {
  type: 'finished';
  results: Results;
  /** What `z6 run` exits with: 0 pass, 1 assertion failed, 130 cancelled. */
  exitCode: number;
}

/** After 'finished': the --out files could not be written. The results in 'finished' stand. */
export interface OutputErrorMessage {
  type: 'output-error';
  /** The --out directory, absolute. */
  dir: string;
  message: string;
}

export interface DiagnosticLine {
  /** 1-based, as printed by `z6 validate`. */
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
}

export interface ErrorMessage {
  type: 'error';
  message: string;
  /** 2 invalid scenario or usage, 3 run error. */
  exitCode: number;
  /** For an invalid scenario: its diagnostics. */
  diagnostics?: DiagnosticLine[];
}

export type EngineMessage = StartedMessage | ProgressMessage | NoticeMessage | FinishedMessage | OutputErrorMessage | ErrorMessage;

/** Stop the run now; in-flight requests are interrupted and the partial results come back in 'finished'. */
export interface CancelMessage {
  type: 'cancel';
}

export type ParentMessage = CancelMessage;

export function isParentMessage(m: unknown): m is ParentMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'cancel';
}
