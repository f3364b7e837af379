/**
 * Renders docs/scenario-format.md from the key table, so the reference can never miss a key.
 * `npm run docs` writes it; a test fails when the file is out of date.
 */
import { LIMITS, SCHEMA, defaultText, rangeText, typeText, type KeySpec, type SectionSpec } from './schema';
import { BUILTINS } from '../templates/builtins';

/** Every diagnostic code the validator emits, with what it means. */
export const DIAGNOSTIC_CODES: Record<string, string> = {
  'toml-syntax': 'The text is not valid TOML, or names a day that does not exist (1988-02-30). Each problem is reported once, at the token that explains it; what follows from it (the rest of a broken line, the lines up to the next one that parses) is not reported again.',
  'invalid-utf8': 'The file is not UTF-8 text: reported at the first byte that is not (z6 validate and z6 run; an editor decodes the file itself).',
  'empty-file': 'The file is empty.',
  'missing-section': 'A required section ([target] or [[requests]]) is missing.',
  'unknown-section': 'A section that Z6 does not know; the message suggests the closest known one.',
  'unknown-key': 'A key that does not belong in its table; the message suggests the closest known one.',
  'missing-key': 'A required key is missing from its table.',
  'wrong-type': 'A value of the wrong TOML type (e.g. a string where an integer belongs).',
  'invalid-value': 'A value outside the allowed set (e.g. method = "FETCH").',
  'out-of-range': 'A number outside its allowed range.',
  'limit-exceeded': 'Over one of the format\'s limits (requests, headers, URL length, duration).',
  'invalid-url': 'base_url is not an http:// or https:// URL with a host.',
  'invalid-path': 'A request path that does not start with / or contains spaces.',
  'invalid-header': 'A header name with characters HTTP does not allow.',
  'duplicate-header': 'The same header twice in one request (names are case-insensitive).',
  'file-not-found': 'body_file or ca_bundle names a file that does not exist.',
  'not-a-file': 'body_file or ca_bundle names a directory, a FIFO, a device or a file that cannot be read: only a regular file can be sent or trusted.',
  'duplicate-name': 'Two requests with the same name.',
  'weights-zero': 'All weights add up to 0, so no request could be chosen.',
  'body-conflict': 'A request has both body and body_file.',
  'body-on-get': 'A GET or HEAD request has a body (warning).',
  'tls-scheme-mismatch': 'tls disagrees with the scheme of base_url; the scheme wins (warning).',
  'not-applicable': 'A key that has no effect with the chosen type (warning).',
  'no-duration': 'Nothing decides how long the run lasts.',
  'duration-mismatch': 'runtime.duration_seconds and the schedule\'s own length differ (warning); runtime wins.',
  'schedule-exceeds-vus': 'The schedule needs more VUs than runtime.vus allows.',
  'vus-mismatch': 'schedule.vus of a constant schedule differs from runtime.vus (warning).',
  'spike-after-end': 'The spike starts after the run ends (warning).',
  'missing-steps': 'A steps schedule or a [sequence] without any steps.',
  'think-time-range': 'think_time max_ms is less than min_ms.',
  'unknown-request': 'A [[sequence.steps]] request that names no [[requests]] entry.',
  'invalid-var': 'A [vars] or extracted variable name that is not a valid identifier, or is a built-in name; or a check name with control characters.',
  'name-conflict': 'The same template name from two sources (a [vars] entry, a data-file column, an extraction, a built-in): a name means one thing.',
  'key-conflict': 'An extraction with two sources, or a check with two subjects or two operators.',
  'invalid-pattern': 'A regular expression or JSONPath that does not compile.',
  'used-before-extracted': 'A template uses an extracted name that no earlier step of the [sequence] (or setup) extracts, so the request would fail as kind template (warning).',
  'template-syntax': 'A malformed template: an unclosed `{{`, an empty `{{ }}`, or an expression that does not parse.',
  'unknown-variable': 'A template name that is no [vars] entry, built-in or env.NAME (with "did you mean"); or a value used as a function and the reverse.',
  'template-arity': 'A built-in called with the wrong number of arguments.',
  'template-argument': 'A constant argument a built-in cannot use (e.g. random_int(10, 1)).',
  'env-unset': '`z6 run` / `z6 plan`: an env.NAME the scenario uses is not set (or empty) in the environment, --env-file or --env.',
  'data-format': 'A [[data]] file whose format cannot be told from its extension: add `format`.',
  'data-file': 'A [[data]] file that cannot be used: empty, a header without rows, a malformed header or first row (with its line), not JSON of the right shape, over the JSON size limit.',
  'invalid-column': 'A data-file column that cannot be a template name (a space, a leading digit, no name): rename it or leave it out with `columns`.',
  'duplicate-column': 'The same column twice in a data file\'s header or in `columns`.',
  'unknown-column': 'A name in `columns` that the data file does not have.',
  'env-unknown': 'The editor, when the workspace has a .env: an env.NAME set neither there nor in the editor\'s environment (warning: CI may set it).',
};

export function renderFormatReference(): string {
  const out: string[] = [];
  out.push(
    '# Scenario format reference (v1)',
    '',
    '<!-- Generated from engine/scenario/schema.ts by `npm run docs`. Do not edit by hand. -->',
    '',
    'A Z6 scenario is a TOML file, by convention named `*.z6.toml`. It says what to call (`[target]`,',
    '`[[requests]]`), how hard and for how long (`[runtime]`, `[schedule]`, `[think_time]`), in which order',
    '(`[sequence]`), and what counts as a pass (`[assertions]`). Everything is declarative: no scripts.',
    '',
    'The smallest scenario:',
    '',
    '```toml',
    '[target]',
    'base_url = "http://127.0.0.1:8080"',
    '',
    '[runtime]',
    'duration_seconds = 10',
    'vus = 5',
    '',
    '[[requests]]',
    'path = "/"',
    '```',
    '',
    'Sections: ' + SCHEMA.map((s) => `[${sectionTitle(s)}](#${anchor(s)})`).join(', ') + '.',
    '',
  );
  for (const s of SCHEMA) out.push(...section(s));
  out.push(...templates(), ...dataFiles(), ...journeys(), ...rules(), ...codes());
  return out.join('\n') + '\n';
}

function sectionTitle(s: SectionSpec): string {
  return s.kind === 'array' ? `[[${s.name}]]` : `[${s.name}]`;
}

function anchor(s: SectionSpec): string {
  return sectionTitle(s).replace(/[^a-z0-9_]+/g, '').replace(/_/g, '_');
}

function section(s: SectionSpec): string[] {
  if (s.sameAs) return [`## ${sectionTitle(s)}`, '', `The same keys as [${s.sameAs}](#${s.sameAs.replace(/[^a-z0-9_]+/g, '')}), for each [[${s.name.split('.')[0]}]] request.`, ''];
  const out = [`## ${sectionTitle(s)}`, '', `${s.summary}${s.required ? ' **Required.**' : ''}`];
  if (s.docs) out.push('', s.docs);
  if (s.kind === 'array') out.push('', `Between ${s.minItems ?? 0} and ${s.maxItems} entries.`);
  if (s.appliesTo) out.push('', `Only with ${s.appliesTo.map((t) => `\`type = "${t}"\``).join(', ')}.`);
  out.push('', '```toml', s.example, '```', '');
  if (s.userKeys) {
    const u = s.userKeys;
    const reserved = u.reserved.length ? `; not ${u.reserved.map((r) => `\`${r}\``).join(', ')}` : '';
    out.push(`Each key is a ${u.what} name: ${u.patternText}${reserved}. At most ${LIMITS.vars} entries. The value is ${u.formText}, with these keys:`, '');
  }
  out.push('| key | type | required | default | allowed | description |', '|---|---|---|---|---|---|');
  for (const k of s.userKeys?.fields ?? s.keys) {
    out.push(`| \`${k.key}\` | ${typeText(k)}${k.unit ? ` (${k.unit})` : ''} | ${k.required ? 'yes' : ''} | ${cell(defaultText(k) ?? '')} | ${cell(allowed(k))} | ${cell(k.summary)} |`);
  }
  const details = (s.userKeys?.fields ?? s.keys).filter((k) => k.docs || k.valueDocs);
  if (details.length) {
    out.push('');
    for (const k of details) {
      out.push(`- **\`${k.key}\`**: ${k.docs ?? k.summary} Example: \`${k.example}\`.`);
      if (k.valueDocs) for (const [v, d] of Object.entries(k.valueDocs)) out.push(`  - \`"${v}"\`: ${d}`);
    }
  }
  out.push('');
  return out;
}

function allowed(k: KeySpec): string {
  if (k.values) return k.values.map((v) => `"${v}"`).join(', ');
  const parts: string[] = [];
  const range = rangeText(k);
  if (range) parts.push(range);
  if (k.format === 'url') parts.push('http:// or https:// URL');
  if (k.format === 'path') parts.push('starts with /');
  if (k.format === 'file') parts.push('path relative to the scenario');
  if (k.format === 'request-name') parts.push('a [[requests]] name');
  if (k.appliesTo) parts.push(`type ${k.appliesTo.map((t) => `"${t}"`).join(' / ')}`);
  if (k.schedules) parts.push(`only with [schedule] type ${k.schedules.map((t) => `"${t}"`).join(' / ')}`);
  return parts.join('; ');
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The template syntax and the built-ins, from engine/templates/builtins.ts. */
function templates(): string[] {
  return [
    '## Templates',
    '',
    'A request\'s `path` (with its query), header values and `body` may hold templates: `{{ expression }}` is replaced',
    'by its value each time the request is sent. An expression is a name, a call of a built-in function, quoted text',
    '(`\'…\'` or `"…"`, no escapes) or a number; there are no operators. Names:',
    '',
    '- a `[vars]` entry, by its name: `{{ user }}`;',
    '- a value a request extracted from its response (`[requests.extract]`), or one `[[setup]]` extracted: see',
    '  [User journeys](#user-journeys-extraction-checks-setup);',
    '- `env.NAME`, a value from the environment of `z6 run` / `z6 plan`, or given with `--env NAME=VALUE` or',
    '  `--env-file FILE` (dotenv lines; the command line wins over the file, which wins over the environment).',
    '  An env name the scenario uses that is unset or empty stops the command before any request (exit 2,',
    '  diagnostic `env-unset`): an empty value is what CI gives for a secret that is not configured;',
    '- a column of a `[[data]]` file, by its name: `{{ username }}` (see [Data files](#data-files));',
    '- the built-ins below.',
    '',
    'Every `env.*` value, and every `[vars]` entry with `secret = true`, is secret: anything computed from it shows',
    'as `***` wherever Z6 displays a value (`z6 plan`); results, summary, CSV and report never contain rendered values.',
    '',
    'Everything constant for a run (text, `[vars]`, `env.*`, `url_encode`/`json_encode` of those) is computed once',
    'before the run; only `vu`, `iteration`, the time and the random built-ins are rendered per request. Random',
    'built-ins draw from a stream of their own per VU (open model: per arrival), derived from the seed: the same',
    'seed renders the same values, and adding a random template never changes which requests a VU sends.',
    'A value missing while the run is going fails the request as kind `template`; it is never sent with an empty value.',
    '`body_file` is sent as it is, unless `body_file_templates = true`: then its text is rendered like an inline body.',
    'To send a literal `{{`, write `{{ \'{{\' }}`.',
    '',
    '```toml',
    '[vars]',
    'user = "alice"',
    '',
    '[[requests]]',
    'name = "order"',
    'method = "POST"',
    'path = "/users/{{ url_encode(user) }}/orders?vu={{ vu }}&n={{ iteration }}"',
    'headers = { Authorization = "Bearer {{ env.API_TOKEN }}", X-Request-Id = "{{ uuid() }}" }',
    'body = \'{"item": {{ random_int(1, 500) }}, "size": "{{ random_choice(\'S\', \'M\', \'L\') }}"}\'',
    '```',
    '',
    '| built-in | description | example |',
    '|---|---|---|',
    ...BUILTINS.map((b) => `| \`${b.signature}\` | ${cell(b.summary)} | \`${cell(b.example)}\` |`),
    '',
  ];
}

/** How data-file rows are drawn (engine/data/draw.ts); the keys are in the [[data]] section above. */
function dataFiles(): string[] {
  return [
    '### Data files',
    '',
    'A `[[data]]` file gives each VU iteration one row; its columns are template names. A scenario may have several',
    'data files: each iteration draws one row of each.',
    '',
    '```toml',
    '[[data]]',
    'file = "users.csv"        # username,password',
    'mode = "unique"           # each row at most once in the whole run',
    'on_exhausted = "stop_run" # then the run ends (status completed, results endReason says why)',
    'secret = true             # values show as *** in z6 plan',
    '',
    '[[requests]]',
    'name = "login"',
    'method = "POST"',
    'path = "/login"',
    'body = \'{"user": {{ json_encode(username) }}, "password": {{ json_encode(password) }}}\'',
    '```',
    '',
    '- **When a row is drawn.** Once per iteration of a VU, at the iteration\'s first request that renders templates:',
    '  an iteration is one request without `[sequence]`, one pass of the sequence with it, one arrival in the open',
    '  model. Every request of the iteration sees the same row; the next iteration draws again. An iteration whose',
    '  requests have no templates draws nothing.',
    '- **Modes.** `sequential`: one cursor shared by all VUs, wrapping at the end. `unique`: the same cursor without',
    '  wrapping — each row at most once in the run — and `on_exhausted` when none is left: `stop_vu` (that VU stops; the',
    '  run ends when all have), `stop_run` (the run ends as at the end of its duration) or `wrap`. The iteration that finds',
    '  no row sends nothing and is not counted. `random`: a row chosen from the seed, the VU and its iteration (open model:',
    '  the arrival), the same in every run with that seed. `per_vu`: row = VU index modulo the rows.',
    '- **Determinism.** `random` and `per_vu` rows are pure functions of (seed, VU, iteration), so `z6 plan` shows the',
    '  rows a run draws. `sequential` and `unique` hand out rows in the order VUs reach the shared cursor, which depends',
    '  on response times; `z6 plan` shows them VU after VU.',
    '- **Large files.** CSV and NDJSON files are indexed once before the run (byte offsets of blocks of rows) and rows',
    '  are read when drawn, so memory does not grow with the file and all VUs share one copy. A malformed row anywhere in',
    '  the file stops `z6 run` / `z6 plan` before any request (exit 2, with its line). The editor reads only the header.',
    `  A JSON array is parsed whole: at most ${LIMITS.dataJsonBytes / 1048576} MiB. A row may be at most ${LIMITS.dataRowBytes / 1048576} MiB.`,
    '- **Results.** `data` lists each file with its rows and how many were drawn; `endReason` says when a data file ended',
    '  the run.',
    '',
  ];
}

/** How extraction, the cookie jar, checks, setup and the sequence make a user journey. */
function journeys(): string[] {
  return [
    '## User journeys: extraction, checks, setup',
    '',
    'A VU can behave like a user: log in, take the token from the response, use it on the next calls, check each',
    'response. Per VU, in the order of a `[sequence]`:',
    '',
    '- **Extraction** (`[requests.extract]`): a value from the response (JSONPath, header, cookie, regex, status)',
    '  becomes a variable of that VU; its later requests use it as `{{ name }}`. A source that is not found clears',
    '  the variable, so a request that needs it fails as kind `template` instead of sending a stale or empty value.',
    '  A path may be a whole template (`path = "{{ order_url }}"`): a URL of the target is sent as its path.',
    '- **Cookies** (`target.cookies`, on by default): each VU keeps the cookies the target sets and sends them back.',
    '- **State per pass**: with `[sequence]`, a pass is one iteration; its extracted values and cookies are cleared',
    '  when the next pass starts (`reset_state = false` keeps them). The validator warns when a step uses a name',
    '  that no earlier step extracts.',
    '- **Checks** (`[requests.checks]`): named predicates on each response, counted passed/failed per check and per',
    '  second, shown in the summary, the panel and the report. A failed check never fails its request; with',
    '  `on_fail = "skip_iteration"` the VU starts its next pass. Assert on them with `checks_pass_rate_min` (all',
    '  checks, or one request\'s in `[requests.assertions]`) or a check\'s own `pass_rate_min`.',
    '- **Scoped assertions** (`[requests.assertions]`): the `[assertions]` keys over one request\'s figures.',
    '  `abort_on_fail` in `[assertions]` stops a run as soon as one fails (after `abort_delay_seconds`).',
    '- **Setup and teardown** (`[[setup]]`, `[[teardown]]`): requests sent once before and after the load. What',
    '  setup extracts is a constant for every VU; a failing setup ends the run before any load (exit 3).',
    '',
    'The plan stays a pure function of the scenario and the seed for everything the generator decides (which',
    'request, think time, random built-ins); extracted values come from responses, and `skip_iteration` makes a',
    'VU\'s walk depend on them. In the open model each arrival is its own iteration on a free slot: extraction',
    'and cookies are meant for the closed model.',
    '',
    '```toml',
    '[[setup]]',
    'name = "admin login"',
    'method = "POST"',
    'path = "/admin/login"',
    'body = \'{"password": "{{ env.ADMIN_PASSWORD }}"}\'',
    '[setup.extract]',
    'admin_token = { json = "$.token", secret = true }',
    '',
    '[[requests]]',
    'name = "login"',
    'method = "POST"',
    'path = "/login"',
    'body = \'{"user": "{{ user }}"}\'',
    '[requests.extract]',
    'token = { json = "$.token", secret = true }',
    '[requests.checks]',
    '"logged in" = { status = 200 }',
    '',
    '[[requests]]',
    'name = "order"',
    'method = "POST"',
    'path = "/orders"',
    'headers = { Authorization = "Bearer {{ token }}" }',
    '[requests.extract]',
    'order_url = { header = "Location" }',
    '[requests.checks]',
    '"created" = { status = 201, pass_rate_min = 0.99 }',
    '[requests.assertions]',
    'p99_latency_ms = 300',
    '',
    '[[requests]]',
    'name = "read order"',
    'path = "{{ order_url }}"',
    'headers = { Authorization = "Bearer {{ token }}" }',
    '[requests.checks]',
    '"has id" = { json = "$.id", exists = true }',
    '',
    '[sequence]',
    '[[sequence.steps]]',
    'request = "login"',
    '[[sequence.steps]]',
    'request = "order"',
    '[[sequence.steps]]',
    'request = "read order"',
    '```',
    '',
  ];
}

function rules(): string[] {
  return [
    '## Rules across keys',
    '',
    '- **Duration.** The run lasts `runtime.duration_seconds` when set. Otherwise the schedule\'s own length decides:',
    '  ramp = `ramp_duration_seconds + hold_duration_seconds`; spike = `spike_start_seconds × 2 + spike_duration_seconds`',
    '  (as much baseline after the spike as before); steps = the sum of the steps; ramp_arrival_rate = ramp + hold.',
    '  `runtime.iterations` alone also ends a closed-model run. With none of these the scenario is invalid (`no-duration`).',
    '  When both a runtime duration and the schedule\'s length exist and differ, the runtime wins (warning): the schedule',
    '  is cut short, or its last level is held.',
    '- **VUs.** Without `[schedule]` the run is constant at `runtime.vus` (default 1). With a schedule, `runtime.vus` is a',
    '  cap: a schedule that needs more is an error; a constant schedule whose `vus` differs is a warning.',
    '- **`type = "ramp"` with only `vus`** ramps from 0 to `vus` over the whole run.',
    '- **Weights** are relative: a request\'s share is its weight divided by the sum. The sum must be above 0.',
    '- **Request names** must be unique; a request without a name is called `"METHOD path"`.',
    '- **`body` and `body_file`** are exclusive; `body_file` and `ca_bundle` are relative to the scenario file.',
    '- **`tls`** must agree with the scheme of `base_url`; when it does not, the scheme wins (warning).',
    '- **`[sequence]`** replaces weighted choice: each VU walks the steps in order, then starts over. Every `request`',
    '  must name a `[[requests]]` entry.',
    `- **Limits.** A file of at most ${LIMITS.fileBytes / 1048576} MiB; at most ${LIMITS.requests} requests and ${LIMITS.headersPerRequest} headers per request;`,
    `  URLs (base_url + path) of at most ${LIMITS.urlLength} characters; durations of at most ${LIMITS.durationSeconds} s; timeouts of at most ${LIMITS.timeoutMs} ms.`,
    '  Over a limit is a diagnostic, never a crash.',
    '- **Unknown sections and keys** are errors, with a "did you mean" when a known name is close.',
    '',
  ];
}

function codes(): string[] {
  return [
    '## Diagnostic codes',
    '',
    'Every diagnostic carries one of these codes (shown in brackets by `z6 validate` and in the editor):',
    '',
    '| code | meaning |',
    '|---|---|',
    ...Object.entries(DIAGNOSTIC_CODES).map(([c, m]) => `| \`${c}\` | ${cell(m)} |`),
    '',
  ];
}
