import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateText } from '../../engine/scenario/validate';
import { applyEdits, BASE, diags, placed } from './helpers';

test('a minimal scenario is valid and fully defaulted', () => {
  const r = validateText(BASE);
  assert.deepEqual(r.diagnostics, []);
  const s = r.scenario!;
  assert.deepEqual(s.schedule, { type: 'constant', vus: 5 });
  assert.equal(s.runtime.durationSeconds, 10);
  assert.equal(s.runtime.seed, undefined);
  assert.deepEqual(s.requests.map((q) => [q.name, q.method, q.wirePath, q.timeoutMs, q.weight]), [['home', 'GET', '/', 30000, 1]]);
  assert.deepEqual([s.target.origin, s.target.httpVersion, s.target.tls, s.target.verifyCert, s.target.connectionTimeoutMs], ['http://127.0.0.1:8080', 'http1.1', false, true, 10000]);
  assert.match(s.source.hash, /^[0-9a-f]{64}$/);
});

test('misspelt key, wrong type and duplicate name: one diagnostic each, at the exact token', () => {
  const text = BASE.replace('duration_seconds', 'duraton_seconds').replace('vus = 5', 'vus = "5"') + '\n[[requests]]\nname = "home"\npath = "/b"\n';
  assert.deepEqual(diags(text), [
    '5:1-5:16 error unknown-key «duraton_seconds»',
    '6:7-6:10 error wrong-type «"5"»',
    '13:8-13:14 error duplicate-name «"home"»',
  ]);
  const r = validateText(text);
  assert.equal(r.diagnostics[0]!.message, "unknown key 'duraton_seconds' in [runtime]; did you mean 'duration_seconds'?");
  assert.equal(r.scenario, undefined);
});

test('the "did you mean" fix repairs the key', () => {
  const text = BASE.replace('duration_seconds', 'duraton_seconds');
  const d = validateText(text).diagnostics[0]!;
  const fixed = applyEdits(text, d.fixes![0]!.edits);
  assert.equal(fixed, BASE);
  assert.deepEqual(validateText(fixed).diagnostics, []);
});

test('unknown section with a suggestion, enum values with case fixes', () => {
  const text = BASE + '\n[asertions]\np99_latency_ms = 5\n\n[[requests]]\nmethod = "get"\npath = "/x"\n';
  const r = validateText(text);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.message]), [
    ['unknown-section', 'unknown section [asertions]; did you mean [assertions]?'],
    ['invalid-value', `'method' must be one of "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"; found "get". Did you mean "GET"?`],
  ]);
  assert.equal(applyEdits(text, r.diagnostics[1]!.fixes![0]!.edits).includes('method = "GET"'), true);
});

test('out-of-range values and limits name the bound', () => {
  const text = BASE.replace('vus = 5', 'vus = 0').replace('duration_seconds = 10', 'duration_seconds = 90000') + 'timeout_ms = 4000000\nweight = -1\n';
  assert.deepEqual(validateText(text).diagnostics.map((d) => d.message), [
    "'duration_seconds' must be between 1 and 86400 s; found 90000",
    "'vus' must be between 1 and 100000; found 0",
    "'timeout_ms' must be between 1 and 3600000 ms; found 4000000",
    "'weight' must be at least 0; found -1",
  ]);
});

test('missing required keys point at the table header and offer to add them', () => {
  const text = '[target]\n\n[runtime]\nduration_seconds = 5\n\n[[requests]]\nname = "x"\n';
  const r = validateText(text);
  assert.deepEqual(diags(text), ['1:1-1:9 error missing-key «[target]»', '6:1-6:13 error missing-key «[[requests]]»']);
  const once = applyEdits(text, r.diagnostics[1]!.fixes![0]!.edits);
  const twice = applyEdits(once, validateText(once).diagnostics[0]!.fixes![0]!.edits);
  assert.deepEqual(validateText(twice).diagnostics, []);
});

test('weights: any non-negative numbers, but not all zero', () => {
  const two = (a: string, b: string) => BASE + `weight = ${a}\n\n[[requests]]\nname = "b"\npath = "/b"\nweight = ${b}\n`;
  for (const [a, b] of [['0.3', '0.7'], ['9', '1'], ['70', '30'], ['0', '1']]) {
    assert.deepEqual(validateText(two(a!, b!)).diagnostics, [], `${a}/${b}`);
  }
  assert.deepEqual(diags(two('0', '0.0')), ['11:10-11:11 error weights-zero «0»']);
});

test('body and body_file: exclusive, file must exist relative to the scenario', () => {
  const text = BASE.replace('path = "/"', 'method = "POST"\npath = "/"\nbody = "x"\nbody_file = "data/missing.json"');
  const r = validateText(text, { file: '/tmp/s/scenario.z6.toml', fileKind: (p) => (p === '/tmp/s/data/exists.json' ? 'file' : 'missing') });
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.message]), [
    ['body-conflict', 'set either body or body_file, not both'],
    ['file-not-found', "'body_file': file not found: /tmp/s/data/missing.json"],
  ]);
});

test('tls that disagrees with the scheme is a warning with a fix; the scheme wins', () => {
  const text = BASE.replace('base_url = "http://127.0.0.1:8080"', 'base_url = "https://example.com"\ntls = false');
  const r = validateText(text);
  assert.deepEqual(diags(text), ['3:7-3:12 warning tls-scheme-mismatch «false»']);
  assert.equal(r.scenario!.target.tls, true);
  assert.ok(applyEdits(text, r.diagnostics[0]!.fixes![0]!.edits).includes('tls = true'));
});

test('malformed base_url and path', () => {
  const text = BASE.replace('"http://127.0.0.1:8080"', '"ftp://x"').replace('path = "/"', 'path = "a b"');
  assert.deepEqual(validateText(text).diagnostics.map((d) => d.message), [
    `'base_url' must start with http://, https:// or sim:// (a simulated target); found "ftp://"`,
    `'path' must start with '/'; found "a b"`,
  ]);
  const noScheme = validateText(BASE.replace('"http://127.0.0.1:8080"', '"localhost:3000"')).diagnostics[0]!;
  assert.equal(noScheme.code, 'invalid-url');
});

test('schedules: durations from the schedule, caps from runtime.vus', () => {
  const noRuntime = BASE.replace('[runtime]\nduration_seconds = 10\nvus = 5\n', '');
  const ramp = validateText(noRuntime + '\n[schedule]\ntype = "ramp"\nend_vus = 20\nramp_duration_seconds = 30\nhold_duration_seconds = 15\n').scenario!;
  assert.deepEqual(ramp.schedule, { type: 'ramp', startVus: 0, endVus: 20, rampDurationSeconds: 30, holdDurationSeconds: 15 });
  assert.equal(ramp.runtime.durationSeconds, 45);
  assert.equal(ramp.runtime.maxVus, 20);

  const steps = validateText(noRuntime + '\n[schedule]\ntype = "steps"\n[[schedule.steps]]\nvus = 2\nduration_seconds = 3\n[[schedule.steps]]\nvus = 4\nduration_seconds = 5\n').scenario!;
  assert.equal(steps.runtime.durationSeconds, 8);

  const spike = validateText(noRuntime + '\n[schedule]\ntype = "spike"\nbaseline_vus = 1\nspike_vus = 9\nspike_start_seconds = 10\nspike_duration_seconds = 5\n').scenario!;
  assert.equal(spike.runtime.durationSeconds, 25);

  // The corpus' "ramp with only vus" ramps 0 -> vus over the whole run.
  const onlyVus = validateText(BASE + '\n[schedule]\ntype = "ramp"\nvus = 5\n').scenario!;
  assert.deepEqual(onlyVus.schedule, { type: 'ramp', startVus: 0, endVus: 5, rampDurationSeconds: 10, holdDurationSeconds: 0 });

  assert.deepEqual(diags(BASE + '\n[schedule]\ntype = "constant"\nvus = 8\n'), ['14:7-14:8 error schedule-exceeds-vus «8»']);
  assert.deepEqual(diags(BASE + '\n[schedule]\ntype = "constant"\nvus = 3\n'), ['14:7-14:8 warning vus-mismatch «3»']);
  assert.deepEqual(diags(noRuntime), ['1:1-1:9 error no-duration «[target]»']);
  assert.deepEqual(diags(BASE + '\n[schedule]\ntype = "ramp"\nramp_duration_seconds = 30\n'), ['5:20-5:22 warning duration-mismatch «10»']);
  assert.deepEqual(diags(BASE + '\n[schedule]\ntype = "constant"\nspike_vus = 3\n'), ['14:1-14:10 warning not-applicable «spike_vus»']);
});

test('dropped_rate_max: an open-model assertion; the closed model gets a warning that it has no effect', () => {
  const open = BASE + '\n[schedule]\ntype = "arrival_rate"\nrate = 50\n\n[assertions]\ndropped_rate_max = 0.05\n';
  assert.deepEqual(diags(open), []);
  assert.equal(validateText(open).scenario!.assertions.dropped_rate_max, 0.05);
  assert.deepEqual(diags(BASE + '\n[assertions]\ndropped_rate_max = 0.05\n'), ['13:1-13:17 warning not-applicable «dropped_rate_max»']);
  assert.match(validateText(BASE + '\n[assertions]\ndropped_rate_max = 0.05\n').diagnostics[0]!.message, /no effect with no \[schedule\] \(constant VUs\)/);
  assert.deepEqual(diags(BASE + '\n[schedule]\ntype = "ramp"\n\n[assertions]\ndropped_rate_max = 0.05\n'), ['16:1-16:17 warning not-applicable «dropped_rate_max»']);
  assert.ok(diags(BASE + '\n[schedule]\ntype = "arrival_rate"\nrate = 50\n\n[assertions]\ndropped_rate_max = 1.5\n').some((d) => / error out-of-range «1\.5»$/.test(d)));
});

test('open model: arrival_rate needs a duration and caps in-flight at runtime.vus', () => {
  const s = validateText(BASE + '\n[schedule]\ntype = "arrival_rate"\nrate = 50\n').scenario!;
  assert.deepEqual(s.schedule, { type: 'arrival_rate', rate: 50, maxInFlight: 5 });
  assert.deepEqual(diags(BASE + '\n[schedule]\ntype = "arrival_rate"\nrate = 50\nmax_in_flight = 10\n'), ['15:17-15:19 error schedule-exceeds-vus «10»']);
});

test('think time and sequence rules', () => {
  assert.deepEqual(diags(BASE + '\n[think_time]\ntype = "random"\nmin_ms = 50\nmax_ms = 10\n'), ['15:10-15:12 error think-time-range «10»']);
  const seq = BASE + '\n[sequence]\ntype = "ordered"\n\n[[sequence.steps]]\nrequest = "hom"\n';
  const r = validateText(seq);
  assert.deepEqual(diags(seq), ['16:11-16:16 error unknown-request «"hom"»']);
  assert.equal(r.diagnostics[0]!.message, 'no request is named "hom"; did you mean "home"?');
  const fixed = validateText(applyEdits(seq, r.diagnostics[0]!.fixes![0]!.edits)).scenario!;
  assert.deepEqual(fixed.sequence, [{ request: 'home', requestIndex: 0, repeat: 1 }]);
});

test('syntax errors are exact and do not hide key checks on other lines', () => {
  const text = BASE.replace('vus = 5', 'vus = ').replace('name = "home"', 'nme = "home"');
  assert.deepEqual(diags(text), ['6:7-6:7 error toml-syntax «»', '9:1-9:4 error unknown-key «nme»']);
});

test('headers must be strings with valid names', () => {
  const text = BASE + 'headers = { Accept = "a", "Bad Name" = "x", Retry = 3 }\n';
  assert.deepEqual(diags(text), ['11:27-11:37 error invalid-header «"Bad Name"»', '11:53-11:54 error wrong-type «3»']);
});

test('an empty file is one diagnostic that offers a starting point', () => {
  const r = validateText('\n\n');
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['empty-file']);
  assert.deepEqual(validateText(applyEdits('\n\n', r.diagnostics[0]!.fixes![0]!.edits)).diagnostics, []);
});

test('more than 1000 requests is over the limit, at the 1001st', () => {
  let text = BASE;
  for (let i = 1; i <= 1000; i++) text += `\n[[requests]]\nname = "r${i}"\npath = "/${i}"\n`;
  const r = validateText(text);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.range.start.line + 1]), [['limit-exceeded', 12 + 4 * 999]]);
});

test('requests written as an array of inline tables mean the same as [[requests]] blocks', () => {
  const text = 'requests = [\n  { name = "a", path = "/a", weight = 3 },\n  { name = "b", path = "/b", methd = "POST" },\n]\n' +
    '[target]\nbase_url = "http://127.0.0.1:8080"\n[runtime]\nduration_seconds = 5\n';
  const r = validateText(text);
  assert.deepEqual(diags(text), ['3:30-3:35 error unknown-key «methd»']);
  const ok = validateText(text.replace('methd', 'method'));
  assert.deepEqual(ok.scenario!.requests.map((q) => [q.name, q.method, q.weight]), [['a', 'GET', 3], ['b', 'POST', 1]]);
  assert.equal(r.scenario, undefined);
});

test('an integer too large for JavaScript is valid TOML and out of range for its key, shown as written', () => {
  const big = '9223372036854775807'; // int64 max, toml-test valid/integer/long.toml
  const text = BASE.replace('vus = 5', `vus = ${big}`) + `weight = ${big}\n`;
  assert.deepEqual(validateText(text).diagnostics.map((d) => [d.code, d.range.start.line + 1, d.message]), [
    ['limit-exceeded', 6, `'vus' must be between 1 and 100000; found ${big}`],
    ['out-of-range', 11, `'weight' must be at most 9007199254740991; found ${big}`],
  ]);
  // The largest exact integer is still a fine weight.
  assert.deepEqual(validateText(BASE + 'weight = 9007199254740991\n').diagnostics, []);
});

test('a day that does not exist is a syntax error at the date, though smol-toml would roll it over', () => {
  const text = BASE + '\n[metadata]\ndescription = "leap years"\n';
  const dated = (d: string) => text.replace('"leap years"', d);
  assert.deepEqual(diags(dated('2100-02-29T15:15:15Z')), ['13:15-13:35 error toml-syntax «2100-02-29T15:15:15Z»', '13:15-13:35 error wrong-type «2100-02-29T15:15:15Z»']);
  assert.equal(validateText(dated('1988-02-30')).diagnostics[0]!.message, "invalid date '1988-02-30': February 1988 has 29 days");
  assert.equal(validateText(dated('2000-04-31')).diagnostics[0]!.message, "invalid date '2000-04-31': April 2000 has 30 days");
  // 2000 is a leap year (divisible by 400), 1900 is not.
  assert.deepEqual(diags(dated('2000-02-29')).filter((d) => d.includes('toml-syntax')), []);
  assert.equal(validateText(dated('1900-02-29')).diagnostics[0]!.code, 'toml-syntax');
});

test('one syntax problem is one diagnostic, where it is explained, with the precise wording', () => {
  // An array never closed: at its '[' only, not also smol-toml's "expected comma" at the end of the file.
  assert.deepEqual(diags(BASE + 'tags = [1,\n'), ["11:8-11:9 error toml-syntax «[»"]);
  // A table defined twice: our message at the key, not smol-toml's "trying to redefine…" at the header.
  const twice = validateText('[fruit.apple]\ncolor = "red"\n[fruit.apple]\ntaste = "sweet"\n');
  assert.deepEqual(twice.diagnostics.filter((d) => d.code === 'toml-syntax').map((d) => [d.range, d.message]), [
    [{ start: { line: 2, character: 7 }, end: { line: 2, character: 12 } }, 'table [fruit.apple] is defined more than once'],
  ]);
  // toml-test array/tables-02: the redefined table only; the key below it is no duplicate.
  const aot = '[[fruit]]\n  name = "apple"\n  [[fruit.variety]]\n    name = "red delicious"\n  [fruit.variety]\n    name = "granny smith"\n';
  assert.deepEqual(validateText(aot).diagnostics.filter((d) => d.code === 'toml-syntax').map((d) => [d.range.start.line + 1, d.message]), [
    [5, "table [fruit.variety] is defined more than once"],
  ]);
});

test('problems between two keys are reported at the one to change, with the other as a related place', () => {
  const post = (extra: string) => BASE.replace('path = "/"', `method = "POST"\npath = "/"\n${extra}`);
  // body and body_file
  assert.deepEqual(placed(post('body = "x"\nbody_file = "a.json"')), ['13:1 «body_file» body-conflict ← 12:1 «body» body is set here']);
  // a body on a GET that says so
  assert.deepEqual(placed(post('body = "x"').replace('"POST"', '"GET"')), ['12:1 «body» body-on-get ← 10:10 «"GET"» the method is GET here']);
  // duplicate names, named and unnamed
  assert.deepEqual(placed(BASE + '\n[[requests]]\nname = "home"\npath = "/b"\n'), ['13:8 «"home"» duplicate-name ← 9:8 «"home"» request #1 is named "home" here']);
  const unnamed = BASE.replace('name = "home"\n', '') + '\n[[requests]]\npath = "/"\n';
  assert.deepEqual(placed(unnamed), ['11:1 «[[requests]]» duplicate-name ← 8:1 «[[requests]]» request #1 is named "GET /" here']);
  // all weights zero: the first weight, and every other one
  const zero = BASE + 'weight = 0\n\n[[requests]]\nname = "b"\npath = "/b"\nweight = 0\n\n[[requests]]\nname = "c"\npath = "/c"\nweight = 0.0\n';
  assert.deepEqual(placed(zero), [
    '11:10 «0» weights-zero ← 16:10 «0» request #2 "b" has weight 0',
    '11:10 «0» weights-zero ← 21:10 «0.0» request #3 "c" has weight 0',
  ]);
  // base_url + path over the URL limit
  assert.deepEqual(placed(BASE.replace('path = "/"', `path = "/${'a'.repeat(8200)}"`)).map((s) => s.replace(/a{100,}/, 'a…')),
    ['10:8 «"/a…"» limit-exceeded ← 2:12 «"http://127.0.0.1:8080"» base_url is 21 characters']);
  // tls against the scheme; ca_bundle on http://
  assert.deepEqual(placed(BASE.replace('base_url = "http://127.0.0.1:8080"', 'base_url = "http://127.0.0.1:8080"\ntls = true\nca_bundle = "ca.pem"')), [
    '3:7 «true» tls-scheme-mismatch ← 2:12 «"http://127.0.0.1:8080"» the scheme is http here',
    '4:1 «ca_bundle» not-applicable ← 2:12 «"http://127.0.0.1:8080"» the target is http:// here',
  ]);
  // think time
  assert.deepEqual(placed(BASE + '\n[think_time]\ntype = "random"\nmin_ms = 50\nmax_ms = 10\n'), [
    '15:10 «10» think-time-range ← 14:10 «50» min_ms is 50 here',
  ]);
  // duplicate header names
  assert.deepEqual(placed(BASE + 'headers = { Accept = "a", accept = "b" }\n'), ["11:27 «accept» duplicate-header ← 11:13 «Accept» 'Accept' is set here"]);
});

test('schedule problems name runtime\'s key, and keys that do not apply name the type', () => {
  // BASE's [runtime] is on lines 4-6; [schedule] starts on line 12 (13 when runtime has a third key).
  const sched = (runtime: string, schedule: string) => BASE.replace('duration_seconds = 10\nvus = 5', runtime) + `\n[schedule]\n${schedule}\n`;
  const rt = 'duration_seconds = 10\nvus = 5';
  assert.deepEqual(placed(sched(rt, 'type = "constant"\nvus = 8')), ['14:7 «8» schedule-exceeds-vus ← 6:7 «5» runtime.vus caps the run at 5 VUs here']);
  assert.deepEqual(placed(sched(rt, 'type = "constant"\nvus = 3')), ['14:7 «3» vus-mismatch ← 6:7 «5» runtime.vus is 5 here']);
  assert.deepEqual(placed(sched('duration_seconds = 100\nvus = 5', 'type = "ramp"\nend_vus = 9\nramp_duration_seconds = 10')), [
    '5:20 «100» duration-mismatch ← 12:1 «[schedule]» the schedule, 10 s long, is here',
    '14:11 «9» schedule-exceeds-vus ← 6:7 «5» runtime.vus caps the run at 5 VUs here',
  ]);
  assert.deepEqual(placed(sched(rt, 'type = "steps"\n[[schedule.steps]]\nvus = 6\nduration_seconds = 10')), [
    '15:7 «6» schedule-exceeds-vus ← 6:7 «5» runtime.vus caps the run at 5 VUs here',
  ]);
  assert.deepEqual(placed(sched(rt, 'type = "spike"\nbaseline_vus = 1\nspike_vus = 2\nspike_start_seconds = 20\nspike_duration_seconds = 1')), [
    '5:20 «10» duration-mismatch ← 12:1 «[schedule]» the schedule, 41 s long, is here',
    "16:23 «20» spike-after-end ← 5:20 «10» the run's length is set to 10 s here",
  ]);
  assert.deepEqual(placed(sched(`${rt}\niterations = 3`, 'type = "arrival_rate"\nrate = 10\nmax_in_flight = 50')), [
    '7:14 «3» not-applicable ← 14:8 «"arrival_rate"» the schedule is arrival_rate here',
    '16:17 «50» schedule-exceeds-vus ← 6:7 «5» runtime.vus caps the run at 5 VUs here',
  ]);
  // check-schema: a key, or a [[schedule.steps]], that the type does not use
  assert.deepEqual(placed(sched(rt, 'type = "constant"\nvus = 5\nrate = 3\n[[schedule.steps]]\nvus = 1\nduration_seconds = 1')), [
    '15:1 «rate» not-applicable ← 13:8 «"constant"» the type is "constant" here',
    '16:12 «steps» not-applicable ← 13:8 «"constant"» the type is "constant" here',
  ]);
});

test('TOML keys and tables defined twice point at their first definition', () => {
  const cases: [string, string][] = [
    ['a = 1\nb = 2\na = 3\n', "3:1 «a» toml-syntax ← 1:1 «a» 'a' is first defined here"],
    ['[fruit.apple]\nx = 1\n[fruit.apple]\n', '3:8 «apple» toml-syntax ← 1:1 «[fruit.apple]» [fruit.apple] is first defined here'],
    ['a = 1\n[a.b]\n', "2:2 «a» toml-syntax ← 1:1 «a» 'a' is defined here"],
    ['a = 1\n[[a]]\n', "2:3 «a» toml-syntax ← 1:1 «a» 'a' is defined here"],
    ['t = { x = 1 }\nt.y = 2\n', "2:1 «t» toml-syntax ← 1:1 «t» 't' is defined here"],
  ];
  for (const [text, want] of cases) assert.deepEqual(placed(text), [want], text);
});
