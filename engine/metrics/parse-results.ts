/**
 * Reading a results JSON back (z6 diff, z6 report, the editor's history): is it JSON, is it a Z6
 * results file, is it a version this z6 reads, and does it have the fields the readers use? Each
 * "no" is one sentence that says what is wrong, for the caller to put after the file's name.
 */
import { RESULTS_VERSION, type Results } from './results-types';

export type ParsedResults = { ok: true; results: Results } | { ok: false; problem: string };

/** The fields every reader relies on, with their JSON types: the rest is optional or display-only. */
const REQUIRED: [string, 'number' | 'string' | 'object' | 'array'][] = [
  ['seed', 'number'],
  ['startedAt', 'string'],
  ['loadSeconds', 'number'],
  ['status', 'string'],
  ['scenario', 'object'],
  ['schedule', 'object'],
  ['totals', 'object'],
  ['totals.issued', 'number'],
  ['totals.succeeded', 'number'],
  ['totals.failed', 'number'],
  ['totals.responses', 'number'],
  ['latency', 'object'],
  ['latency.count', 'number'],
  ['failures', 'object'],
  ['requests', 'array'],
  ['timeseries', 'array'],
  ['assertions', 'array'],
  ['histograms', 'object'],
];
const REQUEST_FIELDS: [string, 'number' | 'string' | 'object'][] = [
  ['name', 'string'],
  ['issued', 'number'],
  ['succeeded', 'number'],
  ['failed', 'number'],
  ['latency', 'object'],
  ['failures', 'object'],
  ['histogram', 'string'],
];

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function at(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

function missing(obj: unknown, fields: readonly [string, string][], prefix: string): string | undefined {
  for (const [path, type] of fields) {
    const v = at(obj, path);
    if (typeOf(v) !== type) return `"${prefix}${path}" is ${v === undefined ? 'missing' : `${typeOf(v)}, not ${type}`}`;
  }
  return undefined;
}

export function parseResults(text: string): ParsedResults {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: text.trim() === '' ? 'is empty, not a results JSON' : `is not JSON (${(e as Error).message})` };
  }
  if (typeOf(v) !== 'object') return { ok: false, problem: `is not a Z6 results file (the JSON is ${typeOf(v) === 'array' ? 'an array' : `a ${typeOf(v)}`}, not an object)` };
  const o = v as Record<string, unknown>;
  if (at(o, 'tool.name') !== 'z6') return { ok: false, problem: 'is not a Z6 results file (it has no "tool": { "name": "z6" })' };
  if (o.version !== RESULTS_VERSION) {
    const newer = typeof o.version === 'number' && o.version > RESULTS_VERSION;
    return {
      ok: false,
      problem: newer
        ? `has results version ${o.version}, newer than this z6 reads (version ${RESULTS_VERSION}): update z6`
        : `has an unsupported results version (${JSON.stringify(o.version) ?? 'none'}; this z6 reads version ${RESULTS_VERSION})`,
    };
  }
  const whole = missing(o, REQUIRED, '');
  if (whole) return { ok: false, problem: `is not a complete Z6 results file: ${whole}` };
  const requests = o.requests as unknown[];
  for (let i = 0; i < requests.length; i++) {
    const bad = missing(requests[i], REQUEST_FIELDS, `requests[${i}].`);
    if (bad) return { ok: false, problem: `is not a complete Z6 results file: ${bad}` };
  }
  return { ok: true, results: v as Results };
}
