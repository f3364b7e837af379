/**
 * The HTML report with a baseline (`--baseline FILE`), in real chromium: the comparison section
 * shows what compareResults decided (whole run, each request, warnings), request names stay text,
 * the CSP still holds and nothing is fetched; without a baseline there is no such section.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { compareResults, type Comparison } from '../../engine/compare/compare';
import type { Results } from '../../engine/metrics/results-types';
import { renderHtmlReport } from '../../engine/report/html';
import { latencies, resultsOf, scaled } from '../engine/compare-fixture';
import { HAVE_CHROMIUM, launch, openPage } from './browser';
import { HOSTILE_NAME } from './fixture';

const dir = mkdtempSync(join(tmpdir(), 'z6-compare-report-'));
let browser: Browser;

function runs(): { a: Results; b: Results; c: Comparison } {
  const home = latencies(20_000, 1);
  const slow = latencies(2_000, 2, 30);
  const odd = latencies(500, 3);
  const a = resultsOf([{ name: 'home', latenciesMs: home }, { name: 'slow', latenciesMs: slow }, { name: HOSTILE_NAME, latenciesMs: odd }, { name: 'gone', latenciesMs: odd }]);
  const b = resultsOf([{ name: 'home', latenciesMs: home }, { name: 'slow', latenciesMs: scaled(slow, 2) }, { name: HOSTILE_NAME, latenciesMs: odd }, { name: 'new', latenciesMs: odd }], { seed: 2 });
  return { a, b, c: compareResults(a, b, { labels: ['base/results.json', 'results.json'] }) };
}

function writeReport(name: string, results: Results, comparison?: Comparison): string {
  const file = join(dir, name);
  writeFileSync(file, renderHtmlReport(results, { comparison }));
  return pathToFileURL(file).href;
}

describe('HTML report with a baseline, in chromium', { skip: !HAVE_CHROMIUM && 'chromium not installed (apt-get install -y chromium)' }, () => {
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the comparison section: verdict, whole run, requests, warnings — as compareResults decided', async () => {
    const { b, c } = runs();
    const url = writeReport('compare.html', b, c);
    const { page, consoleErrors, pageErrors, requests } = await openPage(browser, url);

    const sections = await page.$$eval('#z6-root > section', (s) => s.map((x) => x.id));
    assert.ok(sections.indexOf('z6-comparison') >= 0 && sections.indexOf('z6-comparison') < sections.indexOf('z6-assertions'), `comparison comes first: ${sections}`);
    const regressedFigures = [...c.figures, ...c.requests.flatMap((q) => q.figures)].filter((f) => f.verdict === 'regressed').length;
    assert.ok(regressedFigures >= 2);
    assert.equal(await page.textContent('#z6-compare-verdict'), `Regressed (${regressedFigures} figures)`);
    assert.match((await page.textContent('#z6-comparison .z6-meta'))!, /Baselinebase\/results\.json · 2026-01-01 00:00:00 UTC · seed 1/);

    const rows = await page.$$eval('.z6-compare-run tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
    assert.deepEqual(rows.map((r) => r[0]), c.figures.map((f) => f.label));
    const row = (label: string) => rows.find((r) => r[0] === label)!;
    assert.deepEqual(rows.map((r) => r[4]), c.figures.map((f) => (f.context ? 'context' : f.verdict)));
    assert.deepEqual(row('requests issued'), ['requests issued', '23,000', '23,000', '0', 'context', '']);
    assert.deepEqual(row('error rate'), ['error rate', '0 %', '0 %', '0', 'unchanged', '']);
    const p90 = c.figures.find((f) => f.id === 'latency.p90')!;
    assert.deepEqual(row('p90 latency').slice(1), [`${p90.a!.toFixed(1)} ms`, `${p90.b!.toFixed(1)} ms`, `+${(p90.relative! * 100).toFixed(1)} %`, 'regressed', '']);

    const reqRows = await page.$$eval('.z6-compare-requests tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
    assert.deepEqual(reqRows.map((r) => [r[0], r[1]]), [['home', 'unchanged'], ['slow', 'regressed'], [HOSTILE_NAME, 'unchanged'], ['new', 'added'], ['gone', 'removed']]);
    assert.match(reqRows[1]![2]!, /p50 latency \+(99\.\d|100) %/);
    assert.match(reqRows[1]![2]!, /p90 latency \+/);

    // Each request's figures, folded until opened.
    const slowDetails = page.locator('details[data-request="slow"]');
    assert.equal(await slowDetails.locator('tbody tr').first().isVisible(), false);
    await slowDetails.locator('summary').click();
    const slowRows = await slowDetails.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
    const slow = c.requests.find((q) => q.name === 'slow')!;
    assert.deepEqual(slowRows.map((r) => [r[0], r[4]]), slow.figures.map((f) => [f.label, f.context ? 'context' : f.verdict]));
    assert.equal(slowRows.find((r) => r[0] === 'p99 latency')![5], slow.figures.find((f) => f.id === 'latency.p99')!.why ?? '');

    const warnings = await page.$$eval('.z6-compare-warnings li', (lis) => lis.map((li) => li.textContent));
    assert.deepEqual(warnings, c.warnings);
    assert.match(warnings.join(' '), /different seeds \(1 in base\/results\.json, 2 in results\.json\)/);

    assert.equal(await page.$$eval('#z6-root img', (imgs) => imgs.length), 0, 'no <img> element was created from a request name');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    const ids = await page.$$eval('[id]', (els) => els.map((e) => e.id));
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'every id once');
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(requests, [url], 'the report must load nothing but itself');
  });

  test('no regression: the badge says so; without a baseline there is no comparison section', async () => {
    const { a } = runs();
    const same = compareResults(a, a);
    const { page, pageErrors } = await openPage(browser, writeReport('same.html', a, same));
    assert.equal(await page.textContent('#z6-compare-verdict'), 'No regression');
    assert.equal(await page.$('.z6-compare-warnings'), null);
    const plain = await openPage(browser, writeReport('plain.html', a));
    assert.equal(await plain.page.$('#z6-comparison'), null);
    assert.equal(await plain.page.textContent('#z6-name'), 'fixture');
    assert.deepEqual([...pageErrors, ...plain.pageErrors], []);
  });

  test('a filtered report says what was filtered', async () => {
    const { b } = runs();
    b.filter = { applied: 'request "slow"', notes: ['Totals, latency, failures and checks are recomputed from the 1 selected request.'] };
    const { page } = await openPage(browser, writeReport('filtered.html', b));
    assert.match((await page.textContent('.z6-banner-warn'))!, /^Filtered: request "slow"\. Totals, latency/);
  });
});
