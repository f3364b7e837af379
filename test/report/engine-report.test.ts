/**
 * The HTML report of a real run: the engine (runScenario) loads a loopback demo server, and what
 * chromium shows is checked against the Results JSON the engine produced.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { startDemoServer, type DemoServer } from '../../engine/demo/demo-server';
import type { Results } from '../../engine/metrics/results-types';
import { renderHtmlReport } from '../../engine/report/html';
import { runScenario } from '../../engine/run';
import { validateText } from '../../engine/scenario/validate';
import { HAVE_CHROMIUM, launch, openPage } from './browser';
import { HOSTILE_NAME } from './fixture';

const dir = mkdtempSync(join(tmpdir(), 'z6-engine-report-'));
let browser: Browser;
let demo: DemoServer;
let results: Results;

function scenarioText(baseUrl: string): string {
  return `
[metadata]
name = "Report from a real run"

[target]
base_url = "${baseUrl}"

[runtime]
duration_seconds = 3
vus = 4
prng_seed = 7

[[requests]]
name = "json"
path = "/json"
weight = 3

[[requests]]
name = ${JSON.stringify(HOSTILE_NAME)}
path = "/flaky?rate=0.3"
weight = 2

[[requests]]
name = "missing"
path = "/status/404"
weight = 1

[assertions]
p99_latency_ms = 5000
error_rate_max = 0.01
`;
}

/** "1,234" → 1234; "12.3 ms" → 12.3; "0.5 %" → 0.005. */
function num(text: string | null): number {
  const t = (text ?? '').replace(/,/g, '').trim();
  const n = parseFloat(t);
  return t.endsWith('%') ? n / 100 : n;
}

/** The renderer rounds for people; shown values must be within that rounding of the JSON. */
function close(shown: number, actual: number, what: string): void {
  const tolerance = Math.max(Math.abs(actual) * 0.006, 0.006);
  assert.ok(Math.abs(shown - actual) <= tolerance, `${what}: shown ${shown}, JSON ${actual}`);
}

describe('HTML report of a real engine run', { skip: !HAVE_CHROMIUM && 'chromium not installed' }, () => {
  before(async () => {
    demo = await startDemoServer(0, 3);
    const checked = validateText(scenarioText(demo.url));
    assert.deepEqual(checked.diagnostics.filter((d) => d.severity === 'error'), []);
    results = await runScenario(checked.scenario!, {});
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('what the page shows is what the engine measured', async () => {
    assert.ok(results.totals.issued > 20, `the run issued ${results.totals.issued} requests`);
    const file = join(dir, 'run.html');
    writeFileSync(file, renderHtmlReport(results));
    const url = pathToFileURL(file).href;
    const { page, consoleErrors, pageErrors, requests } = await openPage(browser, url);

    assert.equal(await page.textContent('#z6-name'), 'Report from a real run');
    assert.equal(await page.textContent('#z6-seed'), '7');
    assert.equal(await page.textContent('#z6-target'), demo.url);
    const card = async (m: string) => num(await page.textContent(`#z6-totals [data-metric="${m}"] .z6-card-value`));
    for (const k of ['issued', 'succeeded', 'failed', 'interrupted'] as const) assert.equal(await card(k), results.totals[k], k);
    close(await card('rps'), results.totals.rps, 'rps');
    close(await card('errorRate'), results.totals.errorRate, 'error rate');
    assert.ok(results.totals.failed > 0, 'the 404s and flaky 500s are failures');

    const cells = await page.$$eval('#z6-latency tbody tr:first-child td', (tds) => tds.map((td) => td.textContent));
    const keys = ['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max'] as const;
    keys.forEach((k, i) => close(num(cells[i + 1]!), results.latency[k], `latency ${k}`));
    assert.equal(num(cells[9]!), results.latency.count);

    const assertionRows = await page.$$eval('#z6-assertions tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
    assert.equal(assertionRows.length, results.assertions.length);
    results.assertions.forEach((a, i) => {
      const row = assertionRows[i]!;
      assert.ok(row[0]!.includes(a.key), `row ${i} is ${a.key}`);
      assert.ok(row[1]!.startsWith(a.op));
      assert.equal(row[3], a.pass ? 'pass' : 'fail', a.key);
    });
    // error_rate_max = 0.01 cannot hold with 404s in the mix.
    assert.equal(results.assertions.find((a) => a.key === 'error_rate_max')?.pass, false);

    const reqRows = await page.$$eval('#z6-requests tbody tr', (trs) => trs.map((tr) => ({ name: tr.querySelector('.z6-req-name')!.textContent, issued: tr.children[1]!.textContent })));
    assert.deepEqual(reqRows.map((r) => r.name), results.requests.map((r) => r.name));
    assert.ok(reqRows.some((r) => r.name === HOSTILE_NAME));
    reqRows.forEach((r, i) => assert.equal(num(r.issued), results.requests[i]!.issued));

    const codes = await page.$$eval('#z6-status-codes tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent])));
    assert.deepEqual(Object.keys(codes).sort(), Object.keys(results.statusCodes).sort());
    for (const [code, n] of Object.entries(results.statusCodes)) assert.equal(num(codes[code]!), n, `status ${code}`);

    assert.ok(results.timeseries.length >= 2, `${results.timeseries.length} samples`);
    const sizes = await page.$$eval('.z6-chart canvas', (cs) => cs.map((c) => (c as HTMLCanvasElement).width * (c as HTMLCanvasElement).height));
    assert.equal(sizes.length, 3);
    for (const s of sizes) assert.ok(s > 0);

    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(requests, [url]);
    await page.screenshot({ path: join(process.cwd(), '.cache', 'report-engine.png'), fullPage: true }).catch(() => undefined);
  });
});
