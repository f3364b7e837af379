/**
 * The one table that describes every scenario key. Validation, completion, hover and
 * docs/scenario-format.md are all derived from it, so they cannot drift apart.
 */
import { RESERVED_NAMES } from '../templates/builtins';

/** 'integer-or-auto': an integer in [min, max], or the string "auto" (runtime.workers). */
export type ValueType = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'string-array' | 'string-map' | 'scalar' | 'status-set' | 'integer-or-auto';

export interface KeySpec {
  key: string;
  type: ValueType;
  required?: boolean;
  /** Default as the user would write it; a string explains a computed default. */
  default?: string | number | boolean;
  /** Human text for a computed default, e.g. "runtime.vus". */
  defaultText?: string;
  min?: number;
  max?: number;
  /** min is exclusive (e.g. a latency threshold must be > 0). */
  minExclusive?: boolean;
  values?: readonly string[];
  /** Docs for each enum value (hover on the value, completion detail). */
  valueDocs?: Readonly<Record<string, string>>;
  unit?: string;
  /** What the value is, beyond its type: checked by the validator. */
  format?: 'url' | 'path' | 'file' | 'request-name' | 'regex' | 'json-path';
  summary: string;
  docs?: string;
  example: string;
  /** Only meaningful for these values of the section's `type` key. */
  appliesTo?: readonly string[];
  /**
   * Only meaningful with these `[schedule]` types, for a key outside [schedule] (e.g. an
   * assertion on the open model); elsewhere the validator warns that it has no effect.
   */
  schedules?: readonly string[];
  /** A field of a user-keyed entry that only means something beside one of these fields. */
  with?: readonly string[];
}

export interface SectionSpec {
  /** Dotted name as in a header: `runtime`, `requests`, `schedule.steps`. */
  name: string;
  kind: 'table' | 'array';
  required?: boolean;
  summary: string;
  docs?: string;
  keys: KeySpec[];
  minItems?: number;
  maxItems?: number;
  /** For array sections inside a table, e.g. `schedule.steps` only with `type = "steps"`. */
  appliesTo?: readonly string[];
  example: string;
  /**
   * A table whose keys the user names (e.g. `[vars]`): each key must match `pattern` and not be
   * one of `reserved`; its value is a scalar, or an inline table of `fields`. `keys` is then empty.
   */
  userKeys?: UserKeySpec;
  /** A copy of another section's keys under another name (setup.extract): the docs refer to it. */
  sameAs?: string;
}

export interface UserKeySpec {
  /** What one entry is, e.g. "variable". */
  what: string;
  pattern: RegExp;
  patternText: string;
  /** Names that are taken (the template built-ins and `env`). */
  reserved: readonly string[];
  /** The keys of the inline-table form `{ value = …, secret = true }`. */
  fields: KeySpec[];
  /** False: only the inline-table form is allowed (an extraction or a check says what it does). */
  scalarForm?: boolean;
  /** How one entry is written, for messages, e.g. `{ json = "$.token" }`. */
  formText: string;
  /**
   * Groups of fields of which an entry must have between min and max, e.g. exactly one source
   * of an extraction. `what` names the group in messages.
   */
  groups?: readonly { keys: readonly string[]; min: number; max: number; what: string }[];
}

export const LIMITS = {
  fileBytes: 10 * 1024 * 1024,
  /** body_file: a regular file of at most this size, read once and sent without a copy per request. */
  bodyFileBytes: 64 * 1024 * 1024,
  /** A body_file with body_file_templates is text rendered for every request: kept small. */
  templatedBodyFileBytes: 1024 * 1024,
  requests: 1000,
  headersPerRequest: 100,
  vars: 1000,
  urlLength: 2048,
  durationSeconds: 86_400,
  timeoutMs: 3_600_000,
  vus: 100_000,
  maxConnections: 10_000,
  /** Extractions and checks per request. */
  extractsPerRequest: 100,
  checksPerRequest: 100,
  /** How much of a response body extraction and checks read; the rest is counted, not kept. */
  responseBodyBytes: 16 * 1024 * 1024,
  steps: 1000,
  arrivalRate: 1_000_000,
  /** [[data]] entries. */
  dataFiles: 100,
  /** A JSON-array data file is parsed whole, so it has a size limit; CSV and NDJSON are indexed and read row by row. */
  dataJsonBytes: 32 * 1024 * 1024,
  /** One row (record) of a CSV or NDJSON data file; bounds what a read holds. */
  dataRowBytes: 1024 * 1024,
  /** Columns per data file. */
  dataColumns: 1000,
} as const;

export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;
export const SCHEDULE_TYPES = ['constant', 'ramp', 'spike', 'steps', 'arrival_rate', 'ramp_arrival_rate'] as const;
export const CLOSED_SCHEDULES = ['constant', 'ramp', 'spike', 'steps'] as const;
export const OPEN_SCHEDULES = ['arrival_rate', 'ramp_arrival_rate'] as const;

const str = (key: string, summary: string, example: string, extra: Partial<KeySpec> = {}): KeySpec =>
  ({ key, type: 'string', summary, example, ...extra });
const int = (key: string, summary: string, example: string, extra: Partial<KeySpec> = {}): KeySpec =>
  ({ key, type: 'integer', summary, example, ...extra });
const num = (key: string, summary: string, example: string, extra: Partial<KeySpec> = {}): KeySpec =>
  ({ key, type: 'number', summary, example, ...extra });

const latency = (p: string, label: string): KeySpec =>
  num(`${p}_latency_ms`, `Maximum ${label} latency of the whole run.`, `${p}_latency_ms = 250`, {
    min: 0, minExclusive: true, unit: 'ms',
    docs: `Passes when the run's ${label} latency (request issued → last body byte, queue wait and redirects included) is ≤ this value.`,
  });

/** Assertion keys that also apply to one request ([requests.assertions]): written once, used by both. */
const SCOPED_ASSERTION_KEYS: readonly KeySpec[] = [
  latency('p50', 'median (p50)'),
  latency('p90', 'p90'),
  latency('p95', 'p95'),
  latency('p99', 'p99'),
  latency('p999', 'p99.9'),
  num('error_rate_max', 'Highest allowed share of failed requests (failed / completed).', 'error_rate_max = 0.01', { min: 0, max: 1 }),
  num('success_rate_min', 'Lowest allowed share of successful requests.', 'success_rate_min = 0.99', { min: 0, max: 1 }),
  num('rps_min', 'Lowest allowed rate of HTTP responses (any status) per second of load.', 'rps_min = 100', {
    min: 0, unit: '1/s',
    docs: 'Responses received ÷ the load window (start to the moment the load stopped, without the drain), as `totals.rps`. Refused connections, timeouts and resets are not responses, so a dead target fails it.',
  }),
  num('status_5xx_max_rate', 'Highest allowed share of responses with a 5xx status.', 'status_5xx_max_rate = 0.001', { min: 0, max: 1 }),
  num('checks_pass_rate_min', 'Lowest allowed share of checks that passed (passed / evaluated).', 'checks_pass_rate_min = 0.99', {
    min: 0, max: 1,
    docs: 'Over every check of every request (in [assertions]) or of this request (in [requests.assertions]). A check not evaluated (its request never got a response) does not count. With no check evaluated the assertion cannot be measured and fails.',
  }),
];

const CHECK_OPERATORS = ['equals', 'matches', 'contains', 'exists'] as const;

const EXTRACT_SECTION: SectionSpec = {
  name: 'requests.extract', kind: 'table',
  summary: 'Values this request takes from its response into the VU\'s variables, for its later requests.',
  docs: 'Each key is a variable name you choose; `{{ name }}` in a later request of the same VU uses the value. One source per entry: '
    + '`json` (a JSONPath, RFC 9535, on the JSON body: the first match; a string is used as is, any other value as its JSON text), `header` (the first header of that name, case-insensitive), '
    + '`cookie` (a cookie the response sets), `regex` (on the body: capture group `group`, by default 1 when the pattern has a group, else the whole match), or `status = true` (the status code). '
    + 'Extraction runs on every response, whatever its status. When the source is not found the variable is cleared, so a later request that uses it fails as kind `template` instead of sending a stale or empty value. '
    + 'An extracted value can be marked `secret = true`: shown as `***` wherever Z6 displays it. Bodies are read up to 16 MiB for extraction and checks.',
  example: '[requests.extract]\ntoken = { json = "$.token", secret = true }\norder_url = { header = "Location" }\ncsrf = { regex = \'name="csrf" value="([^"]+)"\' }',
  keys: [],
  userKeys: {
    what: 'extracted variable',
    pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
    patternText: 'letters, digits and _, not starting with a digit',
    reserved: RESERVED_NAMES,
    scalarForm: false,
    formText: 'an inline table with one source, like { json = "$.token" } or { header = "Location" }',
    groups: [{ keys: ['json', 'header', 'cookie', 'regex', 'status'], min: 1, max: 1, what: 'source' }],
    fields: [
      str('json', 'JSONPath (RFC 9535) into the JSON body; the first match.', 'json = "$.items[0].id"', { format: 'json-path' }),
      str('header', 'Name of a response header (case-insensitive); its first value.', 'header = "Location"'),
      str('cookie', 'Name of a cookie the response sets (Set-Cookie).', 'cookie = "session"'),
      str('regex', 'Regular expression (JavaScript syntax) searched in the body.', 'regex = \'"id":\\s*(\\d+)\'', { format: 'regex' }),
      int('group', 'Capture group of `regex` to take (0: the whole match).', 'group = 2', { min: 0, max: 99, defaultText: '1 when the regex has a group, else 0', with: ['regex'] }),
      { key: 'status', type: 'boolean', summary: 'Take the status code.', example: 'status = true' },
      { key: 'secret', type: 'boolean', default: false, summary: 'Show the value as `***` wherever Z6 displays it.', example: 'secret = true' },
    ],
  },
};

const CHECKS_SECTION: SectionSpec = {
  name: 'requests.checks', kind: 'table',
  summary: 'Named checks on each response of this request, counted apart from the run\'s assertions.',
  docs: 'Each key is the check\'s name (any text, quoted when it has spaces). One subject per check: `status` (a code or a list of codes), `header` (a header name), `json` (a JSONPath on the JSON body), '
    + '`body_contains`, `body_matches` (a regex on the body) or `max_ms` (the response time, as latency, at most this many ms). `header` and `json` take one operator: `equals` (a string, number or boolean), `matches` (a regex), `contains` (a substring) or `exists` (true: present, the default; false: absent). '
    + 'A check is evaluated on every response of its request and counted as passed or failed, per request and per second; a failed check does not fail the request and does not stop the VU, unless `on_fail = "skip_iteration"`: then the VU starts its next iteration (the next pass of the [sequence]). '
    + '`pass_rate_min` is an assertion on this check\'s pass rate; `checks_pass_rate_min` in [assertions] or [requests.assertions] is one over many checks.',
  example: '[requests.checks]\n"status is 200" = { status = 200 }\n"is JSON" = { header = "Content-Type", contains = "json" }\n"has a token" = { json = "$.token", pass_rate_min = 0.99 }',
  keys: [],
  userKeys: {
    what: 'check',
    pattern: /^[^\u0000-\u001f\u007f]{1,100}$/,
    patternText: '1 to 100 characters, no control characters',
    reserved: [],
    scalarForm: false,
    formText: 'an inline table with one subject, like { status = 200 } or { json = "$.id", exists = true }',
    groups: [
      { keys: ['status', 'header', 'json', 'body_contains', 'body_matches', 'max_ms'], min: 1, max: 1, what: 'subject' },
      { keys: CHECK_OPERATORS, min: 0, max: 1, what: 'operator' },
    ],
    fields: [
      { key: 'status', type: 'status-set', summary: 'The status must be this code, or one of these codes.', example: 'status = [200, 201]' },
      str('header', 'The response header this check is about (case-insensitive).', 'header = "Content-Type"'),
      str('json', 'The JSONPath (RFC 9535) on the JSON body this check is about; the first match.', 'json = "$.id"', { format: 'json-path' }),
      str('body_contains', 'The body must contain this text.', 'body_contains = "welcome"'),
      str('body_matches', 'The body must match this regular expression.', 'body_matches = \'"id":\\s*\\d+\'', { format: 'regex' }),
      num('max_ms', 'The response time (latency) must be at most this.', 'max_ms = 300', { min: 0, minExclusive: true, unit: 'ms' }),
      { key: 'equals', type: 'scalar', summary: 'The header or JSON value must equal this (numbers and booleans compare as JSON values).', example: 'equals = "ok"', with: ['header', 'json'] },
      str('matches', 'The header or JSON value must match this regular expression.', 'matches = "^application/json"', { format: 'regex', with: ['header', 'json'] }),
      str('contains', 'The header or JSON value must contain this text.', 'contains = "json"', { with: ['header', 'json'] }),
      { key: 'exists', type: 'boolean', default: true, summary: 'true: the header or JSON value must be present; false: absent.', example: 'exists = false', with: ['header', 'json'] },
      {
        key: 'on_fail', type: 'enum', values: ['continue', 'skip_iteration'], default: 'continue', summary: 'What the VU does when this check fails.', example: 'on_fail = "skip_iteration"',
        valueDocs: { continue: 'Carry on with the next request.', skip_iteration: 'Skip the rest of this iteration: start the next pass of the [sequence].' },
      },
      num('pass_rate_min', 'Assertion: lowest allowed pass rate of this check (passed / evaluated).', 'pass_rate_min = 0.99', { min: 0, max: 1 }),
    ],
  },
};

const rate = (key: string, what: string, docs: string): KeySpec =>
  num(key, `Share of requests the simulated target ${what}.`, `${key} = 0.01`, { default: 0, min: 0, max: 1, docs });

/**
 * How a simulated target (base_url = "sim://NAME") answers a request: [simulation] sets them for
 * every request, [requests.simulation] for one (its keys over [simulation]'s). engine/sim/.
 */
const SIM_RESPONSE_KEYS: readonly KeySpec[] = [
  {
    key: 'latency', type: 'enum', values: ['fixed', 'uniform', 'lognormal'], default: 'fixed',
    summary: 'How long the simulated target takes to answer (its service time, without queueing).', example: 'latency = "lognormal"',
    valueDocs: {
      fixed: 'Always `latency_ms`.',
      uniform: 'Uniform between `latency_min_ms` and `latency_max_ms`.',
      lognormal: 'Log-normal with median `latency_ms` and 99th percentile `latency_p99_ms`: most answers near the median, a long tail above it, as real servers.',
    },
    docs: 'Drawn from the run\'s seed for every request. It is the time a request holds one of the target\'s `concurrency` servers; time spent waiting for a free server comes on top.',
  },
  num('latency_ms', 'Service time (latency = "fixed"), or its median (latency = "lognormal").', 'latency_ms = 40', {
    default: 10, min: 0, minExclusive: true, max: LIMITS.timeoutMs, unit: 'ms',
  }),
  num('latency_p99_ms', 'latency = "lognormal": the 99th percentile of the service time; above latency_ms.', 'latency_p99_ms = 250', {
    min: 0, minExclusive: true, max: LIMITS.timeoutMs, unit: 'ms',
    docs: 'With the median `latency_ms` it fixes the log-normal: σ = ln(p99 / median) / 2.326.',
  }),
  num('latency_min_ms', 'latency = "uniform": the shortest service time.', 'latency_min_ms = 5', { min: 0, max: LIMITS.timeoutMs, unit: 'ms' }),
  num('latency_max_ms', 'latency = "uniform": the longest service time.', 'latency_max_ms = 50', { min: 0, minExclusive: true, max: LIMITS.timeoutMs, unit: 'ms' }),
  rate('error_rate', 'answers with error_status', 'After its service time, like any answer. The four rates (error, timeout, reset, connect) are drawn together: a request gets at most one, and they add up to at most 1.'),
  int('error_status', 'The status of the error answers (error_rate).', 'error_status = 503', { default: 500, min: 400, max: 599 }),
  rate('timeout_rate', 'never answers', 'Such a request holds its server until the client gives up at its `timeout_ms` (a timeout, with latency) and closes the connection; only then is the server free.'),
  rate('reset_rate', 'resets the connection on', 'After its service time the connection is reset instead of answered (kind `reset`, with latency); the next request on it opens a new connection.'),
  rate('connect_rate', 'refuses to connect for', 'The request fails to connect (kind `connect`, no latency) after `connect_ms`; its VU backs off as from a refused port (target.connect_backoff_max_ms) and opens a new connection.'),
  int('response_bytes', 'Size of each answer\'s body.', 'response_bytes = 2048', {
    default: 0, min: 0, max: LIMITS.responseBodyBytes, unit: 'bytes',
    docs: 'Counted in the results\' bytes received. The body is filler bytes: checks and extractions on it find nothing (a status check works).',
  }),
];

/** The keys of one request: [[requests]], and (without weight) [[setup]] and [[teardown]]. */
const REQUEST_KEYS: KeySpec[] = [
  str('name', 'Unique name, used in reports and `[sequence]`.', 'name = "list_users"', { defaultText: '"METHOD path"' }),
  {
    key: 'method', type: 'enum', values: METHODS, default: 'GET', summary: 'HTTP method.', example: 'method = "POST"',
    valueDocs: {
      GET: 'Read a resource.', POST: 'Create a resource or submit data.', PUT: 'Replace a resource.', DELETE: 'Delete a resource.',
      PATCH: 'Modify part of a resource.', HEAD: 'Like GET, without the body.', OPTIONS: 'Ask which methods a resource allows.',
    },
  },
  str('path', 'Path (and query) appended to base_url; starts with `/`. May hold templates.', 'path = "/api/users?page=1"', {
    required: true, format: 'path',
    docs: 'Templates (`{{ … }}`, see [Templates](#templates)) are rendered for every request, e.g. `path = "/users/{{ random_int(1, 1000) }}?vu={{ vu }}"`; use `url_encode(…)` for values that may hold reserved characters.',
  }),
  {
    key: 'headers', type: 'string-map', summary: 'Request headers, as an inline table of strings (at most 100). Values may hold templates.',
    example: 'headers = { Accept = "application/json", Authorization = "Bearer token" }',
    docs: 'Header values may hold templates, e.g. `headers = { Authorization = "Bearer {{ env.API_TOKEN }}", X-Request-Id = "{{ uuid() }}" }`; header names are sent as written.',
  },
  str('body', 'Request body, sent as written after rendering its templates.', "body = '{\"name\": \"test\"}'", {
    docs: "Use a literal string ('…' or '''…''') for JSON. Not together with body_file. Templates are rendered, e.g. `body = '{\"user\": {{ json_encode(user) }}, \"n\": {{ iteration }}}'`.",
  }),
  str('body_file', 'File whose bytes are the body, relative to the scenario file.', 'body_file = "payloads/user.json"', {
    format: 'file', docs: 'Not together with body. Its bytes are sent exactly as they are (`{{ … }}` in the file is not rendered) unless `body_file_templates = true`.',
  }),
  {
    key: 'body_file_templates', type: 'boolean', default: false, with: ['body_file'],
    summary: 'Render `{{ … }}` in the contents of body_file, as in an inline body.', example: 'body_file_templates = true',
    docs: `The file is then read as UTF-8 text (at most ${LIMITS.templatedBodyFileBytes / 1048576} MiB: it is rendered for every request) and its templates use the same names as the request's other templates. A name the file uses that does not exist stops \`z6 run\` before any request, naming the file. Off by default, so a file whose bytes happen to contain \`{{\` is still sent as it is.`,
  },
  int('timeout_ms', 'Time allowed for the whole request, from sending to the last byte of the response.', 'timeout_ms = 5000', {
    default: 30000, min: 1, max: LIMITS.timeoutMs, unit: 'ms',
  }),
  num('weight', 'Relative share of traffic; any non-negative number.', 'weight = 70', {
    default: 1, min: 0,
    docs: 'Shares are weight / sum of weights: 0.3/0.7, 9/1 and 70/20/10 all work. The sum must be greater than 0.',
  }),
];

export const SCHEMA: readonly SectionSpec[] = [
  {
    name: 'metadata', kind: 'table',
    summary: 'Describes the scenario. Every key is optional.',
    example: '[metadata]\nname = "Checkout API"\nversion = "1.2"',
    keys: [
      str('name', 'Name of the scenario, shown in reports.', 'name = "Checkout API"'),
      str('description', 'Free text describing what the scenario tests.', 'description = "Browse, then buy"'),
      str('version', 'Version of the scenario, for your own bookkeeping.', 'version = "1.2"'),
      str('author', 'Who wrote or owns the scenario.', 'author = "perf-team"'),
      { key: 'tags', type: 'string-array', summary: 'Labels to group scenarios.', example: 'tags = ["api", "smoke"]' },
    ],
  },
  {
    name: 'runtime', kind: 'table',
    summary: 'How long the run lasts, how many virtual users (VUs) at most, and the seed.',
    docs: 'A run needs a duration: `duration_seconds`, `iterations`, or a schedule that has its own length (ramp with ramp_duration_seconds, spike, steps, ramp_arrival_rate).',
    example: '[runtime]\nduration_seconds = 60\nvus = 10\nprng_seed = 42',
    keys: [
      int('duration_seconds', 'Length of the run.', 'duration_seconds = 60', {
        min: 1, max: LIMITS.durationSeconds, unit: 's',
        docs: 'When a schedule also has its own length and they disagree, this value wins: the schedule is cut short, or its last level is held.',
      }),
      int('vus', 'Number of virtual users; with a schedule, the most it may use.', 'vus = 10', {
        min: 1, max: LIMITS.vus, defaultText: 'the schedule\'s peak, else 1',
        docs: 'Without `[schedule]` the run is constant at this many VUs. With a schedule it is a cap: a schedule that needs more is an error.',
      }),
      int('prng_seed', 'Seed for every random choice (request mix, think time).', 'prng_seed = 42', {
        min: 0, max: Number.MAX_SAFE_INTEGER, defaultText: 'a random seed, printed and stored in the results',
        docs: 'Equal seeds give equal plans: each VU draws from its own stream derived from the seed, so the choices do not depend on response timing. Override with `z6 run --seed N`.',
      }),
      int('iterations', 'Iterations per VU; each VU stops after this many requests (or sequence passes).', 'iterations = 100', {
        min: 1, max: 1_000_000_000,
        docs: 'An alternative to a duration. With both, the run ends at whichever comes first.',
      }),
      {
        key: 'workers', type: 'integer-or-auto', min: 1, max: 256, default: 1,
        summary: 'Worker threads that run the load (one per core at most is useful), or "auto".', example: 'workers = "auto"',
        docs: 'Each worker runs one segment of the plan (every n-th VU or arrival, with its own seeded stream) on its own event loop; the results are merged into one run, judged by the assertions as a whole. `"auto"` uses one worker per core for a run with at least 32 VUs (open model: 5,000 arrivals/s) at its peak, else one. `z6 run --workers` overrides it. Never more workers than VUs (or max_in_flight).',
      },
    ],
  },
  {
    name: 'target', kind: 'table', required: true,
    summary: 'The system under test and how to connect to it.',
    example: '[target]\nbase_url = "http://127.0.0.1:8080"',
    keys: [
      str('base_url', 'Scheme, host, optional port and base path of the target.', 'base_url = "https://api.example.com"', {
        required: true, format: 'url',
        docs: 'Must be `http://` or `https://`, or `sim://NAME` for a simulated target that answers from the [simulation] model in virtual time (docs/simulation.md). A path here (e.g. `/v1`) prefixes every request path. At most 2048 characters with the request path.',
      }),
      {
        key: 'http_version', type: 'enum', values: ['http1.1', 'http2'], default: 'http1.1',
        valueDocs: { 'http1.1': 'HTTP/1.1 with keep-alive connections.', http2: 'HTTP/2 (over TLS with ALPN, or h2c prior knowledge on http://).' },
        summary: 'HTTP protocol version.', example: 'http_version = "http2"',
      },
      {
        key: 'tls', type: 'boolean', defaultText: 'true for https://, false for http://',
        summary: 'Whether connections use TLS. Must agree with the scheme of base_url.', example: 'tls = true',
        docs: 'The scheme decides: a value that disagrees with it is a warning and the scheme wins.',
      },
      {
        key: 'demo', type: 'boolean', default: false, summary: 'Run against the embedded demo target, which z6 starts for the run.', example: 'demo = true',
        docs: 'For trying Z6 with nothing else installed: `z6 run` (and Run Scenario in the editor) starts the demo target on a free loopback port for the length of the run, and sends the requests there instead of to base_url\'s host and port (base_url\'s path is kept). Its endpoints: `/`, `/json`, `/slow?ms=N`, `/flaky?rate=R`, `/error`, `/status/CODE`, `/echo`. `z6 run --demo` does the same for any scenario.',
      },
      { key: 'verify_cert', type: 'boolean', default: true, summary: 'Verify the server\'s TLS certificate.', example: 'verify_cert = false' },
      str('ca_bundle', 'PEM file of extra trusted CA certificates, relative to the scenario file.', 'ca_bundle = "certs/ca.pem"', { format: 'file' }),
      int('max_connections', 'Most connections open to the target at once.', 'max_connections = 100', {
        min: 1, max: LIMITS.maxConnections, defaultText: 'one per VU',
        docs: 'By default each VU keeps its own keep-alive connection, as k6 and browsers do. With HTTP/1.1 a lower value makes VUs wait in one queue for a free connection: that wait is reported as queue wait and counts in their latency and `timeout_ms`. With HTTP/2 the VUs are spread over this many connections and multiplex their requests as concurrent streams on them.',
      }),
      int('connection_timeout_ms', 'Time allowed to open a connection (TCP and TLS).', 'connection_timeout_ms = 5000', {
        default: 10000, min: 1, max: LIMITS.timeoutMs, unit: 'ms',
      }),
      int('max_redirects', 'Most redirects a request follows within the target.', 'max_redirects = 0', {
        default: 10, min: 0, max: 100,
        docs: 'Redirects (301, 302, 303, 307, 308) to the same origin as `base_url` are followed, as k6 and browsers do: 303, and 301/302 after a POST, continue as a GET without body; 307 and 308 repeat the request. The final response is what counts; its latency covers every hop, and the hops are counted in the results. A request that would need more hops fails with kind `redirect` (so a redirect loop is a failure). `0` turns following off: the 3xx is the response. A redirect to another origin is never followed: its 3xx is the response.',
      }),
      {
        key: 'cookies', type: 'boolean', default: true, summary: 'Keep a cookie jar per VU, as browsers and k6 do.', example: 'cookies = false',
        docs: 'Each VU stores the cookies the target sets (`Set-Cookie`, also on redirects) and sends them back on its next requests (`Cookie`), so a session cookie from a login is used by the VU\'s later requests. Expired cookies (`Max-Age=0`, a past `Expires`) are removed; `Domain` and `Path` are not matched, because every request goes to the one target. With a `[sequence]` whose `reset_state` is true the jar is emptied at the start of each pass. `false`: no `Cookie` header is ever added.',
      },
      int('unreachable_stop_seconds', 'Stop the run when nothing has answered for this long.', 'unreachable_stop_seconds = 30', {
        default: 10, min: 0, max: LIMITS.durationSeconds, unit: 's',
        docs: 'As soon as the first requests have all failed to connect (refused, DNS, TLS) with no response at all, z6 says so (terminal, panel): "nothing answers at HOST:PORT". If still no response has come after this many seconds of load, the run stops with status error (exit 3) instead of spending its whole duration on failures. A single response, of any status, turns the rule off for the rest of the run. `0`: never stop for this.',
      }),
      int('connect_backoff_max_ms', 'Longest pause of a VU after its connection attempts fail.', 'connect_backoff_max_ms = 2000', {
        default: 1000, min: 0, max: LIMITS.timeoutMs, unit: 'ms',
        docs: 'After a request fails before reaching a connection (refused, DNS, TLS), its VU waits 10 ms, then twice as long after each further such failure, up to this value, or its think time if that is longer; any response resets the pause. A dead target then gives a clear result instead of a busy loop. `0` turns the back-off off (the VU still yields to the event loop). The open model is not affected: arrivals keep their schedule.',
      }),
    ],
  },
  {
    name: 'simulation', kind: 'table',
    summary: 'The simulated target of base_url = "sim://NAME": its capacity and how it answers.',
    docs: 'A run against `sim://NAME` sends nothing over the network: a model answers every request, on a virtual clock that jumps from one event to the next, so an hour of load takes seconds and two runs with the same seed give byte-identical results. '
      + 'The target has `concurrency` servers; each request holds one for its service time (`latency`), and requests that find them all busy wait in a first-in, first-out queue, so offered load above `concurrency` ÷ service time makes latency climb as on a real server. '
      + 'The response keys here apply to every request; `[requests.simulation]` changes them for one. The results start at the virtual time 2000-01-01T00:00:00.000Z. See docs/simulation.md for what is and is not simulated.',
    example: '[simulation]\nconcurrency = 8\nqueue_limit = 100\nlatency = "lognormal"\nlatency_ms = 40\nlatency_p99_ms = 250\nerror_rate = 0.01',
    keys: [
      int('concurrency', 'Requests the simulated target serves at once (its servers).', 'concurrency = 8', {
        min: 1, max: LIMITS.vus, defaultText: 'unlimited: every request is served at once',
        docs: 'A request that finds every server busy waits for one, first come first served; the wait is part of its latency and of its `timeout_ms`. A request the client gives up on (timeout) leaves the queue, or frees its server, at that moment.',
      }),
      int('queue_limit', 'Most requests waiting for a server; one more is answered with queue_full_status at once.', 'queue_limit = 100', {
        min: 0, max: 10_000_000, defaultText: 'unlimited',
        docs: 'As a server that sheds load: beyond `concurrency` busy servers and this many waiting requests, a new request is answered at once with `queue_full_status` (503), without service time. Only with `concurrency`.',
      }),
      int('queue_full_status', 'The status of the answers to requests that found the queue full.', 'queue_full_status = 429', { default: 503, min: 400, max: 599 }),
      num('connect_ms', 'Time to open a connection to the simulated target.', 'connect_ms = 1', {
        default: 0, min: 0, max: LIMITS.timeoutMs, unit: 'ms',
        docs: 'Each new connection (a VU\'s first request, and the first after a reset, a timeout or a refused connect) takes this long before its request is sent; it is part of that request\'s latency and reported as connect time.',
      }),
      ...SIM_RESPONSE_KEYS,
    ],
  },
  {
    name: 'vars', kind: 'table',
    summary: 'Named constants for templates: `{{ name }}` in a path, header value or body.',
    docs: 'Each key is a variable name you choose (letters, digits and `_`, not starting with a digit, and not a built-in name or `env`). '
      + 'Its value is a string, number or boolean, used as written: `{{ … }}` inside a variable is not rendered. '
      + 'A variable can be marked secret with the inline-table form `{ value = …, secret = true }`: wherever Z6 shows a value (`z6 plan`), a secret shows as `***`. '
      + 'Values from the environment (`{{ env.NAME }}`) are always secret. See [Templates](#templates) for the expression syntax and the built-ins.',
    example: '[vars]\nuser = "alice"\nmax_id = 1000\napi_key = { value = "k-123", secret = true }',
    keys: [],
    userKeys: {
      what: 'variable',
      pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
      patternText: 'letters, digits and _, not starting with a digit',
      reserved: RESERVED_NAMES,
      formText: 'a string, number or boolean, or { value = …, secret = true }',
      fields: [
        { key: 'value', type: 'scalar', required: true, summary: 'The value: a string, number or boolean.', example: 'value = "k-123"' },
        { key: 'secret', type: 'boolean', default: false, summary: 'Show the value as `***` wherever Z6 displays it.', example: 'secret = true' },
      ],
    },
  },
  {
    name: 'data', kind: 'array', maxItems: LIMITS.dataFiles,
    summary: 'A data file (CSV, JSON or NDJSON) whose columns are template variables; each VU iteration draws one row.',
    docs: 'Each column becomes a variable: `{{ username }}` is the `username` cell of the row drawn. The file is relative to the scenario. '
      + '**CSV**: the first row is the header (its cells are the column names); RFC 4180 quoting (`"a, b"`, `""` for a quote, line breaks inside quotes), LF or CRLF, a UTF-8 BOM is skipped, empty lines are skipped, and every row has as many cells as the header. '
      + '**JSON**: an array of objects, parsed whole (at most 32 MiB); the keys of the first object are the columns. **NDJSON** (`.ndjson`, `.jsonl`): one object per line, read line by line. '
      + 'In JSON and NDJSON a string is used as it is, a number or boolean as its text, an array or object as its JSON text; a missing key or `null` fails the request that uses it (kind `template`). '
      + 'CSV and NDJSON files are indexed (byte offsets, not copies of the rows) and read row by row, so a file of any size runs in bounded memory, shared by all VUs. '
      + 'A row is drawn once per iteration of a VU, at its first request that renders templates: one request without `[sequence]`, one pass of the sequence with it, one arrival in the open model. Every request of that iteration sees the same row. '
      + 'A column name must be a valid variable name and must not be a `[vars]` name, a built-in, or a column of another data file; `columns` selects fewer columns (the others are ignored).',
    example: '[[data]]\nfile = "users.csv"\nmode = "unique"\non_exhausted = "stop_run"\nsecret = true',
    keys: [
      str('file', 'The data file, relative to the scenario file.', 'file = "data/users.csv"', {
        required: true, format: 'file',
        docs: 'A regular file (never a FIFO or device). Its format is taken from its extension (`.csv`, `.json`, `.ndjson`, `.jsonl`) unless `format` says otherwise.',
      }),
      {
        key: 'format', type: 'enum', values: ['csv', 'json', 'ndjson'], defaultText: 'from the file\'s extension',
        summary: 'How the file is written.', example: 'format = "csv"',
        valueDocs: {
          csv: 'Comma-separated values with a header row (RFC 4180).',
          json: 'A JSON array of objects, parsed whole (at most 32 MiB).',
          ndjson: 'One JSON object per line (newline-delimited JSON, JSON Lines).',
        },
      },
      {
        key: 'mode', type: 'enum', values: ['sequential', 'unique', 'random', 'per_vu'], default: 'sequential',
        summary: 'Which row each iteration draws.', example: 'mode = "unique"',
        docs: '`sequential` and `unique` share one cursor between all VUs, so which VU gets which row depends on timing; `random`, and `per_vu` in the closed model, are pure functions of (seed, VU, iteration), so `z6 plan` shows exactly what a run draws.',
        valueDocs: {
          sequential: 'The next row of one cursor shared by all VUs; after the last row it starts again at the first.',
          unique: 'Like sequential, but each row is used at most once in the whole run; when none is left, `on_exhausted` decides.',
          random: 'A uniformly random row, drawn from the seed, the VU and its iteration (open model: the arrival): reproducible with the seed.',
          per_vu: 'The row of the VU\'s index (VU 0 gets the first row), modulo the number of rows; the same row for every iteration. Open model: the in-flight slot.',
        },
      },
      {
        key: 'on_exhausted', type: 'enum', values: ['stop_vu', 'stop_run', 'wrap'], default: 'stop_run',
        summary: 'With mode = "unique": what happens when every row has been used.', example: 'on_exhausted = "stop_vu"',
        docs: 'Only with `mode = "unique"`. The iteration that finds no row left sends nothing (never a request with empty values) and is not counted as issued. In the open model `stop_vu` acts as `stop_run` (an arrival has no VU to stop).',
        valueDocs: {
          stop_vu: 'That VU stops; the others go on until they find no row either, or the run ends. When every VU has stopped, the run ends.',
          stop_run: 'The run stops as at the end of its duration: requests in flight finish, the status stays `completed`, and the results (`endReason`) and summary say that the rows ran out.',
          wrap: 'Start again at the first row (each row once per round).',
        },
      },
      { key: 'secret', type: 'boolean', default: false, summary: 'Treat every value of this file as secret: shown as `***` wherever Z6 displays it.', example: 'secret = true' },
      {
        key: 'columns', type: 'string-array', defaultText: 'every column',
        summary: 'Only these columns become variables.', example: 'columns = ["username", "password"]',
        docs: 'Each must be a column of the file. Use it to leave out columns whose names clash with other variables or are not valid names.',
      },
    ],
  },
  {
    name: 'requests', kind: 'array', required: true, minItems: 1, maxItems: LIMITS.requests,
    summary: 'A request the VUs send. Repeat `[[requests]]` for each one (1 to 1000).',
    docs: 'Without `[sequence]`, each iteration picks one request at random in proportion to its weight.',
    example: '[[requests]]\nname = "list_users"\nmethod = "GET"\npath = "/api/users"',
    keys: REQUEST_KEYS,
  },
  EXTRACT_SECTION,
  CHECKS_SECTION,
  {
    name: 'requests.assertions', kind: 'table',
    summary: 'Assertions on this request alone, checked after the run beside the global ones.',
    docs: 'The same keys as [assertions], computed over this request\'s own responses and failures (its latency histogram, its failures, its checks). `z6 run` exits with 1 when any fails; results, summary and report show them with the request\'s name.',
    example: '[requests.assertions]\np99_latency_ms = 300\nerror_rate_max = 0.001',
    keys: [...SCOPED_ASSERTION_KEYS],
  },
  {
    name: 'requests.simulation', kind: 'table',
    summary: 'How a simulated target (base_url = "sim://NAME") answers this request, over [simulation]\'s keys.',
    docs: 'The same response keys as [simulation]; a key not set here is [simulation]\'s. The target\'s capacity (concurrency, queue) is shared by all requests. No effect on a real target.',
    example: '[requests.simulation]\nlatency_ms = 120\nlatency_p99_ms = 900\nerror_rate = 0.05',
    keys: [...SIM_RESPONSE_KEYS],
  },
  {
    name: 'setup', kind: 'array', maxItems: LIMITS.requests,
    summary: 'Requests sent once, in order, before the load starts (log in as admin, create a fixture).',
    docs: 'The same keys as [[requests]] (without weight), with [setup.extract] and [setup.checks]. What a setup request extracts is a constant for every VU and for [[teardown]]: `{{ admin_token }}`. '
      + 'A setup request fails when it gets no response, a status of 400 or more, a failed check, or an extraction that finds nothing: the run then ends before any load, with status error and exit code 3, and the message says which request and why. '
      + 'Setup requests are not load: they are in the results\' `setup` list, not in the request figures.',
    example: '[[setup]]\nname = "admin login"\nmethod = "POST"\npath = "/login"\nbody = \'{"user": "admin"}\'\n\n[setup.extract]\nadmin_token = { json = "$.token", secret = true }',
    keys: REQUEST_KEYS.filter((k) => k.key !== 'weight'),
  },
  { ...EXTRACT_SECTION, name: 'setup.extract', sameAs: 'requests.extract' },
  { ...CHECKS_SECTION, name: 'setup.checks', sameAs: 'requests.checks' },
  {
    name: 'teardown', kind: 'array', maxItems: LIMITS.requests,
    summary: 'Requests sent once, in order, after the load has ended (delete the fixture).',
    docs: 'The same keys as [[setup]]. They run after every VU has finished (also after a cancel or an abort), see what setup extracted, and are listed in the results\' `teardown`. A failing teardown request is reported (summary and results) and the next one still runs; it does not change the exit code.',
    example: '[[teardown]]\nname = "delete fixture"\nmethod = "DELETE"\npath = "/fixtures/{{ fixture_id }}"',
    keys: REQUEST_KEYS.filter((k) => k.key !== 'weight'),
  },
  { ...EXTRACT_SECTION, name: 'teardown.extract', sameAs: 'requests.extract' },
  { ...CHECKS_SECTION, name: 'teardown.checks', sameAs: 'requests.checks' },
  {
    name: 'schedule', kind: 'table',
    summary: 'How the load changes over time. Without it the run is constant at runtime.vus.',
    docs: 'Closed model (constant, ramp, spike, steps): a number of VUs, each sending its next request after the last response and think time. Open model (arrival_rate, ramp_arrival_rate): new requests start at a set rate, whatever the responses do.',
    example: '[schedule]\ntype = "ramp"\nstart_vus = 0\nend_vus = 50\nramp_duration_seconds = 30\nhold_duration_seconds = 60',
    keys: [
      {
        key: 'type', type: 'enum', values: SCHEDULE_TYPES, required: true, summary: 'Shape of the load.', example: 'type = "constant"',
        valueDocs: {
          constant: 'A fixed number of VUs for the whole run (`vus`).',
          ramp: 'VUs change linearly from `start_vus` to `end_vus` over `ramp_duration_seconds`, then hold for `hold_duration_seconds`.',
          spike: '`baseline_vus`, jumping to `spike_vus` at `spike_start_seconds` for `spike_duration_seconds`, then back to baseline.',
          steps: 'A list of `[[schedule.steps]]`, each `vus` for `duration_seconds`, in order.',
          arrival_rate: 'Open model: `rate` new requests per second, at most `max_in_flight` at once; the rest are counted as dropped.',
          ramp_arrival_rate: 'Open model: the rate changes linearly from `start_rate` to `end_rate` over `ramp_duration_seconds`, then holds.',
        },
      },
      int('vus', 'VUs (constant); for ramp, the end level when end_vus is not set.', 'vus = 20', {
        min: 0, max: LIMITS.vus, defaultText: 'runtime.vus', appliesTo: ['constant', 'ramp'],
      }),
      int('start_vus', 'VUs at the start of the ramp.', 'start_vus = 0', { default: 0, min: 0, max: LIMITS.vus, appliesTo: ['ramp'] }),
      int('end_vus', 'VUs at the end of the ramp (held afterwards).', 'end_vus = 50', {
        min: 0, max: LIMITS.vus, defaultText: 'vus, else runtime.vus', appliesTo: ['ramp'],
      }),
      int('ramp_duration_seconds', 'Length of the ramp.', 'ramp_duration_seconds = 30', {
        min: 0, max: LIMITS.durationSeconds, unit: 's', defaultText: 'the whole run', appliesTo: ['ramp', 'ramp_arrival_rate'],
      }),
      int('hold_duration_seconds', 'Time at the end level after the ramp.', 'hold_duration_seconds = 60', {
        default: 0, min: 0, max: LIMITS.durationSeconds, unit: 's', appliesTo: ['ramp', 'ramp_arrival_rate'],
      }),
      int('baseline_vus', 'VUs before and after the spike.', 'baseline_vus = 5', { required: true, min: 0, max: LIMITS.vus, appliesTo: ['spike'] }),
      int('spike_vus', 'VUs during the spike.', 'spike_vus = 100', { required: true, min: 0, max: LIMITS.vus, appliesTo: ['spike'] }),
      int('spike_start_seconds', 'When the spike begins.', 'spike_start_seconds = 30', { required: true, min: 0, max: LIMITS.durationSeconds, unit: 's', appliesTo: ['spike'] }),
      int('spike_duration_seconds', 'How long the spike lasts.', 'spike_duration_seconds = 10', { required: true, min: 1, max: LIMITS.durationSeconds, unit: 's', appliesTo: ['spike'] }),
      num('rate', 'New requests started per second.', 'rate = 200', { required: true, min: 0, minExclusive: true, max: LIMITS.arrivalRate, unit: '1/s', appliesTo: ['arrival_rate'] }),
      num('start_rate', 'Arrival rate at the start of the ramp.', 'start_rate = 10', { default: 0, min: 0, max: LIMITS.arrivalRate, unit: '1/s', appliesTo: ['ramp_arrival_rate'] }),
      num('end_rate', 'Arrival rate at the end of the ramp (held afterwards).', 'end_rate = 500', { required: true, min: 0, max: LIMITS.arrivalRate, unit: '1/s', appliesTo: ['ramp_arrival_rate'] }),
      int('max_in_flight', 'Most requests in flight at once in the open model.', 'max_in_flight = 200', {
        min: 1, max: LIMITS.vus, defaultText: 'runtime.vus, else 100', appliesTo: ['arrival_rate', 'ramp_arrival_rate'],
        docs: 'An arrival that finds every slot busy is counted as dropped, never silently lost.',
      }),
    ],
  },
  {
    name: 'schedule.steps', kind: 'array', minItems: 1, maxItems: LIMITS.steps, appliesTo: ['steps'],
    summary: 'One step of a `steps` schedule: `vus` for `duration_seconds`. Steps run in order.',
    example: '[[schedule.steps]]\nvus = 10\nduration_seconds = 30',
    keys: [
      int('vus', 'VUs during this step.', 'vus = 10', { required: true, min: 0, max: LIMITS.vus }),
      int('duration_seconds', 'Length of this step.', 'duration_seconds = 30', { required: true, min: 1, max: LIMITS.durationSeconds, unit: 's' }),
    ],
  },
  {
    name: 'think_time', kind: 'table',
    summary: 'Pause of a VU between the end of one response and its next request.',
    example: '[think_time]\ntype = "random"\nmin_ms = 500\nmax_ms = 1500',
    keys: [
      {
        key: 'type', type: 'enum', values: ['constant', 'random'], required: true, summary: 'Constant or uniformly random pause.', example: 'type = "constant"',
        valueDocs: { constant: 'Always `duration_ms`.', random: 'Uniform between `min_ms` and `max_ms`, drawn from the VU\'s seeded stream.' },
      },
      int('duration_ms', 'The pause.', 'duration_ms = 1000', { required: true, min: 0, max: LIMITS.timeoutMs, unit: 'ms', appliesTo: ['constant'] }),
      int('min_ms', 'Shortest pause.', 'min_ms = 500', { required: true, min: 0, max: LIMITS.timeoutMs, unit: 'ms', appliesTo: ['random'] }),
      int('max_ms', 'Longest pause.', 'max_ms = 1500', { required: true, min: 0, max: LIMITS.timeoutMs, unit: 'ms', appliesTo: ['random'] }),
    ],
  },
  {
    name: 'sequence', kind: 'table',
    summary: 'An ordered walk through named requests, instead of weighted random choice.',
    docs: 'Each VU walks the steps in order, repeating each step `repeat` times, then starts over.',
    example: '[sequence]\ntype = "ordered"\n\n[[sequence.steps]]\nrequest = "login"\n\n[[sequence.steps]]\nrequest = "browse"\nrepeat = 3',
    keys: [
      {
        key: 'type', type: 'enum', values: ['ordered'], default: 'ordered', summary: 'How the steps are walked.', example: 'type = "ordered"',
        valueDocs: { ordered: 'Steps in the order written, then again from the first.' },
      },
      {
        key: 'reset_state', type: 'boolean', default: true, summary: 'Start each pass of the sequence without the extracted values and cookies of the last one.', example: 'reset_state = false',
        docs: 'A pass of the sequence is one iteration of the VU, like one run of a k6 default function: by default what its requests extracted and the cookies they got are cleared when the next pass begins, so each pass logs in anew. `false`: they persist for the VU\'s whole life. Without [sequence] every request is an iteration and the state always persists.',
      },
    ],
  },
  {
    name: 'sequence.steps', kind: 'array', minItems: 1, maxItems: LIMITS.steps,
    summary: 'One step of the sequence: a request by name, repeated `repeat` times.',
    example: '[[sequence.steps]]\nrequest = "login"\nrepeat = 1',
    keys: [
      str('request', 'Name of a `[[requests]]` entry.', 'request = "login"', { required: true, format: 'request-name' }),
      int('repeat', 'How many times in a row.', 'repeat = 3', { default: 1, min: 1, max: 1_000_000 }),
    ],
  },
  {
    name: 'assertions', kind: 'table',
    summary: 'Pass/fail thresholds checked over the whole run after it ends (and, with abort_on_fail, while it runs).',
    docs: '`_max` means ≤ and `_min` means ≥. Rates are fractions from 0 to 1. `z6 run` exits with 1 when any fails. Assertions on one request go in [requests.assertions], on one check in its `pass_rate_min`.',
    example: '[assertions]\np99_latency_ms = 500\nerror_rate_max = 0.01',
    keys: [
      ...SCOPED_ASSERTION_KEYS,
      num('dropped_rate_max', 'Open model: highest allowed share of arrivals dropped (dropped / offered arrivals).', 'dropped_rate_max = 0.01', {
        min: 0, max: 1, schedules: OPEN_SCHEDULES,
        docs: 'Offered arrivals = issued + dropped. An arrival is dropped when all `max_in_flight` slots are busy: the target (or the slots) could not keep up with the rate, and the latency histograms leave it out. In the closed model nothing is ever dropped (a VU waits for its response): the key has no effect there, reads 0 and passes, and the validator warns.',
      }),
      {
        key: 'abort_on_fail', type: 'boolean', default: false, summary: 'Stop the run as soon as an assertion has failed for good.', example: 'abort_on_fail = true',
        docs: 'Every second after `abort_delay_seconds`, the assertions (global, per request and per check) are evaluated on the figures so far; the first that fails stops the run like a cancel: in-flight requests finish (up to the graceful stop), the results are written, the summary says which assertion stopped it and when, and `z6 run` exits with 1. As k6\'s abortOnFail: a run that is already lost does not spend its whole duration in CI. `rps_min` is left out of the early check (a rate is not final before the end).',
      },
      int('abort_delay_seconds', 'Seconds of load before abort_on_fail starts evaluating.', 'abort_delay_seconds = 10', {
        default: 0, min: 0, max: LIMITS.durationSeconds, unit: 's',
        docs: 'Early figures rest on few samples (and warm-up): give them time before they can stop the run.',
      }),
    ],
  },
  {
    name: 'output', kind: 'table',
    summary: 'What a run writes besides its results: the event log.',
    example: '[output]\nevents = "runs/checkout.events.gz"\nevents_max_mb = 256',
    keys: [
      str('events', 'Write the run\'s event log to this file (gzip), relative to the scenario file.', 'events = "runs/checkout.events.gz"', {
        docs: 'One record per VU start and stop, per request issued (VU, request, its index in the VU\'s plan, intended and actual start, data rows drawn) and per outcome (status or failure kind, latency, queue wait, bytes, the checks\' results), between a header (engine version, scenario hash, seed, options) and a footer (counts and a checksum). `z6 replay FILE --verify` checks it against the scenario, the seed and the results. Only names, indices and numbers are written: never a header value, a body or an extracted value. `z6 run --events FILE` does the same for one run (and wins over this key). The format: docs/event-log.md.',
      }),
      num('events_max_mb', 'Largest size of the event log file.', 'events_max_mb = 256', {
        default: 1024, min: 0.1, max: 1_048_576, unit: 'MiB',
        docs: 'When the next records would take the file past this size, the log ends there, cleanly: its footer says it was truncated and how many records it holds. The run itself goes on and its results are complete. `z6 run --events-max-mb N` overrides it.',
      }),
    ],
  },
];

const bySection = new Map(SCHEMA.map((s) => [s.name, s]));

export function sectionSpec(name: string): SectionSpec | undefined {
  return bySection.get(name);
}

export function keySpec(section: string, key: string): KeySpec | undefined {
  return bySection.get(section)?.keys.find((k) => k.key === key);
}

/** Top-level section names (those without a dot). */
export const TOP_SECTIONS = SCHEMA.filter((s) => !s.name.includes('.')).map((s) => s.name);

/** Human text for a key's default. */
export function defaultText(spec: KeySpec): string | undefined {
  if (spec.default !== undefined) return JSON.stringify(spec.default);
  return spec.defaultText;
}

const TYPE_TEXT: Record<ValueType, string> = {
  string: 'string',
  integer: 'integer',
  number: 'number (integer or float)',
  boolean: 'boolean',
  enum: 'string',
  'string-array': 'array of strings',
  'string-map': 'inline table of strings',
  scalar: 'string, number or boolean',
  'status-set': 'status code, or array of status codes',
  'integer-or-auto': 'integer, or "auto"',
};

/** The key's TOML type in words, as docs, hovers and completion show it. */
export function typeText(spec: KeySpec): string {
  return TYPE_TEXT[spec.type];
}

/** The allowed numeric range with its unit: "1 … 86400 s", "> 0 ms", "≥ 0". */
export function rangeText(spec: KeySpec): string | undefined {
  const unit = spec.unit ? ` ${spec.unit}` : '';
  if (spec.min !== undefined && spec.max !== undefined) return `${spec.minExclusive ? `> ${spec.min} and ≤ ${spec.max}` : `${spec.min} … ${spec.max}`}${unit}`;
  if (spec.min !== undefined) return `${spec.minExclusive ? '>' : '≥'} ${spec.min}${unit}`;
  if (spec.max !== undefined) return `≤ ${spec.max}${unit}`;
  return undefined;
}

/** The closest candidate by edit distance, when it is close enough to be a likely typo. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return best !== undefined && bestD <= limit ? best : undefined;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
