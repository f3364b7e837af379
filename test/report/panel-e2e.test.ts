/**
 * The results panel in a real VS Code (code-server + chromium, the harness in e2e/): `Z6: Run
 * Scenario` forks the engine, the webview draws the run under its CSP and shows the finished
 * report; its Cancel button stops a long run and the partial results stay; a target that is not
 * loopback asks first. The loopback demo server runs in this test process.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { missingPrerequisite } from '../../e2e/install';
import { resultsFrame, runEnded, runOffered, runScenario } from '../../e2e/results-panel';
import { startEditorSession, type EditorSession } from '../../e2e/session';
import { UI_TIMEOUT } from '../../e2e/workbench';
import { startDemoServer, type DemoServer } from '../../engine/demo/demo-server';
import { refusedPort } from '../engine/helpers';

function scenario(baseUrl: string, name: string, seconds: number): string {
  return `[metadata]\nname = "${name}"\n\n[target]\nbase_url = "${baseUrl}"\n\n[runtime]\nduration_seconds = ${seconds}\nvus = 2\nprng_seed = 5\n\n[[requests]]\nname = "json"\npath = "/json"\n`;
}

function hexToRgb(hex: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/.exec(hex);
  return m ? `rgb(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)})` : hex;
}

const skip = missingPrerequisite();

describe('results panel in VS Code (code-server + chromium)', { skip: skip ?? false, timeout: 600_000 }, () => {
  let demo: DemoServer;
  let deadPort = 0;
  let session: EditorSession | undefined;
  let failed = false;

  before(async () => {
    demo = await startDemoServer(0, 2);
    deadPort = await refusedPort();
    session = await startEditorSession('run-panel', {
      'short.z6.toml': scenario(demo.url, 'Short run', 3),
      'long.z6.toml': scenario(demo.url, 'Long run', 120),
      // TEST-NET-1 (RFC 5737): never routed, so even a mistaken run would send nothing anywhere.
      'remote.z6.toml': scenario('http://192.0.2.10:8080', 'Remote', 3),
      // Nothing listens there: the run says so at once and stops after 3 s.
      'dead.z6.toml': scenario(`http://127.0.0.1:${deadPort}`, 'Dead', 30).replace('[runtime]', 'unreachable_stop_seconds = 3\n\n[runtime]'),
      // An assertion no run can pass, on line 18.
      'failing.z6.toml': `${scenario(demo.url, 'Failing', 2)}\n[assertions]\nerror_rate_max = 0.5\np99_latency_ms = 0.001\n`,
    });
  }, { timeout: 180_000 });

  after(async () => {
    await session?.close(failed);
    await demo?.close();
  });

  function uiTest(name: string, body: (s: EditorSession) => Promise<void>) {
    test(name, { timeout: 180_000 }, async () => {
      assert.ok(session, 'the editor session did not start');
      try {
        await body(session);
      } catch (e) {
        failed = true;
        const shot = await session.screenshot(`FAIL-run-${name}`);
        (e as Error).message += `\nscreenshot: ${shot}\n${session.workbench.errors.slice(-10).join('\n')}`;
        throw e;
      } finally {
        // Keys typed while the webview has focus go to the webview: give focus back to the
        // workbench (the side bar's title) for the next test's Quick Open and palette.
        await session.workbench.page.locator('.part.sidebar .composite.title').first().click().catch(() => undefined);
      }
    });
  }

  uiTest('Run Scenario shows the run in the results panel, ends with the report, follows the theme', async (s) => {
    const wb = s.workbench;
    await wb.openFile('short.z6.toml');
    await runScenario(wb);
    const frame = await resultsFrame(wb.page);
    await frame.waitForSelector('#z6-status:text("Completed")', { timeout: 60_000 });
    // The panel shows the results as soon as they arrive; the engine writes its files after that and
    // then exits. The run is over when its status-bar item goes.
    await runEnded(s.workbench);
    assert.equal(await frame.textContent('#z6-name'), 'Short run');
    assert.equal(await frame.textContent('#z6-target'), demo.url);
    const issued = Number((await frame.textContent('#z6-totals [data-metric="issued"] .z6-card-value'))!.replace(/,/g, ''));
    assert.ok(issued > 0, `issued ${issued}`);
    assert.equal(await frame.$$eval('.z6-chart canvas', (c) => c.length), 3);
    // The run's files are in the workspace's z6-results folder, results.json among them.
    const root = join(s.dirs.workspace, 'z6-results');
    const runs = readdirSync(root).filter((d) => d.startsWith('short-'));
    assert.equal(runs.length, 1);
    assert.ok(existsSync(join(root, runs[0]!, 'results.json')));
    // The panel's page loaded under its CSP without complaint.
    assert.deepEqual(wb.errors.filter((e) => /Content Security Policy|z6|renderer/i.test(e)), []);
    await s.screenshot('run-panel-completed');

    // The panel follows the editor's colour theme, charts included.
    const editorBackground = () => frame.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim().toLowerCase());
    const bodyBackground = () => frame.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const pixels = () => frame.$eval('#z6-chart-latency canvas', (c) => (c as HTMLCanvasElement).toDataURL());
    const pickTheme = async (name: string) => {
      // Keyboard focus in the workbench, not inside the webview (which keeps its own keys).
      await wb.page.locator('.part.sidebar .composite.title').first().click();
      await wb.selectColorTheme(name);
    };
    assert.ok(await frame.evaluate(() => document.body.classList.contains('vscode-light')));
    assert.equal(await bodyBackground(), hexToRgb(await editorBackground()));
    const lightPixels = await pixels();
    await pickTheme('Dark Modern');
    try {
      await frame.waitForFunction(() => document.body.classList.contains('vscode-dark'), undefined, { timeout: UI_TIMEOUT });
      // The page takes the editor's background, and the charts are painted again in the new theme.
      assert.equal(await bodyBackground(), hexToRgb(await editorBackground()));
      assert.equal(await frame.$$eval('.z6-chart canvas', (c) => c.length), 3);
      await frame.waitForFunction((before) => (document.querySelector('#z6-chart-latency canvas') as HTMLCanvasElement | null)?.toDataURL() !== before, lightPixels, { timeout: UI_TIMEOUT });
      await s.screenshot('run-panel-dark');
    } finally {
      await pickTheme('Light Modern');
    }
    await frame.waitForFunction(() => document.body.classList.contains('vscode-light'), undefined, { timeout: UI_TIMEOUT });
  });

  uiTest('the Cancel button stops a long run and the partial results stay', async (s) => {
    const wb = s.workbench;
    await wb.openFile('long.z6.toml');
    await runScenario(wb);
    const frame = await resultsFrame(wb.page);
    await frame.waitForSelector('#z6-status:text("Running")', { timeout: 60_000 });
    await frame.waitForSelector('#z6-totals [data-metric="issued"]', { timeout: 30_000 });
    // Meanwhile the scenario's Run lens is the way to stop it.
    await wb.page.locator('.tabs-container .tab', { hasText: /^long\.z6\.toml/ }).first().click();
    await wb.activeEditor().locator('.view-lines').click();
    await wb.activeEditor().locator('.codelens-decoration', { hasText: /■\sCancel\srun/ }).first().waitFor({ timeout: UI_TIMEOUT });
    await s.screenshot('run-panel-live');

    // Closing the panel mid-run is respected: the next progress second does not bring it back...
    const tab = wb.page.locator('.tabs-container .tab', { hasText: 'Z6: long.z6.toml' });
    await tab.click();
    await wb.page.keyboard.press('Control+W');
    await tab.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    const statusItem = wb.page.locator('.statusbar-item', { hasText: /Z6: \d+ s ·/ }).first();
    const before = await statusItem.textContent();
    await wb.page.waitForFunction((t) => Array.from(document.querySelectorAll('.statusbar-item')).some((e) => /Z6: \d+ s ·/.test(e.textContent ?? '') && e.textContent !== t), before, { timeout: UI_TIMEOUT });
    assert.equal(await tab.count(), 0, 'the closed panel stayed closed');
    // ...and Show Last Results reopens it with the run so far replayed.
    await wb.runCommand('Z6: Show Last Results');
    const again = await resultsFrame(wb.page);
    await again.waitForSelector('#z6-status:text("Running")', { timeout: 30_000 });
    await again.waitForSelector('#z6-chart-throughput canvas', { timeout: 30_000 });

    await again.click('#z6-cancel');
    const frameAfter = again;
    await frameAfter.waitForSelector('#z6-status:text("Cancelled")', { timeout: 30_000 });
    const issued = Number((await frameAfter.textContent('#z6-totals [data-metric="issued"] .z6-card-value'))!.replace(/,/g, ''));
    assert.ok(issued > 0);
    assert.match((await frameAfter.textContent('#z6-duration'))!, /of 2 min planned/);
    // The engine stops: the run ends (and the next Run Scenario is not "a run is already in progress").
    await runEnded(s.workbench);
  });

  uiTest('a target that is not loopback asks before the first run', async (s) => {
    const wb = s.workbench;
    await wb.openFile('remote.z6.toml');
    await runScenario(wb);
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    assert.match((await dialog.textContent())!, /send load to 192\.0\.2\.10:8080\?/);
    await wb.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    // Declined: no run folder for it.
    const root = join(s.dirs.workspace, 'z6-results');
    assert.deepEqual(existsSync(root) ? readdirSync(root).filter((d) => d.startsWith('remote-')) : [], []);
  });

  uiTest('a failed assertion is a problem on its line after the run, and the status bar says how the run went', async (s) => {
    const wb = s.workbench;
    await wb.openFile('failing.z6.toml');
    await runScenario(wb);
    const frame = await resultsFrame(wb.page);
    await frame.waitForSelector('#z6-status:text("Completed")', { timeout: 60_000 });
    await runEnded(s.workbench);
    await wb.page.locator('.statusbar-item', { hasText: 'Z6: last run 1 of 2 assertions failed' }).first().waitFor({ timeout: UI_TIMEOUT });
    await wb.problems();
    const row = wb.problemRows().filter({ hasText: 'assertion failed in the last run: p99_latency_ms' }).first();
    await row.waitFor({ timeout: UI_TIMEOUT });
    const text = (await row.textContent()) ?? '';
    assert.match(text, /must be <= 0\.001/);
    assert.match(text, /\[Ln 18, Col 1\]/);
    assert.equal(await wb.problemRows().filter({ hasText: 'error_rate_max' }).count(), 0, 'only the failed assertion');
    // The figures are on the scenario too: the request block and each assertion (CodeLens; the
    // editor draws their spaces as no-break spaces, which \s matches).
    // VS Code asks a provider for new lenses when its editor has focus again (here the Problems
    // panel has it), as a user's eye goes back to the scenario: bring its tab forward (it may share
    // a group with the results panel) and click into the text.
    await wb.page.locator('.tabs-container .tab', { hasText: /^failing\.z6\.toml/ }).first().click();
    await wb.activeEditor().locator('.view-lines').click();
    const lenses = wb.activeEditor().locator('.codelens-decoration');
    await lenses.filter({ hasText: /p99\s[\d.]+\sms\s·\s0\.0\s%\sfailed\s·\s[\d,]+\sreq/ }).first().waitFor({ timeout: UI_TIMEOUT });
    await lenses.filter({ hasText: /✗\s[\d.]+\s\(must\sbe\s<=\s0\.001\)/ }).first().waitFor({ timeout: UI_TIMEOUT });
    await lenses.filter({ hasText: /✓\s0$/ }).first().waitFor({ timeout: UI_TIMEOUT });
    await s.screenshot('run-assertion-problem');
  });

  uiTest('a run against a closed port says the target is unreachable within 2 s, and stops', async (s) => {
    const wb = s.workbench;
    await wb.openFile('dead.z6.toml');
    await runScenario(wb);
    const frame = await resultsFrame(wb.page);
    await frame.waitForSelector('#z6-status:text("Running")', { timeout: 60_000 });
    const running = Date.now();
    await frame.waitForSelector('.z6-banner-error:has-text("nothing answers at 127.0.0.1")', { timeout: UI_TIMEOUT });
    const after = Date.now() - running;
    assert.ok(after < 2000, `the banner came ${after} ms after the run started`);
    await frame.waitForSelector('#z6-status:text("Error")', { timeout: 30_000 });
    await runEnded(s.workbench);
    await wb.page.locator('.statusbar-item', { hasText: 'Z6: last run ended with an error' }).first().waitFor({ timeout: UI_TIMEOUT });
    await s.screenshot('run-unreachable');
  });

  uiTest('Try the Demo runs the shipped demo scenario on a target the engine starts, and passes', async (s) => {
    const wb = s.workbench;
    // Enabled once workspace trust has settled, as Run Scenario: wait for a run button first.
    await wb.openFile('short.z6.toml');
    await runOffered(wb);
    const asked = Date.now();
    await wb.runCommand('Z6: Try the Demo');
    const frame = await resultsFrame(wb.page);
    await frame.waitForSelector('#z6-name:text("Z6 demo shop")', { timeout: 60_000 });
    // Live charts while it runs (the demo lasts about 12 s), within 10 s of the command.
    await frame.waitForSelector('#z6-status:text("Running")', { timeout: 30_000 });
    await frame.waitForSelector('#z6-chart-throughput canvas', { timeout: 30_000 });
    const charted = Date.now() - asked;
    assert.ok(charted < 10_000, `live charts ${charted} ms after Try the Demo`);
    assert.equal(await frame.textContent('#z6-status'), 'Running', 'the charts are live, not the final results');
    await frame.waitForSelector('#z6-status:text("Completed")', { timeout: 90_000 });
    await runEnded(s.workbench);
    assert.equal(await frame.textContent('#z6-verdict'), 'Assertions passed (6)');
    // Not the test's own demo server: the engine started the target for the run.
    const target = (await frame.textContent('#z6-target'))!;
    assert.match(target, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(target, demo.url);
    await s.screenshot('try-the-demo');
  });

  uiTest('after Reload Window the panel is back with the last results, under the scenario\'s name', async (s) => {
    const wb = s.workbench;
    // The last run is the demo (the test before); its panel is open.
    await wb.page.locator('.tabs-container .tab', { hasText: 'Z6: demo.z6.toml' }).first().waitFor({ timeout: UI_TIMEOUT });
    await wb.runCommand('Developer: Reload Window');
    await wb.page.waitForEvent('load', { timeout: 60_000 });
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await wb.page.locator('.tabs-container .tab', { hasText: 'Z6: demo.z6.toml' }).first().waitFor({ timeout: 60_000 });
    const frame = await resultsFrame(wb.page);
    await frame.waitForSelector('#z6-status:text("Completed")', { timeout: 60_000 });
    assert.equal(await frame.textContent('#z6-name'), 'Z6 demo shop');
    await s.screenshot('panel-after-reload');
  });
});
