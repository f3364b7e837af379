/**
 * The editor's results panel page (client/run/panel-html.ts, under its own CSP) in chromium, fed
 * the messages of a real forked engine run as the extension forwards them: it draws the run
 * live, its Cancel button posts 'cancel', and after the cancel it shows the partial results.
 * VS Code's `acquireVsCodeApi` is the one thing the page expects from its host; here it records
 * what the page posts.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { EngineProcess } from '../../client/run/engine-process';
import { panelHtml } from '../../client/run/panel-html';
import { startDemoServer, type DemoServer } from '../../engine/demo/demo-server';
import type { EngineMessage } from '../../engine/run/protocol';
import { HAVE_CHROMIUM, launch, openPage } from './browser';

const DIST = resolve(__dirname, '../../dist');
const dir = mkdtempSync(join(tmpdir(), 'z6-live-'));
let browser: Browser;
let demo: DemoServer;
let server: Server;
let origin: string;

/** Serves the panel page and dist/renderer.* the way the webview would (cspSource = this origin). */
function servePanel(): Promise<void> {
  server = createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(panelHtml({ nonce: 'bm9uY2UtZm9yLXRlc3Q=', scriptUri: `${origin}/dist/renderer.js`, styleUri: `${origin}/dist/renderer.css`, cspSource: origin }));
    } else if (req.url === '/dist/renderer.js' || req.url === '/dist/renderer.css') {
      res.writeHead(200, { 'content-type': req.url.endsWith('.js') ? 'text/javascript' : 'text/css' });
      res.end(readFileSync(join(DIST, req.url.slice('/dist/'.length))));
    } else if (req.url === '/favicon.ico') {
      // chromium asks for this by itself on http pages (a webview does not); answer quietly.
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () => {
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      r();
    }),
  );
}

async function posted(page: Page): Promise<{ type: string }[]> {
  return page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted);
}

describe('results panel, live', { skip: !HAVE_CHROMIUM && 'chromium not installed' }, () => {
  before(async () => {
    demo = await startDemoServer(0, 9);
    await servePanel();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
    await new Promise((r) => server?.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  test('draws a forked run as it happens, cancels from its button, keeps the partial results', async () => {
    const watched = await openPage(browser, 'about:blank');
    const page = watched.page;
    // A string, not a function: tsx's transform would add helpers the page does not have.
    await page.addInitScript(`
      window.__posted = [];
      let state;
      window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => state, setState: (s) => { state = s; } });
    `);
    watched.requests.length = 0;
    await page.goto(origin + '/');
    assert.deepEqual(await posted(page), [{ type: 'ready' }]);
    assert.equal(await page.textContent('#z6-root'), 'Waiting for a run…');

    const file = join(dir, 'live.z6.toml');
    writeFileSync(file, `[metadata]\nname = "Live <b>run</b>"\n\n[target]\nbase_url = "${demo.url}"\n\n[runtime]\nduration_seconds = 60\nvus = 2\nprng_seed = 3\n\n[[requests]]\nname = "json"\npath = "/json"\n`);
    // Forward each engine message to the page in order, as the extension does with webview.postMessage.
    let chain = Promise.resolve();
    const progress: Extract<EngineMessage, { type: 'progress' }>[] = [];
    const engine = new EngineProcess({
      cliPath: join(DIST, 'cli.js'),
      file,
      onMessage: (m) => {
        if (m.type === 'progress') progress.push(m);
        chain = chain.then(() => page.evaluate((msg) => window.postMessage(msg, '*'), m as unknown as Record<string, unknown>));
      },
    });
    const guard = setTimeout(() => engine.kill(), 60_000);

    // Live: the header says running, the name is text, the totals follow the progress messages.
    await page.waitForSelector('#z6-status:text("Running")');
    assert.equal(await page.textContent('#z6-name'), 'Live <b>run</b>');
    // The live header says the schedule as the final one will: type · model · peak.
    assert.match((await page.textContent('#z6-header'))!, /constant · closed model · peak \d+ VUs/);
    await page.waitForFunction(() => document.querySelectorAll('#z6-chart-throughput canvas').length > 0 && document.querySelector('#z6-totals [data-metric="issued"]'));
    // At the editor's side-by-side width the first live chart is in view without scrolling.
    await page.setViewportSize({ width: 700, height: 800 });
    const chartTop = await page.$eval('#z6-chart-throughput', (e) => e.getBoundingClientRect().top);
    assert.ok(chartTop < 800 - 150, `the throughput chart starts at ${chartTop} px of an 800 px panel`);
    let ended = false;
    void engine.outcome.then(() => (ended = true));
    // A few seconds of samples, so the live charts have lines (bounded: the guard kills the child).
    while (progress.length < 3 && !ended) await new Promise((r) => setTimeout(r, 100));
    assert.equal(ended, false, 'the 60 s run is still going');
    await chain;
    const lastShown = progress.at(-1)!;
    const issuedShown = (await page.textContent('#z6-totals [data-metric="issued"] .z6-card-value'))!.replace(/,/g, '');
    assert.equal(Number(issuedShown), lastShown.totals.issued);

    // Live at a narrow and a wide panel: the charts in view, within the width, no table cut off.
    const shots = resolve(__dirname, '../../.cache/panel-shots');
    mkdirSync(shots, { recursive: true });
    for (const width of [600, 1400]) {
      await page.setViewportSize({ width, height: 800 });
      // Wait for the resize observer to have fitted every chart to the new width.
      await page.waitForFunction((w) => {
        const rs = Array.from(document.querySelectorAll('.z6-chart canvas'), (c) => c.getBoundingClientRect());
        return rs.length === 3 && rs.every((r) => r.right <= w && r.width > 200);
      }, width);
      const chart = await page.$eval('#z6-chart-throughput', (e) => e.getBoundingClientRect().toJSON() as DOMRect);
      assert.ok(chart.top < 800 - 150, `${width} px: the throughput chart starts at ${chart.top} px of an 800 px panel`);
      const clipped = await page.$$eval('table.z6-table', (ts) => ts.filter((t) => t.scrollWidth > (t.parentElement as HTMLElement).clientWidth + 1).map((t) => t.closest('section')?.id ?? t.className));
      assert.deepEqual(clipped, [], `${width} px: tables cut off`);
      // What sticks out, if anything: named in the message.
      const wide = await page.evaluate(() => Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className} right ${Math.round(e.getBoundingClientRect().right)}`).slice(0, 5));
      assert.deepEqual(wide, [], `${width} px: wider than the panel`);
      await page.screenshot({ path: join(shots, `live-${width}.png`) });
    }
    await page.screenshot({ path: resolve(__dirname, '../../.cache/panel-live.png'), fullPage: true }).catch(() => undefined);
    // The Cancel button posts 'cancel'; the extension answers by cancelling the engine.
    await page.click('#z6-cancel');
    assert.deepEqual((await posted(page)).at(-1), { type: 'cancel' });
    engine.cancel();
    const outcome = await engine.outcome;
    clearTimeout(guard);
    await chain;

    assert.equal(outcome.results?.status, 'cancelled');
    await page.waitForSelector('#z6-status:text("Cancelled")');
    const issuedFinal = (await page.textContent('#z6-totals [data-metric="issued"] .z6-card-value'))!.replace(/,/g, '');
    assert.equal(Number(issuedFinal), outcome.results!.totals.issued);
    assert.equal(await page.$('#z6-cancel'), null, 'no Cancel button once the run is over');
    const canvases = await page.$$eval('.z6-chart canvas', (cs) => cs.length);
    assert.equal(canvases, outcome.results!.timeseries.length ? 3 : 0);

    // Save HTML report posts to the extension.
    await page.click('#z6-save-html');
    assert.deepEqual((await posted(page)).at(-1), { type: 'saveHtml' });

    assert.deepEqual(watched.pageErrors, []);
    assert.deepEqual(watched.consoleErrors, []);
    assert.deepEqual(watched.requests.filter((u) => !u.endsWith('/favicon.ico')).sort(), [`${origin}/`, `${origin}/dist/renderer.css`, `${origin}/dist/renderer.js`].sort());
    await page.screenshot({ path: resolve(__dirname, '../../.cache/panel-cancelled.png'), fullPage: true }).catch(() => undefined);
  });
});
