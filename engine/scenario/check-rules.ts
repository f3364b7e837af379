/**
 * Rules across keys, on the plain values of a document that parsed: request names and weights,
 * body vs body_file, URL length, tls vs scheme, schedule vs runtime, sequence references.
 */
import { LIMITS, SCHEMA, didYouMean } from './schema';
import { entryLineSpan, keySpan, locate, tableSpan, valueSpan, type Path } from './locate';
import { resolveSchedule } from './resolve-schedule';
import { resolveSimulation } from './resolve-simulation';
import type { DiagnosticSink, RelatedSpec } from './sink';
import type { Span, TomlDocument } from './toml/ast';

type Table = Record<string, unknown>;

export function requestName(r: Table): string {
  return typeof r.name === 'string' ? r.name : `${typeof r.method === 'string' ? r.method : 'GET'} ${typeof r.path === 'string' ? r.path : '/'}`;
}

/** `broken`: sections that already have errors; rules that combine them are skipped. */
export function checkRules(doc: TomlDocument, plain: Table, sink: DiagnosticSink, broken: Set<string>): void {
  const at = (path: Path, fallback: Path = []): Span => keySpan(doc, path) ?? tableSpan(doc, fallback) ?? { start: 0, end: 0 };
  // The other key a rule is about, where it is written (a default that is not written has no place).
  const other = (span: Span | undefined, message: string): RelatedSpec | undefined => (span ? { span, message } : undefined);
  const requests = Array.isArray(plain.requests) ? (plain.requests as Table[]) : [];
  const target = (plain.target ?? {}) as Table;
  const sequence = plain.sequence as Table | undefined;

  // Request names: unique, because reports and [sequence] refer to them.
  const seen = new Map<string, number>();
  requests.forEach((r, i) => {
    const name = requestName(r);
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, i);
      return;
    }
    const header = tableSpan(doc, ['requests', i])!;
    const firstAt = other(typeof requests[first]!.name === 'string' ? valueSpan(doc, ['requests', first, 'name']) : tableSpan(doc, ['requests', first]),
      `request #${first + 1} is named "${name}" here`);
    if (typeof r.name === 'string') {
      const span = valueSpan(doc, ['requests', i, 'name'])!;
      let n = 2;
      while (seen.has(`${name}_${n}`)) n++;
      sink.add(span, 'error', 'duplicate-name', `request name "${name}" is already used by request #${first + 1}; names must be unique`, [
        { title: `Rename to "${name}_${n}"`, edits: [{ span, newText: JSON.stringify(`${name}_${n}`) }], preferred: true },
        { title: `Remove request #${i + 1}`, edits: [{ span: requestBlock(doc, i), newText: '' }] },
      ], [firstAt]);
    } else {
      sink.add(header, 'error', 'duplicate-name', `request #${i + 1} would be named "${name}" like request #${first + 1}; give one of them a name`, [
        { title: `Add name = "${name} #${i + 1}"`, edits: [{ span: { start: sink.afterLine(header.end), end: sink.afterLine(header.end) }, newText: `name = ${JSON.stringify(`${name} #${i + 1}`)}\n` }] },
      ], [firstAt]);
    }
  });

  // Weights: shares are weight / sum, so the sum must be positive (a sequence ignores weights).
  if (requests.length > 0 && !sequence && !broken.has('requests')) {
    const sum = requests.reduce((a, r) => a + (typeof r.weight === 'number' ? r.weight : 1), 0);
    if (!(sum > 0)) {
      const span = valueSpan(doc, ['requests', 0, 'weight']) ?? tableSpan(doc, ['requests', 0])!;
      // Every weight makes up the sum: the first carries the diagnostic, the others are its related places.
      const others = requests.slice(1).map((r, k) => other(valueSpan(doc, ['requests', k + 1, 'weight']), `request #${k + 2} "${requestName(r)}" has weight ${String(r.weight)}`));
      sink.add(span, 'error', 'weights-zero', 'the weights of all requests add up to 0, so no request could ever be chosen; give at least one a positive weight', undefined, others);
    }
  }

  const baseLen = typeof target.base_url === 'string' ? target.base_url.replace(/\/+$/, '').length : 0;
  requests.forEach((r, i) => {
    if (r.body !== undefined && r.body_file !== undefined) {
      const e = locate(doc, ['requests', i, 'body_file'])?.entry;
      sink.add(at(['requests', i, 'body_file']), 'error', 'body-conflict', 'set either body or body_file, not both',
        e ? [{ title: 'Remove body_file', edits: [{ span: sink.wholeLines(entryLineSpan(e)), newText: '' }] }] : undefined,
        [other(keySpan(doc, ['requests', i, 'body']), 'body is set here')]);
    }
    const method = typeof r.method === 'string' ? r.method : 'GET';
    if ((method === 'GET' || method === 'HEAD') && (r.body !== undefined || r.body_file !== undefined)) {
      sink.add(at(['requests', i, r.body !== undefined ? 'body' : 'body_file']), 'warning', 'body-on-get', `a ${method} request with a body: many servers ignore or reject it`,
        undefined, [other(valueSpan(doc, ['requests', i, 'method']), `the method is ${method} here`)]);
    }
    if (typeof r.path === 'string' && baseLen + r.path.length > LIMITS.urlLength) {
      sink.add(valueSpan(doc, ['requests', i, 'path'])!, 'error', 'limit-exceeded', `base_url + path is ${baseLen + r.path.length} characters; the limit is ${LIMITS.urlLength}`,
        undefined, [other(valueSpan(doc, ['target', 'base_url']), `base_url is ${baseLen} characters`)]);
    }
  });

  // tls must agree with the scheme; the scheme wins.
  if (typeof target.tls === 'boolean' && typeof target.base_url === 'string') {
    const https = /^https:/i.test(target.base_url);
    if (target.tls !== https) {
      const span = valueSpan(doc, ['target', 'tls'])!;
      sink.add(span, 'warning', 'tls-scheme-mismatch',
        `tls = ${target.tls} disagrees with base_url's scheme (${https ? 'https' : 'http'}); the scheme wins, so connections ${https ? 'use' : 'do not use'} TLS`,
        [{ title: `Set tls = ${https}`, edits: [{ span, newText: String(https) }], preferred: true },
          { title: `Change base_url to ${target.tls ? 'https' : 'http'}://`, edits: [{ span: valueSpan(doc, ['target', 'base_url'])!, newText: JSON.stringify(target.base_url.replace(/^https?/i, target.tls ? 'https' : 'http')) }] }],
        [other(valueSpan(doc, ['target', 'base_url']), `the scheme is ${https ? 'https' : 'http'} here`)]);
    }
  }
  if (typeof target.ca_bundle === 'string' && typeof target.base_url === 'string' && !/^https:/i.test(target.base_url)) {
    sink.add(at(['target', 'ca_bundle']), 'warning', 'not-applicable', 'ca_bundle has no effect on an http:// target',
      undefined, [other(valueSpan(doc, ['target', 'base_url']), 'the target is http:// here')]);
  }

  // Schedule vs runtime: shared with the model builder so both agree.
  const resolved = broken.has('runtime') || broken.has('schedule')
    ? { problems: [], durationSeconds: undefined }
    : resolveSchedule(plain.runtime as Table | undefined, plain.schedule as Table | undefined);
  for (const p of resolved.problems) {
    // A problem with a key's value points at the value; one with a whole table at its header.
    const span = p.path.length === 0 ? { start: 0, end: Math.max(0, doc.text.search(/\r?\n|$/)) }
      : p.path.length > 1 ? valueSpan(doc, p.path) ?? at(p.path.slice(0, 1)) : at(p.path, p.path);
    sink.add(span, p.severity, p.code, p.message, undefined,
      p.related?.map((r) => other(r.path.length > 1 ? valueSpan(doc, r.path) : tableSpan(doc, r.path), r.message)));
  }
  const duration = resolved.durationSeconds;
  if (duration !== undefined && duration > LIMITS.durationSeconds) {
    sink.add(at(['schedule'], ['schedule']), 'error', 'limit-exceeded', `the schedule lasts ${duration} s; the limit is ${LIMITS.durationSeconds} s (one day)`);
  }

  // Keys that only mean something with some schedule types (schema.ts `schedules`).
  const scheduleType = typeof (plain.schedule as Table | undefined)?.type === 'string' ? ((plain.schedule as Table).type as string) : 'constant';
  for (const section of broken.has('schedule') ? [] : SCHEMA) {
    const table = plain[section.name];
    if (section.kind !== 'table' || section.name.includes('.') || typeof table !== 'object' || table === null) continue;
    for (const k of section.keys) {
      if (!k.schedules || (table as Table)[k.key] === undefined || k.schedules.includes(scheduleType)) continue;
      sink.add(at([section.name, k.key]), 'warning', 'not-applicable',
        `${k.key} has no effect with ${plain.schedule ? `[schedule] type = "${scheduleType}"` : 'no [schedule] (constant VUs)'} (it applies to ${k.schedules.map((t) => `"${t}"`).join(', ')})`);
    }
  }

  const think = plain.think_time as Table | undefined;
  if (think && typeof think.min_ms === 'number' && typeof think.max_ms === 'number' && think.min_ms > think.max_ms) {
    sink.add(valueSpan(doc, ['think_time', 'max_ms'])!, 'error', 'think-time-range', `max_ms (${think.max_ms}) is less than min_ms (${think.min_ms})`,
      undefined, [other(valueSpan(doc, ['think_time', 'min_ms']), `min_ms is ${think.min_ms} here`)]);
  }

  // The simulated target's model (sim://): shared with the model builder, as the schedule is.
  if (!broken.has('target') && !broken.has('simulation') && !broken.has('requests')) {
    for (const p of resolveSimulation(plain).problems) {
      const isTable = p.path[p.path.length - 1] === 'simulation';
      sink.add((isTable ? tableSpan(doc, p.path) : valueSpan(doc, p.path)) ?? at(p.path, p.path), p.severity, p.code, p.message);
    }
  }

  if (sequence) {
    const steps = Array.isArray(sequence.steps) ? (sequence.steps as Table[]) : [];
    if (steps.length === 0) {
      sink.add(tableSpan(doc, ['sequence'])!, 'error', 'missing-steps', 'a [sequence] needs at least one [[sequence.steps]] with a request name',
        [{ title: 'Add a step', edits: [{ span: { start: doc.text.length, end: doc.text.length }, newText: `${doc.text.endsWith('\n') ? '' : '\n'}\n[[sequence.steps]]\nrequest = ${JSON.stringify(requests[0] ? requestName(requests[0]) : 'name')}\n` }] }]);
    }
    const names = requests.map(requestName);
    steps.forEach((st, i) => {
      if (typeof st.request !== 'string' || names.includes(st.request)) return;
      const span = valueSpan(doc, ['sequence', 'steps', i, 'request'])!;
      const guess = didYouMean(st.request, names);
      sink.add(span, 'error', 'unknown-request',
        `no request is named "${st.request}"${guess ? `; did you mean "${guess}"?` : names.length ? `; requests: ${names.map((x) => `"${x}"`).join(', ')}` : ''}`,
        guess ? [{ title: `Change to "${guess}"`, edits: [{ span, newText: JSON.stringify(guess) }], preferred: true }] : undefined);
    });
  }
}

/** The text of the i-th [[requests]] block: its header up to the next header. */
function requestBlock(doc: TomlDocument, i: number): Span {
  const found = locate(doc, ['requests', i]);
  const header = found?.node.type === 'table' ? found.node.header : undefined;
  if (!header) return { start: 0, end: 0 };
  return { start: header.span.start, end: header.bodyEnd };
}
