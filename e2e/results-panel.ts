/**
 * The Z6 results panels and runs as an editor test sees them: find a webview's inner frame, start
 * a run once the command is offered, wait until no run is in progress.
 */
import type { Frame, Page } from 'playwright-core';
import { UI_TIMEOUT, type Workbench } from './workbench';

/**
 * The webview frame that has `selector` (by default any Z6 results page's root), once it exists.
 * Webviews load in frames of their own: the page has no event for "a frame now has this element".
 */
export async function resultsFrame(page: Page, selector = '#z6-root', timeout = 60_000): Promise<Frame> {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      if (await f.$(selector).catch(() => null)) return f;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no Z6 webview with ${selector} appeared`);
}

/**
 * Waits until no run is in progress: the run's status-bar item ("Z6: starting…", "Z6: 3 s · 250 req/s",
 * "Z6: cancelling…") is hidden when the engine process has exited, after it wrote the run's files.
 */
export async function runEnded(wb: Workbench): Promise<void> {
  await wb.page
    .locator('.statusbar-item', { hasText: /Z6: (starting|running|cancelling|\d+ s ·)/ })
    .first()
    .waitFor({ state: 'hidden', timeout: 60_000 });
}

/**
 * Waits until a run can start: Run Scenario needs a trusted workspace and no run in progress; right
 * after start-up VS Code settles workspace trust asynchronously (even with trust switched off), and
 * until then the palette does not list the command. The editor title's Run button has the same
 * conditions, so its presence is the state to wait for.
 */
export async function runOffered(wb: Workbench): Promise<void> {
  await wb.page.locator('.editor-group-container.active .editor-actions .action-label[aria-label*="Run Scenario"]').waitFor({ timeout: UI_TIMEOUT });
}

/** Runs the active scenario from the command palette once the command is offered. */
export async function runScenario(wb: Workbench): Promise<void> {
  await runOffered(wb);
  await wb.runCommand('Z6: Run Scenario');
}
