/**
 * The Z6 extension in a real VS Code: code-server 4.100 (VS Code 1.100 with its Node extension host)
 * driven through Debian's chromium. What a user sees: the language server's diagnostic in the Problems
 * panel, its key completion, and its quick fix applied to the file.
 *
 * One code-server and one page serve all the tests in this file (start-up is the expensive part).
 * Needs `bash scripts/setup-e2e.sh` (npm test runs it when needed) and a build (dist/).
 * On failure: a screenshot in .cache/e2e-shots/ and the run folder (code-server log) is kept.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { missingPrerequisite } from '../../e2e/install';
import { startEditorSession, type EditorSession } from '../../e2e/session';
import { UI_TIMEOUT, type Workbench } from '../../e2e/workbench';

/** A scenario whose only problem is a misspelt key on line 5. */
const MISSPELT = `[target]
base_url = "http://127.0.0.1:9"

[runtime]
duration_secnds = 10
vus = 2

[[requests]]
method = "GET"
path = "/"
`;

/** A valid scenario with an empty line (line 5) inside [runtime] to complete on. */
const TO_COMPLETE = `[target]
base_url = "http://127.0.0.1:9"

[runtime]

duration_seconds = 5

[[requests]]
path = "/"
`;

/** [runtime] with nothing in it yet (line 5 is empty). */
const EMPTY_RUNTIME = `[target]
base_url = "http://127.0.0.1:9"

[runtime]


[[requests]]
path = "/"
`;

/** A scenario in a plain .toml (no .z6): the extension offers to treat it as one. */
const PLAIN_SCENARIO = MISSPELT.replace('[runtime]', '# checked by Z6 only when you say so\n[runtime]');
/** Another tool's file that happens to have the same headers: never offered. */
const CARGO_LOOKALIKE = '[package]\nname = "demo"\n\n[target]\n[[requests]]\n';

// All fixtures exist before code-server starts: Quick Open's file index may not see files added later.
const FILES = {
  'broken.z6.toml': MISSPELT,
  'fixme.z6.toml': MISSPELT,
  'complete.z6.toml': TO_COMPLETE,
  'empty-runtime.z6.toml': EMPTY_RUNTIME,
  'checkout.toml': PLAIN_SCENARIO,
  'Cargo.toml': CARGO_LOOKALIKE,
};

const UNKNOWN_KEY_MESSAGE = "unknown key 'duration_secnds' in [runtime]; did you mean 'duration_seconds'?";

describe('Z6 extension in VS Code (code-server + chromium)', { timeout: 600_000 }, () => {
  let session: EditorSession | undefined;
  let failed = false;

  before(async () => {
    const missing = missingPrerequisite();
    if (missing) throw new Error(missing);
    session = await startEditorSession('editor', FILES);
  }, { timeout: 180_000 });

  after(async () => {
    await session?.close(failed);
  });

  /** A UI test: on failure, a screenshot and the page's errors go into the assertion message. */
  function uiTest(name: string, body: (wb: Workbench, s: EditorSession) => Promise<void>) {
    test(name, { timeout: 120_000 }, async () => {
      assert.ok(session, 'the editor session did not start');
      try {
        await body(session.workbench, session);
      } catch (e) {
        failed = true;
        const shot = await session.screenshot(`FAIL-${name}`);
        const errors = session.workbench.errors.slice(-10).join('\n');
        (e as Error).message += `\nscreenshot: ${shot}${errors ? `\npage errors:\n${errors}` : ''}`;
        throw e;
      } finally {
        await session.workbench.closeAllEditors().catch(() => undefined);
        await session.workbench.clearNotifications().catch(() => undefined);
      }
    });
  }

  uiTest('a broken scenario shows its diagnostic, with "did you mean", in the Problems panel', async (wb) => {
    await wb.openFile('broken.z6.toml');
    // The file is recognised by its name as a Z6 scenario...
    await wb.page.locator('.statusbar-item', { hasText: 'Z6 Scenario' }).first().waitFor({ timeout: UI_TIMEOUT });
    // ...the language server publishes the diagnostic: a squiggle under the key...
    await wb.errorSquiggles().first().waitFor({ state: 'attached', timeout: 60_000 });
    // ...and the status-bar item counts it; clicking it opens the Problems panel.
    const status = wb.page.locator('.statusbar-item', { hasText: 'Z6: 1 error' }).first();
    await status.waitFor({ timeout: UI_TIMEOUT });
    await status.click();
    const panel = wb.page.locator('.markers-panel');
    await panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const row = wb.problemRows().filter({ hasText: UNKNOWN_KEY_MESSAGE }).first();
    await row.waitFor({ timeout: UI_TIMEOUT });
    const text = (await row.textContent()) ?? '';
    assert.ok(text.includes(UNKNOWN_KEY_MESSAGE), `Problems row: ${text}`);
    // It points at the key itself (line 5, column 1), not at the whole file.
    assert.match(text, /\[Ln 5, Col 1\]/);
    // "Z6: Validate Scenario" says the same.
    await wb.runCommand('Z6: Validate Scenario');
    await wb.notification('Z6: broken.z6.toml has 1 error. See the Problems panel.');
  });

  uiTest('completion in [runtime] offers its keys', async (wb) => {
    await wb.openFile('complete.z6.toml');
    await wb.goTo(5, 1);
    const rows = await wb.triggerSuggest();
    await rows.filter({ hasText: 'vus' }).first().waitFor({ timeout: UI_TIMEOUT });
    const labels = await wb.page.locator('.suggest-widget.visible .monaco-list-row .label-name').allTextContents();
    assert.ok(labels.includes('vus'), `suggestions: ${labels.join(', ')}`);
    assert.ok(labels.includes('prng_seed'), `suggestions: ${labels.join(', ')}`);
    // Keys of other sections do not belong here, and a key already set is not offered twice.
    assert.ok(!labels.includes('base_url'), `suggestions: ${labels.join(', ')}`);
    assert.ok(!labels.includes('duration_seconds'), `suggestions: ${labels.join(', ')}`);
    await wb.page.keyboard.press('Escape');
  });

  uiTest('completion offers duration_seconds on an empty [runtime]', async (wb) => {
    await wb.openFile('empty-runtime.z6.toml');
    await wb.goTo(5, 1);
    const rows = await wb.triggerSuggest();
    await rows.filter({ hasText: 'duration_seconds' }).first().waitFor({ timeout: UI_TIMEOUT });
    const labels = await wb.page.locator('.suggest-widget.visible .monaco-list-row .label-name').allTextContents();
    assert.ok(labels.includes('duration_seconds'), `suggestions: ${labels.join(', ')}`);
    await wb.page.keyboard.press('Escape');
  });

  uiTest('the quick fix repairs a misspelt key', async (wb, s) => {
    await wb.openFile('fixme.z6.toml');
    await wb.errorSquiggles().first().waitFor({ state: 'attached', timeout: 60_000 });
    await wb.goTo(5, 3);
    await wb.applyQuickFix("Change to 'duration_seconds'");
    // The edit lands asynchronously: wait until the editor shows it (and the tab is dirty) before saving.
    await wb.activeEditor().locator('.view-lines', { hasText: 'duration_seconds' }).waitFor({ timeout: UI_TIMEOUT });
    await wb.page.locator('.tabs-container .tab.active.dirty').waitFor({ timeout: UI_TIMEOUT });
    await wb.save();
    const text = readFileSync(`${s.dirs.workspace}/fixme.z6.toml`, 'utf8');
    assert.match(text, /^duration_seconds = 10$/m);
    assert.doesNotMatch(text, /duration_secnds/);
    // The server re-validates: the squiggle goes, and the scenario is valid now.
    await wb.errorSquiggles().first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await wb.page.locator('.statusbar-item', { hasText: 'Z6: valid' }).first().waitFor({ timeout: UI_TIMEOUT });
    await wb.runCommand('Z6: Validate Scenario');
    await wb.notification('Z6: fixme.z6.toml is a valid scenario.');
  });

  uiTest('a plain .toml that looks like a scenario is offered as one; Cargo.toml is not', async (wb) => {
    // Cargo.toml first: the extension considers files in the order they become active, so had Cargo.toml
    // been offered, its notification would be in the notification centre before checkout.toml's.
    await wb.openFile('Cargo.toml');
    await wb.openFile('checkout.toml');
    await wb.page.locator('.statusbar-item', { hasText: 'Plain Text' }).first().waitFor({ timeout: UI_TIMEOUT });
    // From the notification centre, not the toast: an info toast hides itself after 15 s.
    const OFFER = 'checkout.toml looks like a Z6 load-test scenario';
    await wb.notification(OFFER);
    const all = await wb.notificationTexts();
    assert.deepEqual(all.filter((t) => t.includes('Cargo.toml')), [], `notifications:\n${all.join('\n')}`);
    const offer = await wb.notification(OFFER);
    await offer.locator('.monaco-button', { hasText: 'Treat as Scenario' }).click();
    // The document switches language, and the language server checks it.
    await wb.page.locator('.statusbar-item', { hasText: 'Z6 Scenario' }).first().waitFor({ timeout: UI_TIMEOUT });
    await wb.errorSquiggles().first().waitFor({ state: 'attached', timeout: 60_000 });
    await wb.page.locator('.statusbar-item', { hasText: 'Z6: 1 error' }).first().waitFor({ timeout: UI_TIMEOUT });
  });
});
