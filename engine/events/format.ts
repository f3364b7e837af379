/**
 * The event log's format, shared by the writer and the reader (docs/event-log.md): a gzip file of
 * text lines. The first line is the header (JSON), the last the footer (JSON); every line between
 * is one record, its fields separated by tabs:
 *
 *   TYPE  dt  fields…  check
 *
 * - `dt`: µs since the previous record (the first: since the run started), so absolute times
 *   are running sums and the numbers stay short;
 * - `check`: 4 hex digits, a hash of the record's values and of its sequence number, so a record
 *   that was changed, removed or moved is found and named (verify.ts).
 *
 * Records hold only names' indices and numbers: never a header value, a body or a value a
 * template, a data file or an extraction produced.
 */
import { FAILURE_KINDS, type FailureKind } from '../metrics/results-types';

/**
 * Bumped when a record's fields or the footer's hash change meaning. 2: the sha256 also covers
 * the footer's `truncated` and `end` (footerHashed). Format 1 logs (records only) are still read.
 */
export const EVENTS_FORMAT = 2;
export const READABLE_FORMATS: readonly number[] = [1, 2];

/** What the footer's sha256 covers after the header and records (format 2): how the log ended. */
export function footerHashed(f: { truncated: boolean; end?: unknown }): string {
  return JSON.stringify({ truncated: f.truncated, end: f.end });
}

/** Record types: the numeric code the writer buffers; REC_LETTERS[code] starts the line. */
export const VU_START = 1;
export const VU_STOP = 2;
export const ISSUED = 3;
export const OUTCOME = 4;
export const DROPPED = 5;
export const CONNECT = 6;
export const LOAD_END = 7;

export const REC_LETTERS = ['', 'S', 'E', 'I', 'O', 'D', 'C', 'L'] as const;
export type RecordLetter = (typeof REC_LETTERS)[number];

/**
 * An outcome's code in the buffer: an HTTP status as itself (any number ≥ 0), a failure kind as
 * -(1 + its index in FAILURE_KINDS), an interrupted request as INTERRUPTED.
 */
export const INTERRUPTED = -100;
export const INTERRUPTED_TEXT = 'interrupted';

export function kindCode(kind: FailureKind): number {
  return -1 - FAILURE_KINDS.indexOf(kind);
}

/** The text of an outcome code: the status, the kind's name or `interrupted`. */
export function outcomeText(code: number): string {
  if (code >= 0) return String(code);
  if (code === INTERRUPTED) return INTERRUPTED_TEXT;
  return FAILURE_KINDS[-1 - code]!;
}

/** The code of an outcome's text; undefined when it is none of the three. */
export function outcomeCode(text: string): number | undefined {
  if (/^\d{1,9}$/.test(text)) return Number(text);
  if (text === INTERRUPTED_TEXT) return INTERRUPTED;
  const k = FAILURE_KINDS.indexOf(text as FailureKind);
  return k >= 0 ? -1 - k : undefined;
}

/** Absent numbers (no latency, no queue wait…) are written as `-`; in the buffer they are -1. */
export const NONE = -1;

// ---- the per-record check ----------------------------------------------------------------

/**
 * The check is FNV-1a over 32-bit words, finished by murmur3's fmix32 and cut to 16 bits. Each
 * value goes in as two words (low and high 32 bits), so µs counts past 2^32 and negative lags
 * count whole. Starting from the record's sequence number binds each record to its place.
 */
const FNV_PRIME = 0x01000193;

export function checkStart(seq: number, type: number): number {
  return mix(mix(0x811c9dc5, seq), type);
}

export function mix(h: number, v: number): number {
  h = Math.imul(h ^ (v >>> 0), FNV_PRIME);
  return Math.imul(h ^ ((v / 4294967296) | 0), FNV_PRIME);
}

export function checkOf(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0xffff;
}

const HEX = '0123456789abcdef';

export function checkText(c: number): string {
  return HEX[c >>> 12]! + HEX[(c >>> 8) & 15]! + HEX[(c >>> 4) & 15]! + HEX[c & 15]!;
}

// ---- header and footer ---------------------------------------------------------------------

export interface EventLogHeader {
  z6events: number;
  engine: { name: 'z6'; version: string };
  scenario: { name?: string; file?: string; hash: string };
  seed: number;
  /** The plan hash of `z6 plan` for this scenario (with the options below) and seed. */
  planHash: string;
  /** The segment of a run split across processes (z6 run --segment i/n); null for a whole run. */
  segment: { index: number; count: number } | null;
  /** ISO 8601, as the results' startedAt. */
  startedAt: string;
  model: 'closed' | 'open';
  /** What changed the scenario for this run (z6 run --vus, --duration, --smoke) and other run options. */
  options: EventLogOptions;
  /** Where the run wrote its results JSON, when it did (absolute). */
  results?: string;
  /** Request names in scenario order: records give the index. */
  requests: string[];
  /** Per request, its checks' names in order: an outcome's check results follow it. */
  checks: string[][];
  /** Per [[data]] file, in order: an issue's rows follow it. */
  data: { file: string; mode: string; rows: number }[];
  /** The size limit of this file, bytes. */
  maxBytes: number;
}

export interface EventLogOptions {
  vus?: number;
  durationSeconds?: number;
  smoke?: boolean;
  gracefulStopMs?: number;
}

export interface EventLogFooter {
  z6eventsEnd: true;
  /** Records between header and footer. */
  records: number;
  /** Records per type letter. */
  counts: Partial<Record<RecordLetter, number>>;
  /** sha256 (hex) of every byte before the footer (the header line and each record line, newlines included), then (format 2) of footerHashed(this). */
  sha256: string;
  /** The size limit ended the log before the run ended: the records after `records` are missing. */
  truncated: boolean;
  /** How the run ended, when the log lasted to its end: what a report from the log needs beside the records. */
  end?: RunEnd;
}

/** The end of a run, as its results say it. */
export interface RunEnd {
  /** µs from the start (as the records' times) to the run's end. */
  us: number;
  /** ISO 8601, as the results' endedAt (the wall clock when the run ended). */
  endedAt?: string;
  status: 'completed' | 'cancelled' | 'aborted' | 'error';
  endReason?: string;
  abortReason?: string;
  error?: string;
}
