/**
 * An editor session for one test file: one code-server and one browser page, shared by its tests because
 * start-up (5-7 s) costs more than a test. The Z6 extension is loaded from this repository (like F5) or,
 * with Z6_E2E_VSIX=path/to/z6.vsix, installed from the package.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { launchChromium } from './browser';
import { installVsix, makeRunDirs, removeRunDirs, startCodeServer, type CodeServer, type RunDirs } from './codeServer';
import { REPO_ROOT, SHOTS_DIR } from './install';
import { Workbench } from './workbench';

export interface EditorSession {
  workbench: Workbench;
  dirs: RunDirs;
  /** Writes a file into the workspace (before it is opened). */
  writeFile(name: string, text: string): string;
  /** Saves a screenshot to .cache/e2e-shots/<name>.png and returns where. */
  screenshot(name: string): Promise<string>;
  /** Stops browser and server; keeps the run folder (logs) when something failed. */
  close(failed: boolean): Promise<void>;
}

export interface SessionOptions {
  /** Load the extension from this folder instead of the repository (e.g. a copy with a part broken). */
  extensionPath?: string;
}

export async function startEditorSession(
  tag: string,
  files: Record<string, string> = {},
  options: SessionOptions = {},
): Promise<EditorSession> {
  const dirs = makeRunDirs(tag);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dirs.workspace, name), text);
  const vsix = options.extensionPath ? undefined : process.env.Z6_E2E_VSIX;
  if (vsix) await installVsix(dirs, vsix);

  let server: CodeServer | undefined;
  let browser: BrowserContext | undefined;
  const close = async (failed: boolean) => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (!failed && !process.env.Z6_E2E_KEEP) removeRunDirs(dirs);
    else console.log(`e2e: run folder kept: ${dirs.base} (code-server log: ${dirs.log})`);
  };
  try {
    server = await startCodeServer(dirs);
    browser = await launchChromium(dirs.browserProfile);
    const page = browser.pages()[0] ?? (await browser.newPage());
    const workbench = new Workbench(page);
    await workbench.open(server.url, { folder: dirs.workspace, developmentExtension: vsix ? undefined : (options.extensionPath ?? REPO_ROOT) });
    return {
      workbench,
      dirs,
      writeFile(name, text) {
        const p = join(dirs.workspace, name);
        writeFileSync(p, text);
        return p;
      },
      async screenshot(name) {
        mkdirSync(SHOTS_DIR, { recursive: true });
        const p = join(SHOTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
        await workbench.screenshot(p);
        return p;
      },
      close,
    };
  } catch (e) {
    if (browser) {
      mkdirSync(SHOTS_DIR, { recursive: true });
      await browser.pages()[0]?.screenshot({ path: join(SHOTS_DIR, `${tag}-startup.png`) }).catch(() => undefined);
    }
    const log = server?.logTail() ?? '';
    await close(true);
    throw new Error(`${(e as Error).message}\n--- code-server log ---\n${log}`);
  }
}
