/**
 * Checks the TOML tree against the key table: unknown sections and keys (with "did you mean"),
 * types, enum values, ranges, formats, required keys and keys that do not apply to the chosen
 * `type`. Works on a partial tree too, so a half-typed document still gets these.
 */
import { isAbsolute, resolve, dirname } from 'node:path';
import type { FileKind } from './file-kind';
import { LIMITS, SCHEMA, didYouMean, sectionSpec, type KeySpec, type SectionSpec, type UserKeySpec } from './schema';
import { parseTemplate } from '../templates/parse';
import { jsonPathProblem, regexProblem } from './patterns';
import type { DiagnosticSink } from './sink';
import type { Entry, ScalarNode, TableNode, TomlDocument, ValueNode } from './toml/ast';

export interface SchemaCheckOptions {
  file?: string;
  fileKind?: (absolutePath: string) => FileKind;
  /** Skip "missing required key" while the document has syntax errors: the key may be on a broken line. */
  skipRequired: boolean;
}

const TOP = SCHEMA.filter((s) => !s.name.includes('.'));

export function checkSchema(doc: TomlDocument, sink: DiagnosticSink, opts: SchemaCheckOptions): void {
  for (const [name, entry] of doc.root.entries) {
    const spec = sectionSpec(name);
    if (!spec || name.includes('.')) {
      unknownSection(entry, sink);
      continue;
    }
    checkSection(spec, entry, sink, opts);
  }
  if (opts.skipRequired) return;
  for (const spec of TOP) {
    if (!spec.required || doc.root.entries.has(spec.name)) continue;
    const header = spec.kind === 'array' ? `[[${spec.name}]]` : `[${spec.name}]`;
    const at = doc.text.length;
    const sep = doc.text.length === 0 || doc.text.endsWith('\n\n') ? '' : doc.text.endsWith('\n') ? '\n' : '\n\n';
    sink.add({ start: 0, end: Math.min(doc.text.length, firstLineLength(doc.text)) }, 'error', 'missing-section',
      `the scenario has no ${header} section: ${lowerFirst(spec.summary)}`,
      [{ title: `Add ${header}`, edits: [{ span: { start: at, end: at }, newText: `${sep}${spec.example}\n` }], preferred: true }]);
  }
}

/** "The system under test." -> "the system under test" (for use inside a sentence). */
function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1).replace(/\.$/, '');
}

function firstLineLength(text: string): number {
  const i = text.search(/\r?\n/);
  return i === -1 ? text.length : i;
}

function unknownSection(entry: Entry, sink: DiagnosticSink): void {
  const isSection = entry.value.type === 'table' || (entry.value.type === 'array' && entry.value.ofTables);
  const guess = didYouMean(entry.key, TOP.map((s) => s.name));
  const what = isSection ? `unknown section [${entry.key}]` : `'${entry.key}' is outside of any section`;
  const message = isSection
    ? `${what}${guess ? `; did you mean [${guess}]?` : `; known sections: ${TOP.map((s) => s.name).join(', ')}`}`
    : `${what}: keys belong in a section such as [runtime] or [target]${guess ? ` (did you mean [${guess}]?)` : ''}`;
  const fixes = isSection && guess ? [{ title: `Change to [${guess}]`, edits: [{ span: entry.keySpan, newText: guess }], preferred: true }] : undefined;
  sink.add(entry.keySpan, 'error', isSection ? 'unknown-section' : 'unknown-key', message, fixes);
  // Sections of array tables repeat their header: flag every header of the unknown name.
  if (entry.value.type === 'array' && entry.value.ofTables) {
    for (const item of entry.value.items.slice(1)) {
      const h = (item as TableNode).header;
      if (h) sink.add(h.keys[0]!.span, 'error', 'unknown-section', message, guess ? [{ title: `Change to [[${guess}]]`, edits: [{ span: h.keys[0]!.span, newText: guess }], preferred: true }] : undefined);
    }
  }
}

function checkSection(spec: SectionSpec, entry: Entry, sink: DiagnosticSink, opts: SchemaCheckOptions): void {
  const v = entry.value;
  if (spec.kind === 'array') {
    // `[[requests]]` blocks, or the same written as an array of inline tables: TOML means one thing by both.
    const listOfTables = v.type === 'array' && (v.ofTables || (v.items.length > 0 && v.items.every((i) => i.type === 'table')));
    if (!listOfTables) {
      const header = v.type === 'table' ? v.header : undefined;
      sink.add(entry.keySpan, 'error', 'wrong-type', `${spec.name} is a list: write [[${spec.name}]] for each entry`,
        header ? [{ title: `Change to [[${spec.name}]]`, edits: [{ span: header.span, newText: `[[${spec.name}]]` }], preferred: true }] : undefined);
      return;
    }
    if (spec.maxItems !== undefined && v.items.length > spec.maxItems) {
      const extra = v.items[spec.maxItems] as TableNode;
      sink.add(extra.header?.span ?? entry.keySpan, 'error', 'limit-exceeded', `at most ${spec.maxItems} [[${spec.name}]] entries are allowed; this file has ${v.items.length}`);
    }
    v.items.forEach((item, i) => checkTable(spec, item as TableNode, itemLabel(spec.name, item as TableNode, i), sink, opts));
    return;
  }
  if (v.type !== 'table') {
    sink.add(entry.keySpan, 'error', 'wrong-type', `${spec.name} is a section: write [${spec.name}] on its own line, then its keys`);
    return;
  }
  if (spec.userKeys) checkUserKeys(spec, spec.userKeys, v, sink);
  else checkTable(spec, v, `[${spec.name}]`, sink, opts);
}

/** A table of names the user chooses ([vars]): valid, free names; scalars or the inline-table form. */
function checkUserKeys(spec: SectionSpec, u: UserKeySpec, table: TableNode, sink: DiagnosticSink): void {
  if (table.entries.size > LIMITS.vars) sink.add(table.header?.span ?? table.span, 'error', 'limit-exceeded', `at most ${LIMITS.vars} entries are allowed in [${spec.name}]; found ${table.entries.size}`);
  for (const [name, entry] of table.entries) {
    if (!u.pattern.test(name)) sink.add(entry.keySpan, 'error', 'invalid-var', `'${name}' cannot be a ${u.what} name: use ${u.patternText}`);
    else if (u.reserved.includes(name)) sink.add(entry.keySpan, 'error', 'invalid-var', `'${name}' is a built-in name; choose another ${u.what} name`);
    const v = entry.value;
    if (v.type === 'scalar' && v.kind !== 'datetime' && u.scalarForm !== false) continue;
    if (v.type !== 'table') {
      sink.add(v.span, 'error', 'wrong-type', `${u.what} '${name}' must be ${u.formText}; found ${describe(v)}`);
      continue;
    }
    for (const [key, e] of v.entries) {
      const ks = u.fields.find((f) => f.key === key);
      if (!ks) {
        const guess = didYouMean(key, u.fields.map((f) => f.key));
        sink.add(e.keySpan, 'error', 'unknown-key', `unknown key '${key}' in ${u.what} '${name}'; ${guess ? `did you mean '${guess}'?` : `valid keys: ${u.fields.map((f) => f.key).join(', ')}`}`,
          guess ? [{ title: `Change to '${guess}'`, edits: [{ span: e.keySpan, newText: guess }], preferred: true }] : undefined);
      } else if (ks.type === 'scalar') {
        if (e.value.type !== 'scalar' || e.value.kind === 'datetime') sink.add(e.value.span, 'error', 'wrong-type', `'${key}' of ${u.what} '${name}' must be a string, number or boolean; found ${describe(e.value)}`);
      } else checkValue(ks, e, sink, { skipRequired: true });
    }
    const missing = u.fields.filter((f) => f.required && !v.entries.has(f.key));
    for (const f of missing) sink.add(v.span, 'error', 'missing-key', `${u.what} '${name}' is missing '${f.key}': ${lowerFirst(f.summary)}`);
    checkGroups(u, name, v, sink);
  }
}

/** Between min and max keys of each group (one source, one subject, at most one operator), and `with` partners. */
function checkGroups(u: UserKeySpec, name: string, v: TableNode, sink: DiagnosticSink): void {
  for (const g of u.groups ?? []) {
    const present = g.keys.filter((k) => v.entries.has(k));
    if (present.length < g.min) {
      sink.add(v.span, 'error', 'missing-key', `${u.what} '${name}' needs a ${g.what}: one of ${g.keys.join(', ')}`);
    } else if (present.length > g.max) {
      const second = v.entries.get(present[g.max]!)!;
      sink.add(second.keySpan, 'error', 'key-conflict', `${u.what} '${name}' takes ${g.max === 1 ? 'one' : `at most ${g.max}`} ${g.what}${g.max === 1 ? '' : 's'} (${g.keys.join(', ')}); found ${present.join(' and ')}`,
        undefined, [{ span: v.entries.get(present[0]!)!.keySpan, message: `${present[0]} is set here` }]);
    }
  }
  for (const f of u.fields) {
    const e = v.entries.get(f.key);
    if (e && f.with && !f.with.some((k) => v.entries.has(k))) {
      sink.add(e.keySpan, 'error', 'not-applicable', `'${f.key}' of ${u.what} '${name}' needs ${f.with.map((k) => `'${k}'`).join(' or ')} beside it`);
    }
  }
}

function checkTable(spec: SectionSpec, table: TableNode, label: string, sink: DiagnosticSink, opts: SchemaCheckOptions): void {
  const typeEntry = table.entries.get('type');
  const typeValue = scalarString(typeEntry?.value);
  // A key that does not apply is a matter between it and the type: the type is the related place.
  const typeAt = typeEntry && [{ span: typeEntry.value.span, message: `the type is "${typeValue}" here` }];
  for (const [key, entry] of table.entries) {
    const ks = spec.keys.find((k) => k.key === key);
    if (ks) {
      checkValue(ks, entry, sink, opts);
      if (ks.appliesTo && typeValue !== undefined && ks.appliesTo.includes(typeValue) === false && isKnownType(spec, typeValue)) {
        sink.add(entry.keySpan, 'warning', 'not-applicable', `${key} has no effect with type = "${typeValue}" (it applies to ${ks.appliesTo.map((t) => `"${t}"`).join(', ')})`,
          [{ title: `Remove ${key}`, edits: [{ span: sink.wholeLines({ start: entry.keySpan.start, end: entry.value.span.end }), newText: '' }] }], typeAt);
      }
      continue;
    }
    const sub = sectionSpec(`${spec.name}.${key}`);
    if (sub) {
      checkSection(sub, entry, sink, opts);
      if (sub.appliesTo && typeValue !== undefined && !sub.appliesTo.includes(typeValue) && isKnownType(spec, typeValue)) {
        sink.add(entry.keySpan, 'warning', 'not-applicable', `[[${sub.name}]] has no effect with type = "${typeValue}" (it applies to ${sub.appliesTo.map((t) => `"${t}"`).join(', ')})`,
          undefined, typeAt);
      }
      continue;
    }
    const candidates = [...spec.keys.map((k) => k.key), ...SCHEMA.filter((s) => s.name.startsWith(`${spec.name}.`)).map((s) => s.name.slice(spec.name.length + 1))];
    const guess = didYouMean(key, candidates);
    const elsewhere = guess ? undefined : SCHEMA.find((s) => s !== spec && s.keys.some((k) => k.key === key));
    const message = `unknown key '${key}' in ${label}` +
      (guess ? `; did you mean '${guess}'?` : elsewhere ? `; '${key}' belongs in [${elsewhere.name}]` : `; valid keys: ${candidates.join(', ')}`);
    sink.add(entry.keySpan, 'error', 'unknown-key', message,
      guess ? [{ title: `Change to '${guess}'`, edits: [{ span: entry.keySpan, newText: guess }], preferred: true }] : undefined);
  }
  if (opts.skipRequired) return;
  const missing = spec.keys.filter((k) => k.required && !table.entries.has(k.key) && (!k.appliesTo || (typeValue !== undefined && k.appliesTo.includes(typeValue))));
  if (missing.length === 0) return;
  const at = table.header?.span ?? table.span;
  const insertAt = table.header ? sink.afterLine(table.header.span.end) : table.span.end;
  const insertText = missing.map((k) => `${k.example}\n`).join('');
  const inline = !table.header;
  for (const k of missing) {
    sink.add(at, 'error', 'missing-key', `${label} is missing the required key '${k.key}': ${lowerFirst(k.summary)}`,
      inline ? undefined : [
        { title: `Add '${k.key}'`, edits: [{ span: { start: insertAt, end: insertAt }, newText: `${k.example}\n` }], preferred: missing.length === 1 },
        ...(missing.length > 1 ? [{ title: `Add all missing keys of ${label}`, edits: [{ span: { start: insertAt, end: insertAt }, newText: insertText }] }] : []),
      ]);
  }
}

/** `[[requests]] "login"` when the entry has a name, else `[[requests]] #2`. */
function itemLabel(section: string, item: TableNode, i: number): string {
  const name = item.type === 'table' ? item.entries.get('name')?.value : undefined;
  return name?.type === 'scalar' && typeof name.value === 'string' && name.value !== '' ? `[[${section}]] "${name.value}"` : `[[${section}]] #${i + 1}`;
}

function isKnownType(spec: SectionSpec, t: string): boolean {
  return spec.keys.find((k) => k.key === 'type')?.values?.includes(t) ?? false;
}

function scalarString(v: ValueNode | undefined): string | undefined {
  return v?.type === 'scalar' && v.kind === 'string' ? (v.value as string) : undefined;
}

const KIND_WORD: Record<string, string> = {
  string: 'a string', integer: 'an integer', float: 'a number with a fraction', boolean: 'a boolean (true/false)',
  datetime: 'a date/time', array: 'an array', table: 'a table',
};

function describe(v: ValueNode): string {
  return v.type === 'scalar' ? KIND_WORD[v.kind]! : KIND_WORD[v.type]!;
}

const TYPE_WORD: Record<KeySpec['type'], string> = {
  string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false', enum: 'one of',
  'string-array': 'an array of strings', 'string-map': 'an inline table of strings, like { Accept = "application/json" }',
  scalar: 'a string, number or boolean', 'status-set': 'a status code or an array of status codes', 'integer-or-auto': 'an integer or "auto"',
};

function checkValue(ks: KeySpec, entry: Entry, sink: DiagnosticSink, opts: SchemaCheckOptions): void {
  const v = entry.value;
  const wrong = (fixes?: { title: string; edits: { span: typeof v.span; newText: string }[]; preferred?: boolean }[]) =>
    sink.add(v.span, 'error', 'wrong-type', `'${ks.key}' must be ${ks.type === 'enum' ? `one of ${ks.values!.map((x) => `"${x}"`).join(', ')}` : TYPE_WORD[ks.type]}, found ${describe(v)}`, fixes);

  switch (ks.type) {
    case 'string':
    case 'enum': {
      if (v.type !== 'scalar' || v.kind !== 'string') {
        // A bare number or boolean where a string belongs: offer the quoted text.
        const quotable = v.type === 'scalar' && v.kind !== 'string' ? sink.text.slice(v.span.start, v.span.end) : undefined;
        wrong(quotable !== undefined ? [{ title: `Quote it: "${quotable}"`, edits: [{ span: v.span, newText: JSON.stringify(quotable) }], preferred: true }] : undefined);
        return;
      }
      const s = v.value as string;
      if (ks.type === 'enum') checkEnum(ks, v, s, sink);
      else if (ks.format === 'regex' || ks.format === 'json-path') {
        const problem = ks.format === 'regex' ? regexProblem(s) : jsonPathProblem(s);
        if (problem) sink.add(v.span, 'error', 'invalid-pattern', `'${ks.key}': ${problem}`);
      }
      else checkFormat(ks, v, s, sink, opts);
      return;
    }
    case 'integer':
    case 'number': {
      if (v.type !== 'scalar' || (v.kind !== 'integer' && !(ks.type === 'number' && v.kind === 'float'))) {
        const hint = v.type === 'scalar' && v.kind === 'float' && Number.isInteger(v.value)
          ? [{ title: `Use ${v.value}`, edits: [{ span: v.span, newText: String(v.value) }], preferred: true }]
          : v.type === 'scalar' && v.kind === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v.value as string) && (ks.type === 'number' || /^\s*-?\d+\s*$/.test(v.value as string))
            ? [{ title: `Remove the quotes: ${(v.value as string).trim()}`, edits: [{ span: v.span, newText: (v.value as string).trim() }], preferred: true }]
            : undefined;
        wrong(hint);
        return;
      }
      checkRange(ks, v, sink);
      return;
    }
    case 'scalar':
      if (v.type !== 'scalar' || v.kind === 'datetime') wrong();
      return;
    case 'integer-or-auto':
      if (v.type === 'scalar' && v.kind === 'string' && v.value === 'auto') return;
      if (v.type !== 'scalar' || v.kind !== 'integer') {
        const auto = v.type === 'scalar' && v.kind === 'string' && (v.value as string).trim().toLowerCase() === 'auto';
        wrong(auto ? [{ title: 'Use "auto"', edits: [{ span: v.span, newText: '"auto"' }], preferred: true }] : undefined);
        return;
      }
      checkRange(ks, v, sink);
      return;
    case 'status-set': {
      const items = v.type === 'array' && !v.ofTables ? v.items : [v];
      if (v.type === 'array' && items.length === 0) sink.add(v.span, 'error', 'invalid-value', `'${ks.key}' needs at least one status code`);
      for (const item of items) {
        if (item.type !== 'scalar' || item.kind !== 'integer') sink.add(item.span, 'error', 'wrong-type', `'${ks.key}' must be a status code (an integer) or an array of them, found ${describe(item)}`);
        else if ((item.value as number) < 100 || (item.value as number) > 599) sink.add(item.span, 'error', 'out-of-range', `'${ks.key}': a status code is between 100 and 599; found ${String(item.value)}`);
      }
      return;
    }
    case 'boolean':
      if (v.type !== 'scalar' || v.kind !== 'boolean') {
        const s = v.type === 'scalar' && v.kind === 'string' ? (v.value as string).toLowerCase() : undefined;
        wrong(s === 'true' || s === 'false' ? [{ title: `Use ${s}`, edits: [{ span: v.span, newText: s }], preferred: true }] : undefined);
      }
      return;
    case 'string-array':
      if (v.type !== 'array' || v.ofTables) return wrong();
      for (const item of v.items) {
        if (item.type !== 'scalar' || item.kind !== 'string') sink.add(item.span, 'error', 'wrong-type', `each of '${ks.key}' must be a string, found ${describe(item)}`);
      }
      return;
    case 'string-map': {
      if (v.type !== 'table') return wrong();
      const names = new Map<string, Entry>();
      for (const [name, e] of v.entries) {
        if (e.value.type !== 'scalar' || e.value.kind !== 'string') {
          const raw = e.value.type === 'scalar' ? sink.text.slice(e.value.span.start, e.value.span.end) : undefined;
          sink.add(e.value.span, 'error', 'wrong-type', `header '${name}' must be a string, found ${describe(e.value)}`,
            raw !== undefined ? [{ title: `Quote it: "${raw}"`, edits: [{ span: e.value.span, newText: JSON.stringify(raw) }], preferred: true }] : undefined);
        }
        if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) sink.add(e.keySpan, 'error', 'invalid-header', `'${name}' is not a valid HTTP header name`);
        const lower = name.toLowerCase();
        const first = names.get(lower);
        if (first) {
          sink.add(e.keySpan, 'warning', 'duplicate-header', `header '${name}' is also set as '${first.key}'; header names are case-insensitive`,
            undefined, [{ span: first.keySpan, message: `'${first.key}' is set here` }]);
        } else names.set(lower, e);
      }
      if (v.entries.size > LIMITS.headersPerRequest) {
        sink.add(entry.keySpan, 'error', 'limit-exceeded', `at most ${LIMITS.headersPerRequest} headers are allowed per request; found ${v.entries.size}`);
      }
      return;
    }
  }
}

function checkEnum(ks: KeySpec, v: ScalarNode, s: string, sink: DiagnosticSink): void {
  const values = ks.values!;
  if (values.includes(s)) return;
  const exact = values.find((x) => x.toLowerCase() === s.toLowerCase());
  const guess = exact ?? didYouMean(s, values);
  sink.add(v.span, 'error', 'invalid-value',
    `'${ks.key}' must be one of ${values.map((x) => `"${x}"`).join(', ')}; found "${s}"${guess ? `. Did you mean "${guess}"?` : ''}`,
    guess ? [{ title: `Change to "${guess}"`, edits: [{ span: v.span, newText: JSON.stringify(guess) }], preferred: true }] : undefined);
}

function checkRange(ks: KeySpec, v: ScalarNode, sink: DiagnosticSink): void {
  const x = v.value as number;
  if (!Number.isFinite(x)) {
    sink.add(v.span, 'error', 'out-of-range', `'${ks.key}' must be a finite number, found ${x}`);
    return;
  }
  const unit = ks.unit ? ` ${ks.unit}` : '';
  // TOML integers go up to 2^63 - 1, JavaScript's exact ones to 2^53 - 1: every key's range ends there at the latest.
  const exact = v.kind === 'integer' ? Number.MAX_SAFE_INTEGER : Infinity;
  const max = Math.min(ks.max ?? exact, exact);
  const min = Math.max(ks.min ?? -exact, -exact);
  const low = ks.minExclusive ? x <= min : x < min;
  const high = x > max;
  if (!low && !high) return;
  let bound: string;
  if (ks.min !== undefined && ks.max !== undefined && !ks.minExclusive) bound = `between ${ks.min} and ${ks.max}${unit}`;
  else if (low) bound = ks.minExclusive ? `greater than ${min}${unit}` : `at least ${min}${unit}`;
  else bound = `at most ${max}${unit}`;
  // Above one of the format's limits (a day, an hour of timeout, 100 k VUs…) is a limit, not a typo.
  const limit = high && (Object.values(LIMITS) as number[]).includes(max);
  // An integer too large for a double is shown as written, not rounded.
  const found = v.kind === 'integer' && !Number.isSafeInteger(x) ? sink.text.slice(v.span.start, v.span.end) : String(x);
  sink.add(v.span, 'error', limit ? 'limit-exceeded' : 'out-of-range', `'${ks.key}' must be ${bound}; found ${found}`);
}

function checkFormat(ks: KeySpec, v: ScalarNode, s: string, sink: DiagnosticSink, opts: SchemaCheckOptions): void {
  switch (ks.format) {
    case 'url': {
      const problem = urlProblem(s);
      if (problem) {
        const fix = !/^[a-z][a-z0-9+.-]*:\/\//i.test(s) && s.trim() !== '' && !problem.startsWith('longer')
          ? [{ title: `Use "http://${s}"`, edits: [{ span: v.span, newText: JSON.stringify(`http://${s}`) }], preferred: true }] : undefined;
        sink.add(v.span, 'error', problem.startsWith('longer') ? 'limit-exceeded' : 'invalid-url', `'${ks.key}' ${problem}`, fix);
      }
      return;
    }
    case 'path': {
      // Template expressions are checked by check-templates.ts; their spaces are not the path's.
      const bare = withoutTemplates(s);
      // A fix rewrites the whole string: the template parts stay as written.
      const templated = bare !== s;
      // A path that starts with a template (`{{ order_url }}`) is checked when it renders.
      if (!s.startsWith('{{') && (bare === '' || !bare.startsWith('/'))) {
        sink.add(v.span, 'error', 'invalid-path', `'path' must start with '/'; found ${JSON.stringify(s)}`,
          [{ title: `Use "/${s}"`, edits: [{ span: v.span, newText: JSON.stringify(`/${s}`) }], preferred: true }]);
      } else if (/[\s\u0000-\u001f\u007f]/.test(bare)) {
        sink.add(v.span, 'error', 'invalid-path', `'path' must not contain spaces or control characters; encode them (e.g. %20)`,
          templated ? undefined : [{ title: 'Percent-encode the spaces', edits: [{ span: v.span, newText: JSON.stringify(s.replace(/ /g, '%20')) }], preferred: true }]);
      } else if (bare.includes('#')) {
        sink.add(v.span, 'warning', 'invalid-path', `'path' contains '#': the fragment is never sent to the server`);
      }
      return;
    }
    case 'file': {
      if (s.trim() === '') {
        sink.add(v.span, 'error', 'invalid-value', `'${ks.key}' must name a file`);
        return;
      }
      if (!opts.file || !opts.fileKind) return;
      const abs = isAbsolute(s) ? s : resolve(dirname(opts.file), s);
      const kind = opts.fileKind(abs);
      if (kind === 'missing') sink.add(v.span, 'error', 'file-not-found', `'${ks.key}': file not found: ${abs}`);
      else if (kind === 'unreadable') sink.add(v.span, 'error', 'not-a-file', `'${ks.key}': cannot be read: ${abs}`);
      // A FIFO would block the run until someone writes to it, /dev/zero would never end.
      else if (kind !== 'file') sink.add(v.span, 'error', 'not-a-file', `'${ks.key}': ${abs} is ${kind}, not a regular file`);
      return;
    }
    default:
  }
}

/** The text with every `{{ … }}` replaced by one letter, for checks of what the text around it says. */
function withoutTemplates(s: string): string {
  if (!s.includes('{{')) return s;
  return parseTemplate(s).parts.map((p) => (p.type === 'text' ? p.text : 'x')).join('');
}

/** Why a base URL is unusable, or undefined when it is fine. */
export function urlProblem(s: string): string | undefined {
  if (s.length > LIMITS.urlLength) return `is longer than ${LIMITS.urlLength} characters`;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return `is not a valid URL: ${JSON.stringify(s)} (expected e.g. "http://localhost:8080")`;
  }
  if (u.protocol === 'sim:') return u.hostname ? (u.search || u.hash ? 'must not have a query or fragment; put them in each request\'s path' : undefined) : 'names no simulated target: write sim://NAME';
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `must start with http://, https:// or sim:// (a simulated target); found "${u.protocol}//"`;
  if (!u.hostname) return 'has no host';
  if (u.username || u.password) return 'must not contain credentials; send them in an Authorization header';
  if (u.search || u.hash) return 'must not have a query or fragment; put them in each request\'s path';
  return undefined;
}

