/**
 * Builds the typed, fully defaulted Scenario from the plain values that smol-toml parsed.
 * Only called for a document without errors, so the values have been checked already.
 */
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import { requestName } from './check-rules';
import { dataFormatOf } from '../data/format';
import type { Assertions, DataFileSpec, DataFormat, DataMode, Method, OnExhausted, RequestSpec, Scenario, SequenceStep, ThinkTime } from './model';
import { resolveSchedule } from './resolve-schedule';
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

export function buildScenario(text: string, plain: Table, file?: string): Scenario {
  const meta = (plain.metadata ?? {}) as Table;
  const runtime = (plain.runtime ?? {}) as Table;
  const target = plain.target as Table;
  const rel = (p: string) => (file && !isAbsolute(p) ? resolve(dirname(file), p) : p);

  const url = new URL(target.base_url as string);
  const basePath = url.pathname.replace(/\/+$/, '');
  const requests: RequestSpec[] = (plain.requests as Table[]).map((r, index) => {
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
    };
    if (typeof r.body === 'string') spec.body = r.body;
    if (typeof r.body_file === 'string') spec.bodyFile = rel(r.body_file);
    return spec;
  });

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
    },
    target: {
      baseUrl: target.base_url as string,
      origin: url.origin,
      basePath,
      httpVersion: (target.http_version as 'http1.1' | 'http2' | undefined) ?? 'http1.1',
      tls: url.protocol === 'https:',
      verifyCert: (target.verify_cert as boolean | undefined) ?? true,
      caBundle: typeof target.ca_bundle === 'string' ? rel(target.ca_bundle) : undefined,
      maxConnections: target.max_connections as number | undefined,
      connectionTimeoutMs: (target.connection_timeout_ms as number | undefined) ?? dflt('target', 'connection_timeout_ms'),
      connectBackoffMaxMs: (target.connect_backoff_max_ms as number | undefined) ?? dflt('target', 'connect_backoff_max_ms'),
      maxRedirects: (target.max_redirects as number | undefined) ?? dflt('target', 'max_redirects'),
    },
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
    schedule: resolved.schedule!,
    thinkTime,
    sequence,
    assertions: { ...((plain.assertions as Assertions | undefined) ?? {}) },
    source: { file, hash: createHash('sha256').update(text).digest('hex') },
  };
  return scenario;
}
