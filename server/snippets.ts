/**
 * Snippet text built from the key table: `key = <placeholder>` for one key, and whole blocks
 * (a request, each schedule type) for the "insert a section" completions.
 */
import { METHODS, SCHEDULE_TYPES, sectionSpec, type KeySpec } from '../engine/scenario/schema';

/** Escapes text for use inside a snippet placeholder. */
export function esc(s: string): string {
  return s.replace(/[\\$}]/g, (c) => '\\' + c);
}

function choiceEsc(s: string): string {
  return s.replace(/[\\$}|,]/g, (c) => '\\' + c);
}

/** The value part of the key's example line (`vus = 10` → `10`). */
function exampleValue(spec: KeySpec): string {
  const m = /^[^=]*=\s*(.*)$/s.exec(spec.example);
  return m ? m[1]!.trim() : '';
}

/** A snippet for the value of `spec`, with tab stop `n`. `names` feeds request-name choices. */
export function valueSnippet(spec: KeySpec, n = 1, names: readonly string[] = []): string {
  switch (spec.type) {
    case 'enum':
      return `"\${${n}|${(spec.values ?? []).map(choiceEsc).join(',')}|}"`;
    case 'boolean': {
      const first = spec.default === false ? 'false,true' : 'true,false';
      return `\${${n}|${first}|}`;
    }
    case 'integer':
    case 'number':
    case 'scalar':
    case 'status-set':
    case 'integer-or-auto':
      return `\${${n}:${esc(String(spec.default ?? exampleValue(spec)))}}`;
    case 'string-map':
      return `{ \${${n}:Accept} = "\${${n + 1}:application/json}" }`;
    case 'string-array':
      return `[\${${n}}]`;
    case 'string': {
      if (spec.format === 'request-name' && names.length) return `"\${${n}|${names.map(choiceEsc).join(',')}|}"`;
      const ex = exampleValue(spec);
      const inner = /^(["'])(.*)\1$/.exec(ex)?.[2] ?? '';
      return `"\${${n}:${esc(inner)}}"`;
    }
  }
}

export function keySnippet(spec: KeySpec, names: readonly string[] = []): string {
  return `${spec.key} = ${valueSnippet(spec, 1, names)}`;
}

/** The snippet for a table header with its required keys (each with a tab stop). */
export function sectionSnippet(name: string): string {
  const section = sectionSpec(name)!;
  const header = section.kind === 'array' ? `[[${name}]]` : `[${name}]`;
  let n = 1;
  const lines = [header];
  for (const k of section.keys) {
    if (!k.required || k.appliesTo) continue;
    lines.push(`${k.key} = ${valueSnippet(k, n)}`);
    n += k.type === 'string-map' ? 2 : 1;
  }
  if (lines.length === 1) lines.push('$0');
  return lines.join('\n');
}

export interface BlockSnippet {
  label: string;
  detail: string;
  body: string;
  /** Section the block creates (to hide it when that section already exists). */
  creates: string;
}

const methods = METHODS.join(',');

export const REQUEST_SNIPPETS: BlockSnippet[] = [
  {
    label: '[[requests]] GET', detail: 'A GET request', creates: 'requests',
    body: `[[requests]]\nname = "\${1:list_users}"\nmethod = "\${2|${methods}|}"\npath = "\${3:/api/users}"\nweight = \${4:1}\n$0`,
  },
  {
    label: '[[requests]] POST JSON', detail: 'A POST request with a JSON body', creates: 'requests',
    body: `[[requests]]\nname = "\${1:create_user}"\nmethod = "POST"\npath = "\${2:/api/users}"\nheaders = { Content-Type = "application/json" }\nbody = '\${3:{"name": "test"\\}}'\nweight = \${4:1}\n$0`,
  },
];

/** One block per schedule type, with the keys that type uses and sensible numbers. */
export const SCHEDULE_SNIPPETS: BlockSnippet[] = SCHEDULE_TYPES.map((type) => {
  const bodies: Record<string, string> = {
    constant: 'vus = ${1:10}',
    ramp: 'start_vus = ${1:0}\nend_vus = ${2:50}\nramp_duration_seconds = ${3:30}\nhold_duration_seconds = ${4:60}',
    spike: 'baseline_vus = ${1:5}\nspike_vus = ${2:100}\nspike_start_seconds = ${3:30}\nspike_duration_seconds = ${4:10}',
    steps: '\n[[schedule.steps]]\nvus = ${1:10}\nduration_seconds = ${2:30}\n\n[[schedule.steps]]\nvus = ${3:50}\nduration_seconds = ${4:60}',
    arrival_rate: 'rate = ${1:200}\nmax_in_flight = ${2:100}',
    ramp_arrival_rate: 'start_rate = ${1:10}\nend_rate = ${2:500}\nramp_duration_seconds = ${3:30}\nhold_duration_seconds = ${4:60}\nmax_in_flight = ${5:200}',
  };
  const doc = sectionSpec('schedule')!.keys.find((k) => k.key === 'type')!.valueDocs![type]!;
  return { label: `[schedule] ${type}`, detail: doc, creates: 'schedule', body: `[schedule]\ntype = "${type}"\n${bodies[type]}\n$0` };
});
