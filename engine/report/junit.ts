/**
 * JUnit XML of a run's assertions, for CI systems that show test results (GitLab, Jenkins,
 * GitHub test reporters, Azure): one <testsuite> per run, one <testcase> per assertion — global,
 * per request, per check — so a failed p99 reads as a failed test with expected and actual.
 * A run that did not complete adds a "run" test case: an error (it could not be judged) or a
 * failure (abort_on_fail stopped it), so a broken run never shows as all green.
 */
import type { AssertionResult, Results } from '../metrics/results-types';

/** XML 1.0 cannot carry most control characters even escaped: they are dropped, not escaped. */
function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** The assertion as it reads in the scenario: `p99_latency_ms <= 250` (with its request or check). */
function caseName(a: AssertionResult): string {
  const where = a.scope ? (a.scope.check ? `${a.scope.request} / check ${a.scope.check}: ` : `${a.scope.request}: `) : '';
  return `${where}${a.key} ${a.op} ${a.expected}`;
}

function failureText(a: AssertionResult): string {
  return a.actual === null ? `${a.description}: not measured (no completed request)` : `${a.description}: expected ${a.op} ${a.expected}, actual ${+a.actual.toFixed(6)}`;
}

export function junitXml(r: Results): string {
  const suite = r.scenario.name ?? r.scenario.file ?? 'scenario';
  const classname = `z6.${suite}`;
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  if (r.status === 'error' || r.status === 'cancelled') {
    errors++;
    const why = r.status === 'error' ? (r.error ?? 'the run ended with an error') : 'the run was cancelled: partial results';
    cases.push(`    <testcase classname="${xml(classname)}" name="run" time="${r.durationSeconds.toFixed(3)}">\n      <error type="${r.status}" message="${xml(why)}"/>\n    </testcase>`);
  } else if (r.status === 'aborted') {
    failures++;
    cases.push(`    <testcase classname="${xml(classname)}" name="run" time="${r.durationSeconds.toFixed(3)}">\n      <failure type="aborted" message="${xml(r.abortReason ?? 'abort_on_fail stopped the run')}"/>\n    </testcase>`);
  }
  for (const a of r.assertions) {
    const open = `    <testcase classname="${xml(classname)}" name="${xml(caseName(a))}" time="0">`;
    if (a.pass) {
      cases.push(`${open}</testcase>`);
      continue;
    }
    failures++;
    const text = failureText(a);
    cases.push(`${open}\n      <failure type="assertion" message="${xml(text)}">${xml(text)}</failure>\n    </testcase>`);
  }
  const counts = `tests="${cases.length}" failures="${failures}" errors="${errors}" time="${r.durationSeconds.toFixed(3)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="z6" ${counts}>`,
    `  <testsuite name="${xml(suite)}" ${counts} timestamp="${xml(r.startedAt)}">`,
    `    <properties>\n      <property name="seed" value="${r.seed}"/>\n      <property name="scenario_hash" value="${xml(r.scenario.hash)}"/>\n      <property name="target" value="${xml(r.target.baseUrl)}"/>\n    </properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
