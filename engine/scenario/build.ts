/**
 * Builds the typed, fully defaulted Scenario from the plain values that smol-toml parsed.
 * Only called for a document without errors, so the values have been checked already.
 */
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import { requestName } from './check-rules';
import { dataFormatOf } from '../data/format';
import type { Assertions, CheckOperator, CheckSpec, CheckSubject, DataFileSpec, DataFormat, DataMode, ExtractSource, ExtractSpec, Method, OnExhausted, RequestSpec, Scenario, SequenceStep, ThinkTime } from './model';
import { resolveSchedule } from './resolve-schedule';
import { resolveSimulation } from './resolve-simulation';
import { keySpec } from './schema';
import type { Value } from '../templates/builtins';
import type { Var } from '../templates/scope';

type Table = Record<string, unknown>;

/** [vars] entries: a scalar, or { value = …, secret = true }. */
function varsOf(vars: Table | undefined): Record<string, Var> {
  const out: Record<string, Var> = {};
  for (const [name, v] of Object.entries(vars ?? {})) {
    out[name] = typeof v === 'object' && v !== null ? { value: (v as Table).value as Value, secret: (v as Table).secret === true } : { value: v as Value, secret: false };
  }
  return out;
}

const dflt = (section: string, key: string): number => keySpec(section, key)!.default as number;

function extractsOf(t: Table | undefined): ExtractSpec[] {
  return Object.entries(t ?? {}).map(([name, v]) => {
    const e = v as Table;
    const source: ExtractSource = typeof e.json === 'string' ? { type: 'json', path: e.json }
      : typeof e.header === 'string' ? { type: 'header', name: e.header }
        : typeof e.cookie === 'string' ? { type: 'cookie', name: e.cookie }
          : typeof e.regex === 'string' ? { type: 'regex', pattern: e.regex, group: e.group as number | undefined }
            : { type: 'status' };
    return { name, source, secret: e.secret === true };
  });
}

function operatorOf(c: Table): CheckOperator {
  if (c.equals !== undefined) return { type: 'equals', value: c.equals as string | number | boolean };
  if (typeof c.matches === 'string') return { type: 'matches', pattern: c.matches };
  if (typeof c.contains === 'string') return { type: 'contains', text: c.contains };
  return { type: 'exists', present: c.exists !== false };
}

function checksOf(t: Table | undefined): CheckSpec[] {
  return Object.entries(t ?? {}).map(([name, v]) => {
    const c = v as Table;
    const subject: CheckSubject = c.status !== undefined ? { type: 'status', codes: (Array.isArray(c.status) ? c.status : [c.status]) as number[] }
      : typeof c.header === 'string' ? { type: 'header', name: c.header, op: operatorOf(c) }
        : typeof c.json === 'string' ? { type: 'json', path: c.json, op: operatorOf(c) }
          : typeof c.body_contains === 'string' ? { type: 'body_contains', text: c.body_contains }
            : typeof c.body_matches === 'string' ? { type: 'body_matches', pattern: c.body_matches }
              : { type: 'max_ms', ms: c.max_ms as number };
    const spec: CheckSpec = { name, subject, onFail: c.on_fail === 'skip_iteration' ? 'skip_iteration' : 'continue' };
    if (typeof c.pass_rate_min === 'number') spec.passRateMin = c.pass_rate_min;
    return spec;
  });
}

/** [assertions] without the keys that are not thresholds (abort_on_fail, abort_delay_seconds). */
function assertionsOf(t: Table | undefined): Assertions {
  const { abort_on_fail: _a, abort_delay_seconds: _d, ...rest } = t ?? {};
  return rest as Assertions;
}

export function buildScenario(text: string, plain: Table, file?: string): Scenario {
  const meta = (plain.metadata ?? {}) as Table;
  const runtime = (plain.runtime ?? {}) as Table;
  const target = plain.target as Table;
  const output = (plain.output ?? {}) as Table;
  const rel = (p: string) => (file && !isAbsolute(p) ? resolve(dirname(file), p) : p);

  const url = new URL(target.base_url as string);
  const basePath = url.pathname.replace(/\/+$/, '');
  const requestOf = (r: Table, index: number): RequestSpec => {
    const path = r.path as string;
    const spec: RequestSpec = {
      index,
      name: requestName(r),
      method: (r.method as Method | undefined) ?? 'GET',
      path,
      wirePath: basePath + path,
      headers: { ...((r.headers as Record<string, string> | undefined) ?? {}) },
      timeoutMs: (r.timeout_ms as number | undefined) ?? dflt('requests', 'timeout_ms'),
      weight: (r.weight as number | undefined) ?? dflt('requests', 'weight'),
      extract: extractsOf(r.extract as Table | undefined),
      checks: checksOf(r.checks as Table | undefined),
      assertions: { ...((r.assertions as Assertions | undefined) ?? {}) },
    };
    if (typeof r.body === 'string') spec.body = r.body;
    if (typeof r.body_file === 'string') spec.bodyFile = rel(r.body_file);
    if (r.body_file_templates === true) spec.bodyFileTemplates = true;
    return spec;
  };
  const requests = (plain.requests as Table[]).map(requestOf);
  const setup = ((plain.setup as Table[] | undefined) ?? []).map(requestOf);
  const teardown = ((plain.teardown as Table[] | undefined) ?? []).map(requestOf);

  const resolved = resolveSchedule(plain.runtime as Table | undefined, plain.schedule as Table | undefined);
  const think = plain.think_time as Table | undefined;
  const thinkTime: ThinkTime = !think ? { type: 'none' }
    : think.type === 'constant' ? { type: 'constant', durationMs: think.duration_ms as number }
      : { type: 'random', minMs: think.min_ms as number, maxMs: think.max_ms as number };

  const seq = plain.sequence as Table | undefined;
  const names = requests.map((r) => r.name);
  const sequence: SequenceStep[] | undefined = seq
    ? (seq.steps as Table[]).map((st) => ({ request: st.request as string, requestIndex: names.indexOf(st.request as string), repeat: (st.repeat as number | undefined) ?? 1 }))
    : undefined;

  const scenario: Scenario = {
    metadata: {
      name: meta.name as string | undefined,
      description: meta.description as string | undefined,
      version: meta.version as string | undefined,
      author: meta.author as string | undefined,
      tags: (meta.tags as string[] | undefined) ?? [],
    },
    runtime: {
      durationSeconds: resolved.durationSeconds,
      maxVus: Math.max(1, (runtime.vus as number | undefined) ?? resolved.peak),
      seed: runtime.prng_seed as number | undefined,
      iterations: runtime.iterations as number | undefined,
      workers: runtime.workers as number | 'auto' | undefined,
    },
    target: {
      baseUrl: target.base_url as string,
      // sim://NAME has no origin in URL's sense ("null"): the scheme and name stand for it.
      origin: url.protocol === 'sim:' ? `sim://${url.host}` : url.origin,
      basePath,
      httpVersion: (target.http_version as 'http1.1' | 'http2' | undefined) ?? 'http1.1',
      tls: url.protocol === 'https:',
      verifyCert: (target.verify_cert as boolean | undefined) ?? true,
      caBundle: typeof target.ca_bundle === 'string' ? rel(target.ca_bundle) : undefined,
      maxConnections: target.max_connections as number | undefined,
      connectionTimeoutMs: (target.connection_timeout_ms as number | undefined) ?? dflt('target', 'connection_timeout_ms'),
      connectBackoffMaxMs: (target.connect_backoff_max_ms as number | undefined) ?? dflt('target', 'connect_backoff_max_ms'),
      maxRedirects: (target.max_redirects as number | undefined) ?? dflt('target', 'max_redirects'),
      cookies: (target.cookies as boolean | undefined) ?? true,
      demo: target.demo === true,
      unreachableStopSeconds: (target.unreachable_stop_seconds as number | undefined) ?? dflt('target', 'unreachable_stop_seconds'),
    },
    simulation: resolveSimulation(plain).simulation,
    vars: varsOf(plain.vars as Table | undefined),
    data: ((plain.data as Table[] | undefined) ?? []).map((d, index): DataFileSpec => ({
      index,
      name: d.file as string,
      file: rel(d.file as string),
      // The validator refused a file whose format it cannot tell.
      format: (d.format as DataFormat | undefined) ?? dataFormatOf(d.file as string)!,
      mode: (d.mode as DataMode | undefined) ?? (keySpec('data', 'mode')!.default as DataMode),
      onExhausted: (d.on_exhausted as OnExhausted | undefined) ?? (keySpec('data', 'on_exhausted')!.default as OnExhausted),
      secret: d.secret === true,
      columns: d.columns as string[] | undefined,
    })),
    requests,
    setup,
    teardown,
    schedule: resolved.schedule!,
    thinkTime,
    sequence,
    resetState: (seq?.reset_state as boolean | undefined) ?? true,
    assertions: assertionsOf(plain.assertions as Table | undefined),
    abort: {
      onFail: (plain.assertions as Table | undefined)?.abort_on_fail === true,
      delaySeconds: ((plain.assertions as Table | undefined)?.abort_delay_seconds as number | undefined) ?? 0,
    },
    output: {
      events: typeof output.events === 'string' ? rel(output.events) : undefined,
      eventsMaxBytes: Math.round(((output.events_max_mb as number | undefined) ?? dflt('output', 'events_max_mb')) * 1024 * 1024),
    },
    source: { file, hash: createHash('sha256').update(text).digest('hex') },
  };
  return scenario;
}
