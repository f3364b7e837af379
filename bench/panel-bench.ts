/**
 * The results panel with a long run, in real chromium (Debian's, driven by playwright-core), on the
 * exact page the editor shows (client/run/panel-html.ts, served with dist/renderer.*, VS Code's
 * `acquireVsCodeApi` stubbed):
 *
 * - render: a one-hour run's results (bench/lib/synthetic-run.ts: 3,600 per-second samples, four
 *   requests, real Recorder and buildResults) handed to the panel as the extension does
 *   ('show'), timed from the message to the first frame painted after it (performance marks in
 *   the page; JSON.parse of the results included); the median of several fresh pages. Also the
 *   HTML report of the same run, navigation start to first contentful paint.
 * - live: 'started', then N progress messages as fast as the page takes them, each its own
 *   window message (as a webview receives them); every simulated 10 minutes the page's JS heap
 *   after a forced GC (CDP HeapProfiler.collectGarbage, then Performance.getMetrics), with DOM
 *   nodes and listeners, and how long the page took per message lately.
 *
 * A measurement, not a test. Run: npm run bench -- --only panel (builds first), or
 *   npm run build && node --import tsx bench/panel-bench.ts [--reps 7] [--hours 1,4] [--out figures.json]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { panelHtml } from '../client/run/panel-html';
import { CHROMIUM_BIN } from '../e2e/install';
import { renderHtmlReport } from '../engine/report/html';
import type { ProgressMessage } from '../engine/run/protocol';
import { loadAverage, waitQuiet } from './lib/proc.mjs';
import { syntheticRun } from './lib/synthetic-run';

const DIST = resolve(__dirname, '../dist');
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
  // performance.memory without the coarse buckets (we read the heap through CDP as well).
  '--enable-precise-memory-info',
];
/** The webview's default side-by-side size is about this; the charts fill the width. */
const VIEWPORT = { width: 1000, height: 900 };

function args(): { reps: number; hours: number[]; out?: string } {
  const a = process.argv.slice(2);
  const get = (name: string) => {
    const i = a.indexOf(name);
    return i >= 0 ? a[i + 1] : undefined;
  };
  return { reps: Number(get('--reps') ?? 7), hours: (get('--hours') ?? '1,4').split(',').map(Number), out: get('--out') };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mb = (bytes: number) => bytes / 1024 / 1024;

/** Serves the panel page and dist/renderer.* as the webview would (cspSource = this origin). */
async function servePanel(): Promise<{ server: Server; origin: string }> {
  let origin = '';
  const server = createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(panelHtml({ nonce: 'YmVuY2gtbm9uY2U=', scriptUri: `${origin}/dist/renderer.js`, styleUri: `${origin}/dist/renderer.css`, cspSource: origin }));
    } else if (req.url === '/dist/renderer.js' || req.url === '/dist/renderer.css') {
      res.writeHead(200, { 'content-type': req.url.endsWith('.js') ? 'text/javascript' : 'text/css' });
      res.end(readFileSync(join(DIST, req.url.slice('/dist/'.length))));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, origin };
}

// Page scripts are strings: tsx's transform would add helpers the page does not have.
const STUB = `window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });`;

async function openPanel(browser: Browser, origin: string): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  page.setDefaultTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(STUB);
  await page.goto(origin + '/');
  await page.waitForFunction(`document.getElementById('z6-root').textContent === 'Waiting for a run…'`);
  if (errors.length) throw new Error(`the panel page failed: ${errors.join('; ')}`);
  return page;
}

/** One timed 'show' of the results in a fresh panel page: ms from the message to the first painted frame. */
async function timeShow(browser: Browser, origin: string, json: string): Promise<{ total: number; parse: number; dom: number }> {
  const page = await openPanel(browser, origin);
  try {
    await page.evaluate(`window.__json = ${JSON.stringify(json)}; undefined`);
    return await page.evaluate(`new Promise((resolve) => {
      performance.mark('z6-show-start');
      const results = JSON.parse(window.__json);
      performance.mark('z6-show-parsed');
      window.dispatchEvent(new MessageEvent('message', { data: { type: 'show', results } }));
      performance.mark('z6-show-dom');
      // The frame after the render: its style, layout and paint are done when the timeout runs.
      requestAnimationFrame(() => setTimeout(() => {
        performance.mark('z6-show-painted');
        const m = (a, b) => performance.measure(a + '>' + b, a, b).duration;
        if (document.querySelectorAll('.z6-chart canvas').length !== 3) throw new Error('charts missing');
        resolve({ total: m('z6-show-start', 'z6-show-painted'), parse: m('z6-show-start', 'z6-show-parsed'), dom: m('z6-show-parsed', 'z6-show-dom') });
      }, 0));
    })`);
  } finally {
    await page.close();
  }
}

/** The HTML report of the same run opened from disk: navigation start to first contentful paint. */
async function timeReport(browser: Browser, url: string): Promise<number> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  try {
    await page.goto(url, { waitUntil: 'load' });
    return await page.evaluate(`new Promise((resolve) => {
      const fcp = () => performance.getEntriesByName('first-contentful-paint')[0];
      const wait = () => (fcp() ? resolve(fcp().startTime) : requestAnimationFrame(wait));
      if (document.querySelectorAll('.z6-chart canvas').length !== 3) throw new Error('charts missing');
      wait();
    })`);
  } finally {
    await page.close();
  }
}

interface HeapPoint {
  seconds: number;
  heapMb: number;
  nodes: number;
  listeners: number;
  /** Mean ms per progress message over the last batch. */
  msPerMessage: number;
  /** Points the charts hold (uPlot's x data length), as the page reports them. */
  points: number;
}

/** Feeds the live panel `started` and every progress message; heap after GC every `every` messages. */
async function liveMemory(browser: Browser, origin: string, hours: number, every = 600): Promise<HeapPoint[]> {
  const run = syntheticRun({ seconds: 3600, seed: 3 });
  const page = await openPanel(browser, origin);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const heap = async () => {
    // Twice: what the first collection frees can make more garbage collectable.
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const get = (n: string) => metrics.find((m) => m.name === n)?.value ?? NaN;
    return { heapMb: mb(get('JSHeapUsedSize')), nodes: get('Nodes'), listeners: get('JSEventListeners') };
  };
  // Posted one by one, each its own task as a webview's messages are; resolves when the page has taken them all.
  await page.evaluate(`window.__feed = (msgs) => new Promise((resolve) => {
    const done = (ev) => { if (ev.data && ev.data.type === '__bench_done') { window.removeEventListener('message', done); resolve(); } };
    window.addEventListener('message', done);
    for (const m of msgs) window.postMessage(m, '*');
    window.postMessage({ type: '__bench_done' }, '*');
  }); undefined`);
  const points: HeapPoint[] = [];
  const first = await heap();
  points.push({ seconds: 0, ...first, msPerMessage: 0, points: 0 });
  await page.evaluate(`window.__feed([${JSON.stringify(run.started)}])`);
  const total = Math.round(hours * 3600);
  // Beyond the generated hour the same seconds repeat with t and the totals moved on: what the page keeps is per message, not per value.
  const message = (i: number): ProgressMessage => {
    const m = run.progress[i % run.progress.length]!;
    const shift = Math.floor(i / run.progress.length) * run.progress.length;
    return shift ? { ...m, sample: { ...m.sample, t: m.sample.t + shift }, totals: { ...m.totals, elapsedSeconds: m.totals.elapsedSeconds + shift } } : m;
  };
  for (let at = 0; at < total; at += every) {
    const batch: ProgressMessage[] = [];
    for (let i = at; i < Math.min(total, at + every); i++) batch.push(message(i));
    // The last minute of the batch is timed on its own: the cost of one update at this length.
    const head = batch.slice(0, -60);
    const tail = batch.slice(-60);
    if (head.length) await page.evaluate(`window.__feed(${JSON.stringify(head)})`);
    const t0 = performance.now();
    await page.evaluate(`window.__feed(${JSON.stringify(tail)})`);
    const msPerMessage = (performance.now() - t0) / tail.length;
    const held = Number(await page.evaluate(`document.querySelector('.z6-charts')?.dataset.points ?? -1`));
    points.push({ seconds: at + batch.length, ...(await heap()), msPerMessage, points: held });
  }
  await page.close();
  return points;
}

async function main(): Promise<void> {
  const o = args();
  const out: Record<string, unknown> = { date: new Date().toISOString(), load: loadAverage() };
  const t0 = performance.now();
  const hour = syntheticRun({ seconds: 3600 });
  const json = JSON.stringify(hour.finished.results);
  console.log(`synthetic one-hour run: ${hour.finished.results.timeseries.length} samples, ${hour.finished.results.requests.length} requests, results JSON ${(json.length / 1024).toFixed(0)} KiB (generated in ${(performance.now() - t0).toFixed(0)} ms)`);
  const dir = mkdtempSync(join(tmpdir(), 'z6-panel-bench-'));
  const reportFile = join(dir, 'report.html');
  writeFileSync(reportFile, renderHtmlReport(hour.finished.results));
  const { server, origin } = await servePanel();
  const browser = await chromium.launch({ executablePath: CHROMIUM_BIN, headless: true, args: ARGS, timeout: 30_000 });
  try {
    // A warm-up page, then fresh pages: the browser's own start-up costs nothing here.
    await timeShow(browser, origin, json);
    const shows: { total: number; parse: number; dom: number; load: string; quiet: boolean }[] = [];
    const reports: number[] = [];
    for (let i = 0; i < o.reps; i++) {
      const q = await waitQuiet({ maxWaitMs: 10_000 });
      const load = loadAverage();
      const s = await timeShow(browser, origin, json);
      shows.push({ ...s, load, quiet: q.quiet });
      reports.push(await timeReport(browser, pathToFileURL(reportFile).href));
      console.log(`  render ${i + 1}: panel ${s.total.toFixed(0)} ms (JSON.parse ${s.parse.toFixed(0)}, DOM + charts ${s.dom.toFixed(0)}, to paint ${(s.total - s.parse - s.dom).toFixed(0)}); report FCP ${reports.at(-1)!.toFixed(0)} ms; load ${load}${q.quiet ? '' : ' (machine busy)'}`);
    }
    const panelMedian = median(shows.map((s) => s.total));
    console.log(`one-hour run, panel 'show' → painted: median ${panelMedian.toFixed(0)} ms, min ${Math.min(...shows.map((s) => s.total)).toFixed(0)} ms over ${o.reps} fresh pages (target < 500 ms: ${panelMedian < 500 ? 'met' : 'missed'}); HTML report to first contentful paint: median ${median(reports).toFixed(0)} ms`);
    out.render = { shows, reports, panelMedianMs: panelMedian, reportMedianMs: median(reports) };

    const live: Record<string, HeapPoint[]> = {};
    for (const h of o.hours) {
      console.log(`live: ${(h * 3600).toLocaleString('en-US')} progress messages`);
      const pts = await liveMemory(browser, origin, h);
      for (const p of pts) console.log(`  ${String(p.seconds).padStart(6)} s  heap ${p.heapMb.toFixed(2).padStart(6)} MB  nodes ${String(p.nodes).padStart(5)}  listeners ${String(p.listeners).padStart(4)}  ${p.msPerMessage.toFixed(2)} ms/message  chart points ${p.points}`);
      const at = (s: number) => pts.find((p) => p.seconds >= s)!;
      const last = pts.at(-1)!;
      if (last.seconds > 3600) {
        const perHour = (last.heapMb - at(3600).heapMb) / ((last.seconds - at(3600).seconds) / 3600);
        console.log(`  heap at 1 h ${at(3600).heapMb.toFixed(2)} MB, at ${(last.seconds / 3600).toFixed(0)} h ${last.heapMb.toFixed(2)} MB: ${perHour >= 0 ? '+' : ''}${perHour.toFixed(2)} MB per further hour`);
      }
      live[`${h}h`] = pts;
    }
    out.live = live;
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  // For scripts/bench.mjs: the raw figures.
  if (o.out) writeFileSync(o.out, JSON.stringify(out, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
