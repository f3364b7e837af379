/**
 * After a run, in a real VS Code (code-server + chromium, the harness in e2e/): scenarios and their
 * assertions in the Testing view, marked by a run (failed with expected and actual on its line,
 * errored with the reason when the target is unreachable), the failed assertion still in Problems;
 * the "Z6 Runs" view listing two runs of a scenario, their comparison marking the slower one as
 * regressed; and a baseline that the next run is compared with. The target is a loopback server in
 * this test process whose response delay the test sets between runs.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { missingPrerequisite } from '../../e2e/install';
import { resultsFrame, runEnded, runOffered, runScenario } from '../../e2e/results-panel';
import { startEditorSession, type EditorSession } from '../../e2e/session';
import { UI_TIMEOUT, type Workbench } from '../../e2e/workbench';
import { httpServer, refusedPort, type Listening } from '../engine/helpers';

function scenario(baseUrl: string, name: string, extra = ''): string {
  return `[metadata]\nname = "${name}"\n\n[target]\nbase_url = "${baseUrl}"\n${extra}\n[runtime]\nduration_seconds = 2\nvus = 2\nprng_seed = 5\n\n[[requests]]\nname = "item"\npath = "/item"\n`;
}

/** Assertions on lines 17 and 18 (one more with a [target] key): the first passes against the loopback server, the second cannot. */
const ASSERTIONS = '\n[assertions]\nerror_rate_max = 0.5\np99_latency_ms = 0.001\n';

/** The rows of the Testing view's tree. */
function testRows(wb: Workbench): Locator {
  return wb.page.locator('.test-explorer .monaco-list-row');
}

/** Opens a view container from the activity bar (a click on the one already open would close the side bar). */
async function showContainer(wb: Workbench, label: string): Promise<void> {
  const item = wb.page.locator('.activitybar .action-item', { has: wb.page.locator(`.action-label[aria-label^="${label}"]`) }).first();
  await item.waitFor({ timeout: UI_TIMEOUT });
  if (!(await item.evaluate((e) => e.classList.contains('checked')))) await item.click();
  await wb.page.locator('.part.sidebar .composite.title', { hasText: new RegExp(`^${label}`, 'i') }).waitFor({ timeout: UI_TIMEOUT });
}

async function showTesting(wb: Workbench): Promise<void> {
  await showContainer(wb, 'Testing');
  await wb.page.locator('.test-explorer').waitFor({ timeout: UI_TIMEOUT });
}

/** The "Z6 Runs" section of the Explorer. */
function historyPane(wb: Workbench): Locator {
  return wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: /^Z6 Runs/i }) });
}

/** The rows of the "Z6 Runs" view. */
function historyRows(wb: Workbench): Locator {
  return historyPane(wb).locator('.monaco-list-row');
}

/**
 * Clicks a row of a tree whose rows have hovers: the hover of the row the pointer was over last can
 * cover the next one, so the pointer leaves first and its hover is gone before the click.
 */
async function clickRow(wb: Workbench, row: Locator, modifiers: ('Control' | 'Shift')[] = []): Promise<void> {
  await wb.page.mouse.move(1, 1);
  await wb.page.locator('.context-view .monaco-hover').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  await row.click({ modifiers });
}

async function showHistory(wb: Workbench): Promise<void> {
  await showContainer(wb, 'Explorer');
  const header = historyPane(wb).locator('.pane-header');
  await header.waitFor({ timeout: UI_TIMEOUT });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  await historyPane(wb).locator('.pane-body').waitFor({ timeout: UI_TIMEOUT });
}

/** results.json files of finished runs in the workspace's z6-results/. */
function finishedRuns(workspace: string): number {
  const root = join(workspace, 'z6-results');
  return existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, 'results.json'))).length : 0;
}

/**
 * Starts a run and waits until it is over: its results.json is on disk (a run that started after
 * this call wrote it: the count went up) and the engine has exited (the run's status item is gone).
 */
async function runToEnd(wb: Workbench, workspace: string, start: () => Promise<void>): Promise<void> {
  const before = finishedRuns(workspace);
  await start();
  const deadline = Date.now() + 60_000;
  while (finishedRuns(workspace) <= before) {
    if (Date.now() > deadline) throw new Error('the run wrote no results.json within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  await runEnded(wb);
}

const skip = missingPrerequisite();

describe('Testing view and run history in VS Code (code-server + chromium)', { skip: skip ?? false, timeout: 600_000 }, () => {
  let target: Listening & { server: Server };
  /** How long the target waits before it answers: the test makes the second run slower. */
  let delayMs = 0;
  let session: EditorSession | undefined;
  let failed = false;

  before(async () => {
    target = await httpServer((_req, res) => {
      if (delayMs > 0) setTimeout(() => res.end('{"ok":true}'), delayMs);
      else res.end('{"ok":true}');
    });
    const dead = await refusedPort();
    session = await startEditorSession('runs-tests', {
      'failing.z6.toml': scenario(target.url, 'Failing') + ASSERTIONS,
      // Nothing listens there: the run stops after 1 s with status error.
      'dead.z6.toml': scenario(`http://127.0.0.1:${dead}`, 'Dead', 'unreachable_stop_seconds = 1\n') + ASSERTIONS,
      'timed.z6.toml': scenario(target.url, 'Timed'),
      // Two minutes: long enough to be cancelled from the Testing view.
      'long.z6.toml': (scenario(target.url, 'Long') + ASSERTIONS).replace('duration_seconds = 2', 'duration_seconds = 120'),
    });
  }, { timeout: 180_000 });

  after(async () => {
    await session?.close(failed);
    await target?.close();
  });

  function uiTest(name: string, body: (wb: Workbench, s: EditorSession) => Promise<void>) {
    test(name, { timeout: 180_000 }, async () => {
      assert.ok(session, 'the editor session did not start');
      try {
        await body(session.workbench, session);
      } catch (e) {
        failed = true;
        const shot = await session.screenshot(`FAIL-runs-${name}`);
        (e as Error).message += `\nscreenshot: ${shot}\n${session.workbench.errors.slice(-10).join('\n')}`;
        throw e;
      } finally {
        // Keys typed while a webview has focus go to the webview: focus the side bar's title.
        await session.workbench.page.locator('.part.sidebar .composite.title').first().click().catch(() => undefined);
      }
    });
  }

  uiTest('the Testing view lists a scenario\'s assertions; Run Test at Cursor marks the failed one failed with expected and actual, and Problems has it on its line', async (wb, s) => {
    await wb.openFile('failing.z6.toml');
    await runOffered(wb);
    await showTesting(wb);
    const scenarioRow = testRows(wb).filter({ has: wb.page.locator('.label', { hasText: /^failing\.z6\.toml/ }) }).first();
    await scenarioRow.waitFor({ timeout: UI_TIMEOUT });
    if ((await scenarioRow.getAttribute('aria-expanded')) === 'false') await scenarioRow.locator('.monaco-tl-twistie').click();
    await testRows(wb).and(wb.page.locator('[aria-label^="p99_latency_ms"]')).waitFor({ timeout: UI_TIMEOUT });
    await testRows(wb).and(wb.page.locator('[aria-label^="error_rate_max"]')).waitFor({ timeout: UI_TIMEOUT });

    // Run the test under the cursor (the p99 assertion's line): the whole scenario runs, in the panel.
    await wb.openFile('failing.z6.toml');
    await wb.goTo(18, 1);
    await runToEnd(wb, s.dirs.workspace, () => wb.runCommand('Test: Run Test at Cursor'));
    const frame = await resultsFrame(wb.page);
    await frame.waitForSelector('#z6-status:text("Completed")', { timeout: UI_TIMEOUT });
    await testRows(wb).and(wb.page.locator('[aria-label^="p99_latency_ms (Failed)"]')).waitFor({ timeout: UI_TIMEOUT });
    await testRows(wb).and(wb.page.locator('[aria-label^="error_rate_max (Passed)"]')).waitFor({ timeout: UI_TIMEOUT });
    await testRows(wb).and(wb.page.locator('[aria-label^="failing.z6.toml (Failed)"]')).waitFor({ timeout: UI_TIMEOUT });
    // The failure's message is on the assertion's line in the editor: actual != expected.
    await wb.page.locator('.tabs-container .tab', { hasText: /^failing\.z6\.toml/ }).first().click();
    const message = wb.activeEditor().locator('.test-error-content-widget .content', { hasText: /^[\d.]+\s!=\s<=\s0\.001$/ }).first();
    await message.waitFor({ timeout: UI_TIMEOUT });
    const line = wb.activeEditor().locator('.view-lines .view-line', { hasText: /^p99_latency_ms\s=\s0\.001$/ });
    const [at, of] = [await message.boundingBox(), await line.boundingBox()];
    assert.ok(at && of && Math.abs(at.y + at.height / 2 - (of.y + of.height / 2)) < of.height, `message at y ${at?.y}, the p99 line at y ${of?.y}`);
    // ...and in Problems, on its line, as before.
    await wb.problems();
    const row = wb.problemRows().filter({ hasText: 'assertion failed in the last run: p99_latency_ms' }).first();
    await row.waitFor({ timeout: UI_TIMEOUT });
    assert.match((await row.textContent())!, /\[Ln 18, Col 1\]/);
    await s.screenshot('testing-view-failed');
  });

  uiTest('a run that cannot reach its target marks the scenario and its assertions errored, with the reason', async (wb, s) => {
    await wb.openFile('dead.z6.toml');
    await wb.goTo(18, 1);
    await runToEnd(wb, s.dirs.workspace, () => wb.runCommand('Test: Run Test at Cursor'));
    await testRows(wb).and(wb.page.locator('[aria-label^="dead.z6.toml (Errored)"]')).waitFor({ timeout: UI_TIMEOUT });
    const scenarioRow = testRows(wb).and(wb.page.locator('[aria-label^="dead.z6.toml (Errored)"]'));
    if ((await scenarioRow.getAttribute('aria-expanded')) === 'false') await scenarioRow.locator('.monaco-tl-twistie').click();
    await testRows(wb).and(wb.page.locator('[aria-label^="error_rate_max (Errored)"]')).last().waitFor({ timeout: UI_TIMEOUT });
    await testRows(wb).and(wb.page.locator('[aria-label^="p99_latency_ms (Errored)"]')).last().waitFor({ timeout: UI_TIMEOUT });
    // The reason is the message, shown in the editor.
    await wb.page.locator('.tabs-container .tab', { hasText: /^dead\.z6\.toml/ }).first().click();
    await wb.activeEditor().locator('.test-error-content-widget .content', { hasText: /The\srun\sended\swith\san\serror:\s.*nothing\sanswers\sat\s127\.0\.0\.1/ }).first().waitFor({ timeout: UI_TIMEOUT });
    await s.screenshot('testing-view-errored');
  });

  uiTest('cancelling the test run cancels the engine run: the partial run judges nothing, its items are skipped', async (wb, s) => {
    await wb.openFile('long.z6.toml');
    await wb.goTo(18, 1);
    await runToEnd(wb, s.dirs.workspace, async () => {
      await wb.runCommand('Test: Run Test at Cursor');
      const frame = await resultsFrame(wb.page);
      await frame.waitForSelector('#z6-status:text("Running")', { timeout: 60_000 });
      await frame.waitForSelector('#z6-totals [data-metric="issued"]', { timeout: UI_TIMEOUT });
      // The Testing view's stop button (the palette does not offer Cancel Test Run here).
      await wb.page.locator('.part.sidebar .title-actions .action-label[aria-label^="Cancel"]').first().click();
    });
    const frame = await resultsFrame(wb.page);
    await frame.waitForSelector('#z6-status:text("Cancelled")', { timeout: UI_TIMEOUT });
    await testRows(wb).and(wb.page.locator('[aria-label^="long.z6.toml (Skipped)"]')).waitFor({ timeout: UI_TIMEOUT });
    const scenarioRow = testRows(wb).and(wb.page.locator('[aria-label^="long.z6.toml (Skipped)"]'));
    if ((await scenarioRow.getAttribute('aria-expanded')) === 'false') await scenarioRow.locator('.monaco-tl-twistie').click();
    await testRows(wb).and(wb.page.locator('[aria-label^="p99_latency_ms (Skipped)"]')).first().waitFor({ timeout: UI_TIMEOUT });
    // Well before its two minutes.
    assert.match((await frame.textContent('#z6-duration'))!, /of 2 min planned/);
  });

  uiTest('Z6 Runs lists two runs of a scenario, newest first; comparing them shows the slower one as regressed', async (wb, s) => {
    await wb.closeAllEditors();
    await wb.openFile('timed.z6.toml');
    delayMs = 0;
    await runToEnd(wb, s.dirs.workspace, () => runScenario(wb));
    // The second run: every response 200 ms later (the first run's p99 has been seen at 56 ms when
    // the machine is busy: the difference must stand well clear of that).
    delayMs = 200;
    await wb.openFile('timed.z6.toml');
    await runToEnd(wb, s.dirs.workspace, () => runScenario(wb));

    await showHistory(wb);
    const scenarioRow = historyRows(wb).filter({ hasText: /^Timed/ }).first();
    await scenarioRow.waitFor({ timeout: UI_TIMEOUT });
    // Runs without assertions read "done · p99 … · … req/s"; the two of them, the slower (newer) first.
    const runs = historyRows(wb).filter({ hasText: /\d{2}:\d{2}:\d{2}\s*done · p99/ });
    await runs.nth(1).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await runs.count(), 2);
    const p99 = async (row: Locator) => Number(/p99 ([\d.,]+) ms/.exec((await row.getAttribute('aria-label')) ?? '')?.[1]?.replace(/,/g, ''));
    const [newer, older] = [await p99(runs.nth(0)), await p99(runs.nth(1))];
    assert.ok(newer >= 200 && newer > older, `p99 of the newer run ${newer} ms, of the older ${older} ms`);

    // Select both and compare.
    await clickRow(wb, runs.nth(0));
    await clickRow(wb, runs.nth(1), ['Control']);
    await historyPane(wb).locator('.monaco-list-row.selected').nth(1).waitFor({ timeout: UI_TIMEOUT });
    await wb.runCommand('Z6 Runs: Compare Runs…');
    const frame = await resultsFrame(wb.page, '#z6-compare-verdict');
    await frame.waitForSelector('#z6-compare-verdict:text-matches("^Regressed")', { timeout: UI_TIMEOUT });
    const row = (label: string) => frame.locator('.z6-compare-run tr', { has: frame.locator('td', { hasText: new RegExp(`^${label}$`) }) });
    const p99Row = row('p99 latency');
    await p99Row.locator('.z6-verdict-regressed').waitFor({ timeout: UI_TIMEOUT });
    await row('p50 latency').locator('.z6-verdict-regressed').waitFor({ timeout: UI_TIMEOUT });
    // "This run" (B) is the slower, newer one; the older is the baseline column.
    const cells = await p99Row.locator('td').allTextContents();
    assert.ok(parseFloat(cells[2]!.replace(/,/g, '')) > parseFloat(cells[1]!.replace(/,/g, '')), `p99 row: ${cells.join(' | ')}`);
    assert.equal(await wb.page.locator('.tabs-container .tab', { hasText: /^Z6: .* ↔ / }).count(), 1);
    await s.screenshot('history-compare');
  });

  uiTest('Set as Baseline marks the run, and the next run of the scenario is compared with it', async (wb, s) => {
    await wb.closeAllEditors();
    await showHistory(wb);
    const runs = historyRows(wb).filter({ hasText: /\d{2}:\d{2}:\d{2}\s*done · p99/ });
    await runs.nth(1).waitFor({ timeout: UI_TIMEOUT });
    // The older, fast run becomes the baseline.
    await clickRow(wb, runs.nth(1));
    await wb.runCommand('Z6 Runs: Set as Baseline');
    const baseline = historyRows(wb).filter({ hasText: /★ baseline · done · p99/ });
    await baseline.waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await baseline.count(), 1);
    assert.equal(await historyRows(wb).filter({ hasText: /done · p99/ }).last().getAttribute('aria-label'), await baseline.getAttribute('aria-label'), 'the older run is the baseline');

    // A new run, still slow: its panel compares it with the baseline.
    await wb.openFile('timed.z6.toml');
    await runToEnd(wb, s.dirs.workspace, () => runScenario(wb));
    const frame = await resultsFrame(wb.page, '#z6-compare-verdict');
    await frame.waitForSelector('#z6-compare-verdict:text-matches("^Regressed")', { timeout: UI_TIMEOUT });
    await wb.page.locator('.statusbar-item', { hasText: 'regressed against the baseline' }).first().waitFor({ timeout: UI_TIMEOUT });
    // Three runs listed now, the baseline still marked.
    await historyRows(wb).filter({ hasText: /done · p99/ }).nth(2).waitFor({ timeout: UI_TIMEOUT });
    await s.screenshot('history-baseline');

    // Compare with Baseline on the middle run: the history's own panel, the baseline as A.
    await wb.closeAllEditors();
    await showHistory(wb);
    await clickRow(wb, historyRows(wb).filter({ hasText: /\d{2}:\d{2}:\d{2}\s*done · p99/ }).nth(1));
    await wb.runCommand('Z6 Runs: Compare with Baseline');
    await wb.page.locator('.tabs-container .tab', { hasText: /^Z6: baseline ↔ / }).waitFor({ timeout: UI_TIMEOUT });
    const compared = await resultsFrame(wb.page, '#z6-compare-verdict');
    await compared.waitForSelector('#z6-compare-verdict:text-matches("^Regressed")', { timeout: UI_TIMEOUT });
  });
});
