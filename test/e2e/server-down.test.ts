/**
 * When the language server cannot run, the editor must not claim a scenario is valid: the status bar says
 * "not checked" and "Validate Scenario" says why. The extension is loaded from a copy of this repository's
 * bundle whose dist/server.js exits at once, as a broken install would.
 */
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { missingPrerequisite, REPO_ROOT, RUNS_DIR } from '../../e2e/install';
import { startEditorSession, type EditorSession } from '../../e2e/session';

/** Has an unknown key: with a working server this file would show 1 error, never "valid". */
const SCENARIO = '[target]\nbase_url = "http://127.0.0.1:9"\n\n[runtime]\nduration_secnds = 10\n\n[[requests]]\npath = "/"\n';

describe('Z6 extension without its language server', { timeout: 300_000 }, () => {
  let session: EditorSession | undefined;
  let extension: string | undefined;
  let failed = false;

  before(async () => {
    const missing = missingPrerequisite();
    if (missing) throw new Error(missing);
    mkdirSync(RUNS_DIR, { recursive: true });
    extension = mkdtempSync(join(RUNS_DIR, 'broken-extension-'));
    mkdirSync(join(extension, 'dist'));
    copyFileSync(join(REPO_ROOT, 'package.json'), join(extension, 'package.json'));
    cpSync(join(REPO_ROOT, 'syntaxes'), join(extension, 'syntaxes'), { recursive: true });
    copyFileSync(join(REPO_ROOT, 'dist', 'extension.js'), join(extension, 'dist', 'extension.js'));
    writeFileSync(join(extension, 'dist', 'server.js'), "console.error('z6 test: this language server is broken on purpose');\nprocess.exit(1);\n");
    session = await startEditorSession('server-down', { 'load.z6.toml': SCENARIO }, { extensionPath: extension });
  }, { timeout: 180_000 });

  after(async () => {
    await session?.close(failed);
    if (extension && !failed) rmSync(extension, { recursive: true, force: true });
  });

  test('the status bar says "not checked" and Validate says why', { timeout: 120_000 }, async () => {
    assert.ok(session);
    const wb = session.workbench;
    try {
      await wb.openFile('load.z6.toml');
      await wb.page.locator('.statusbar-item', { hasText: 'Z6: not checked' }).first().waitFor({ timeout: 60_000 });
      await wb.runCommand('Z6: Validate Scenario');
      // The language client keeps restarting the broken server for several seconds (longer on a busy
      // machine) and adds a crash notice each time, above ours: the message is looked for in the whole
      // notification centre, not in the few toasts or rows on screen.
      await wb.notification('Z6: cannot validate: The Z6 language server');
      assert.equal(await wb.page.locator('.statusbar-item', { hasText: 'Z6: valid' }).count(), 0);
    } catch (e) {
      failed = true;
      (e as Error).message += `\nscreenshot: ${await session.screenshot('FAIL-server-down')}`;
      throw e;
    }
  });
});
