/**
 * The self-contained HTML report, opened in real chromium: what it shows matches the results
 * JSON, the charts are drawn, hostile text stays text, the CSP holds, and nothing is fetched.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import type { Results, SecondSample } from '../../engine/metrics/results-types';
import { renderHtmlReport } from '../../engine/report/html';
import { HAVE_CHROMIUM, launch, openPage } from './browser';
import { fixtureResults, HOSTILE_MESSAGE, HOSTILE_NAME } from './fixture';

const dir = mkdtempSync(join(tmpdir(), 'z6-report-'));
let browser: Browser;

function writeReport(name: string, results: Results, edit: (html: string) => string = (s) => s): string {
  const file = join(dir, name);
  writeFileSync(file, edit(renderHtmlReport(results)));
  return pathToFileURL(file).href;
}

describe('HTML report in chromium', { skip: !HAVE_CHROMIUM && 'chromium not installed (apt-get install -y chromium)' }, () => {
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('shows the totals, percentiles and assertions of the JSON, draws the charts, fetches nothing', async () => {
    const results = fixtureResults();
    const url = writeReport('full.html', results);
    const { page, consoleErrors, pageErrors, requests } = await openPage(browser, url);

    assert.equal(await page.textContent('#z6-name'), 'Checkout flow');
    assert.equal(await page.textContent('#z6-seed'), '424242');
    assert.equal(await page.textContent('#z6-target'), 'http://127.0.0.1:8080/api');
    assert.equal(await page.textContent('#z6-status'), 'Completed');
    assert.equal(await page.textContent('#z6-verdict'), 'Assertions failed (1 of 3)');

    const card = (m: string) => page.textContent(`#z6-totals [data-metric="${m}"] .z6-card-value`);
    assert.equal(await card('issued'), '10,450');
    assert.equal(await card('succeeded'), '10,380');
    assert.equal(await card('failed'), '50');
    assert.equal(await card('interrupted'), '20');
    assert.equal(await card('dropped'), '18');
    assert.equal(await card('rps'), '347');
    assert.equal(await card('errorRate'), '0.5 %'); // 50 / 10430 = 0.48 %

    const latencyRows = await page.$$eval('#z6-latency tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
    assert.deepEqual(latencyRows[0], ['Response', '0.41 ms', '5.87 ms', '4.90 ms', '11.2 ms', '14.8 ms', '29.6 ms', '61.3 ms', '88.0 ms', '10,430']);
    assert.equal(latencyRows[1]![0], 'From intended start');
    assert.equal(latencyRows[1]![6], '41.7 ms');
    assert.equal(latencyRows[2]![0], 'Connect');

    const assertionRows = await page.$$eval('#z6-assertions tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
    assert.deepEqual(assertionRows, [
      ['p99 latency p99_latency_ms', '<= 50.0 ms', '29.6 ms', 'pass'],
      ['error rate error_rate_max', '<= 0.1 %', '0.5 %', 'fail'],
      ['throughput rps_min', '>= 300 req/s', '347 req/s', 'pass'],
    ]);

    const charts = await page.$$eval('.z6-chart', (figs) =>
      figs.map((f) => {
        const c = f.querySelector('canvas');
        return { id: f.id, w: c?.width ?? 0, h: c?.height ?? 0, series: f.querySelectorAll('.u-legend .u-series').length };
      }),
    );
    assert.deepEqual(charts.map((c) => c.id), ['z6-chart-throughput', 'z6-chart-latency', 'z6-chart-vus']);
    // Open model: the third chart counts requests in flight, not VUs.
    assert.equal(await page.textContent('#z6-chart-vus figcaption'), 'Requests in flight');
    for (const c of charts) assert.ok(c.w > 100 && c.h > 100, `${c.id} canvas is ${c.w}x${c.h}`);
    // x + responses/s + failures; x + p50/p95/p99; x + VUs + dropped (open model)
    assert.deepEqual(charts.map((c) => c.series), [3, 4, 3]);
    // The canvas really has pixels on it (a blank canvas would be all zero alpha).
    const inked = await page.$eval('#z6-chart-latency canvas', (c) => {
      const ctx = (c as HTMLCanvasElement).getContext('2d')!;
      const d = ctx.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    assert.ok(inked > 500, `latency chart painted ${inked} pixels`);

    // Every id is used once (the status badge and the status-codes section once shared one).
    const ids = await page.$$eval('[id]', (els) => els.map((e) => e.id));
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
    const statusRows = await page.$$eval('#z6-status-codes tbody tr', (trs) => trs.map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent]));
    assert.deepEqual(statusRows, [['200', '9,980'], ['201', '400'], ['404', '30'], ['503', '12']]);

    const failureKinds = await page.$$eval('#z6-failures tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
    assert.deepEqual(failureKinds, ['HTTP 4xx', 'HTTP 5xx', 'Timeout', 'Connection reset']);

    assert.deepEqual(pageErrors, []);
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(requests, [url], 'the report must load nothing but itself');
  });

  test('text from the scenario and from responses is shown literally and never runs', async () => {
    const url = writeReport('hostile.html', fixtureResults());
    const { page, pageErrors, consoleErrors } = await openPage(browser, url);
    const names = await page.$$eval('#z6-requests .z6-req-name', (els) => els.map((e) => e.textContent));
    assert.deepEqual(names, ['list items', HOSTILE_NAME]);
    assert.equal(await page.$$eval('#z6-root img', (imgs) => imgs.length), 0, 'no <img> element was created from the name');
    assert.ok((await page.textContent('#z6-requests'))!.includes('/checkout?x=<b>bold</b>'));
    const samples = await page.$$eval('#z6-failures code', (els) => els.map((e) => e.textContent));
    assert.ok(samples.includes(HOSTILE_MESSAGE), 'the </script> message is shown as text');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    // The embedded JSON survives the </script> inside it, byte for byte.
    const embedded = await page.$eval('#z6-results', (s) => JSON.parse(s.textContent!));
    assert.deepEqual(embedded, JSON.parse(JSON.stringify(fixtureResults())));
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(consoleErrors, []);
  });

  test('the content security policy blocks any script but ours', async () => {
    const results = fixtureResults();
    const html = renderHtmlReport(results);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+' 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    // Smuggle an extra inline script into the page: the browser must refuse to run it.
    const url = writeReport('injected.html', results, (s) => s.replace('</body>', '<script>window.__pwned=3</script></body>'));
    const { page, consoleErrors } = await openPage(browser, url);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.ok(consoleErrors.some((e) => /Content Security Policy/.test(e)), 'chromium reports the CSP violation');
    // ...while our own script did run.
    assert.equal(await page.textContent('#z6-name'), 'Checkout flow');
  });

  test('a cancelled run with no samples says so instead of drawing empty charts', async () => {
    const r = fixtureResults();
    r.status = 'cancelled';
    r.timeseries = [];
    r.assertions = [];
    r.schedule.model = 'closed';
    r.totals.dropped = 0;
    // Nothing answered: the latency row has no samples, and says "—" rather than 0.00 ms.
    r.latency = { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, count: 0 };
    const { page, consoleErrors, pageErrors } = await openPage(browser, writeReport('cancelled.html', r));
    const latencyRow = await page.$$eval('#z6-latency tbody tr:first-child td', (tds) => tds.map((td) => td.textContent));
    assert.deepEqual(latencyRow, ['Response', '—', '—', '—', '—', '—', '—', '—', '—', '0']);
    assert.equal(await page.textContent('#z6-status'), 'Cancelled — partial results');
    assert.equal(await page.$('#z6-verdict'), null);
    assert.equal(await page.$$eval('.z6-chart canvas', (c) => c.length), 0);
    assert.equal(await page.$$eval('.z6-chart .z6-empty:not([hidden])', (c) => c.length), 3);
    assert.equal(await page.$('#z6-totals [data-metric="dropped"]'), null, 'closed model: no dropped card');
    assert.equal(await page.textContent('#z6-chart-vus figcaption'), 'Active VUs');
    assert.match((await page.textContent('#z6-assertions'))!, /No assertions/);
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(consoleErrors, []);
  });

  test('the partial last second is not drawn: no extrapolated spike, no drop (new and older results)', async () => {
    // A steady 5/s run that ended 63 ms into its fourth second with one response there.
    const steady = (t: number) => ({ t, requests: 5, responses: 5, rps: 5, failures: 0, p50: 2, p95: 3, p99: 4, activeVus: 1 });
    const partial = { t: 3, requests: 1, responses: 1, rps: null, seconds: 0.063, afterLoad: true, failures: 1, p50: 2, p95: 2, p99: 2, activeVus: 0 };
    const fresh = fixtureResults();
    fresh.schedule.model = 'closed';
    fresh.durationSeconds = 3.063;
    fresh.timeseries = [steady(0), steady(1), steady(2), partial];
    // Written before samples had `seconds`: the last rps was extrapolated, 1 / 0.063 s.
    const older = JSON.parse(JSON.stringify(fresh)) as Results;
    const last: Partial<SecondSample> = older.timeseries[3]!;
    delete last.seconds;
    delete last.afterLoad;
    last.rps = 15.9;
    for (const [name, r] of [['fresh', fresh], ['older', older]] as const) {
      const { page, pageErrors } = await openPage(browser, writeReport(`partial-${name}.html`, r));
      const legend = () =>
        page.$$eval('#z6-chart-throughput .u-legend .u-series', (rows) => rows.map((row) => [row.querySelector('th')?.textContent?.trim(), row.querySelector('td')?.textContent?.trim()]));
      // Cursor off the chart: the legend reads the latest whole second.
      assert.deepEqual(await legend(), [['time', '2s'], ['responses/s', '5.0'], ['failures/s', '0']], name);
      // Cursor on the last point: no rate is drawn there.
      const box = (await page.$('#z6-chart-throughput .u-over'))!;
      await box.scrollIntoViewIfNeeded();
      const b = (await box.boundingBox())!;
      await page.mouse.move(b.x + b.width - 1, b.y + b.height / 2);
      assert.deepEqual(await legend(), [['time', '3s'], ['responses/s', '—'], ['failures/s', '—']], name);
      // ...while the whole seconds are there.
      await page.mouse.move(b.x + b.width * (2 / 3), b.y + b.height / 2);
      assert.deepEqual(await legend(), [['time', '2s'], ['responses/s', '5.0'], ['failures/s', '0']], name);
      assert.deepEqual(pageErrors, []);
      await page.close();
    }
  });

  test('shows checks, scoped assertions and an aborted run', async () => {
    const r = fixtureResults();
    r.status = 'aborted';
    r.abortReason = 'abort_on_fail after 12 s: request "checkout": p99_latency_ms = 340 (must be <= 300)';
    r.checks = [
      { name: 'status is 200', request: 'checkout', passed: 90, failed: 10, passRate: 0.9 },
      { name: 'has id', request: 'browse', passed: 7, failed: 0, passRate: 1 },
    ];
    r.totals.checks = { passed: 97, failed: 10, passRate: 0.907 };
    r.data = [{ file: 'users.csv', mode: 'unique', onExhausted: 'stop_run', rows: 500, drawn: 500, exhausted: true }];
    r.endReason = 'data file users.csv ran out of unique rows (500) and on_exhausted = "stop_run"';
    r.assertions = [
      { key: 'checks_pass_rate_min', description: 'checks passed / evaluated', op: '>=', expected: 0.95, actual: 0.907, pass: false },
      { key: 'p99_latency_ms', description: 'p99 latency (ms)', op: '<=', expected: 300, actual: 340, pass: false, scope: { request: 'checkout' } },
      { key: 'pass_rate_min', description: 'this check passed / evaluated', op: '>=', expected: 0.8, actual: 0.9, pass: true, scope: { request: 'checkout', check: 'status is 200' } },
      { key: 'p50_latency_ms', description: 'median latency (ms)', op: '<=', expected: 0.001, actual: 0.41, pass: false },
    ];
    const { page, pageErrors } = await openPage(browser, writeReport('checks.html', r));
    assert.equal(await page.textContent('#z6-status'), 'Aborted — an assertion failed');
    assert.match((await page.textContent('.z6-banner-error'))!, /abort_on_fail after 12 s: request "checkout"/);
    const rows = await page.$$eval('#z6-checks tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
    assert.deepEqual(rows, [['checkout', 'status is 200', '90', '10', '90.0 %'], ['browse', 'has id', '7', '0', '100.0 %']]);
    const dataRows = await page.$$eval('#z6-data tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
    assert.deepEqual(dataRows, [['users.csv', 'unique (stop_run)', '500', '500', 'ran out']]);
    assert.match((await page.textContent('.z6-banner-warn'))!, /Ended early: data file users\.csv ran out/);
    assert.match((await page.textContent('#z6-checks-total'))!, /97 passed, 10 failed \(90\.7 % passed\)/);
    assert.equal(await page.textContent('#z6-totals [data-metric="checks"] .z6-card-value'), '90.7 %');
    assert.equal(await page.textContent('#z6-totals [data-metric="checks"] .z6-card-label'), 'Checks passed (10 failed)');
    const asserts = await page.$$eval('#z6-assertions tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
    assert.match(asserts[1]!, /^checkout: p99 latency/);
    assert.match(asserts[2]!, /^checkout · status is 200: this check passed/);
    // A threshold below 0.01 ms is shown as written, not as 0.00 ms.
    assert.equal(await page.textContent('#z6-assertions tbody tr:nth-child(4) td:nth-child(2)'), '<= 0.001 ms');
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test('at 600 px and 1,400 px wide no table is cut off (narrow tables reflow into rows of label and value)', async () => {
    const url = writeReport('widths.html', fixtureResults());
    const shots = join(__dirname, '../../.cache/report-shots');
    mkdirSync(shots, { recursive: true });
    for (const width of [600, 1400]) {
      const { page, pageErrors } = await openPage(browser, url);
      await page.setViewportSize({ width, height: 900 });
      const clipped = await page.$$eval('table.z6-table', (ts) => ts.filter((t) => t.scrollWidth > (t.parentElement as HTMLElement).clientWidth + 1).map((t) => t.className));
      assert.deepEqual(clipped, [], `${width} px`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${width} px: no horizontal scroll`);
      // Narrow: the wide tables show each value with its column's name.
      const reflowed = await page.$eval('#z6-requests tbody tr td:nth-child(2)', (td) => getComputedStyle(td, '::before').content);
      assert.equal(reflowed, width < 720 ? '"Issued"' : 'none', `${width} px`);
      await page.screenshot({ path: join(shots, `report-${width}.png`), fullPage: true });
      assert.deepEqual(pageErrors, []);
      await page.close();
    }
  });

  test('follows the dark colour scheme', async () => {
    const url = writeReport('dark.html', fixtureResults());
    const bg = async (scheme: 'light' | 'dark') => {
      const { page } = await openPage(browser, url, scheme);
      const v = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.close();
      return v;
    };
    assert.equal(await bg('light'), 'rgb(255, 255, 255)');
    assert.equal(await bg('dark'), 'rgb(13, 17, 23)');
  });
});
