/**
 * The VS Code workbench (served by code-server) as a test sees it: open a file, run a command, read the
 * Problems panel, trigger completion and quick fixes. Every wait is bounded; nothing sleeps blindly.
 *
 * Selectors are VS Code's own DOM classes (checked against VS Code 1.100); when an upgrade breaks one,
 * the failure screenshot in .cache/e2e-shots/ shows what the page looked like.
 */
import type { Locator, Page } from 'playwright-core';

/** Long enough for a cold extension host + language server on 2 busy cores, short enough to fail. */
export const UI_TIMEOUT = 30_000;

export interface OpenOptions {
  folder: string;
  /** Load this folder as an extension under development (like F5), instead of an installed .vsix. */
  developmentExtension?: string;
}

/**
 * code-server's CLI refuses --extensionDevelopmentPath, but the web workbench reads developmentOptions
 * from the configuration code-server embeds in its page. We amend that configuration as the workbench
 * reads it, before any page script runs. (Rewriting the HTML through request interception instead makes
 * chromium's local-network-access checks block the workbench's WebSocket.)
 */
async function injectDevelopmentExtension(page: Page, extensionPath: string): Promise<void> {
  await page.addInitScript((devPath: string) => {
    const original = Element.prototype.getAttribute;
    Element.prototype.getAttribute = function (this: Element, name: string) {
      const value = original.call(this, name);
      if (name === 'data-settings' && this.id === 'vscode-workbench-web-configuration' && value) {
        const config = JSON.parse(value);
        // The workbench uses location.host (host:port) as the remote authority.
        const uri = { scheme: 'vscode-remote', authority: location.host, path: devPath };
        config.developmentOptions = { ...(config.developmentOptions ?? {}), extensions: [uri] };
        return JSON.stringify(config);
      }
      return value;
    };
  }, extensionPath);
}

export class Workbench {
  /** Page errors and extension-host errors, shown when a test fails. */
  readonly errors: string[] = [];

  constructor(readonly page: Page) {
    page.on('pageerror', (e) => this.errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // Z6_E2E_CONSOLE=1 prints the page's console (the extension host's console.log arrives here).
      if (process.env.Z6_E2E_CONSOLE) console.log('PAGE', m.type(), m.text().slice(0, 300));
      if (m.type() === 'error') this.errors.push(`console: ${m.text()}`);
    });
  }

  async open(baseUrl: string, options: OpenOptions): Promise<void> {
    if (options.developmentExtension) await injectDevelopmentExtension(this.page, options.developmentExtension);
    await this.page.goto(`${baseUrl}/?folder=${encodeURIComponent(options.folder)}`, { timeout: UI_TIMEOUT });
    // The status bar is rendered late in start-up: a good "workbench is ready" signal.
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 120_000 });
  }

  private quickInput(): Locator {
    return this.page.locator('.quick-input-widget input.input');
  }

  private async pickFromQuickInput(query: string, rowText: string, timeout = UI_TIMEOUT): Promise<void> {
    const input = this.quickInput();
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await input.fill(query);
    // Wait for the *focused* row: until the filter applies, Enter would pick whatever is first
    // (e.g. a recently used command).
    await this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: rowText }).first().waitFor({ timeout });
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  }

  /** Opens a workspace file through Quick Open and waits until its editor is the active tab. */
  async openFile(fileName: string): Promise<void> {
    // Quick Open's file index is built in the background after start-up; if the file is not listed yet,
    // close the picker and ask again (bounded: three tries).
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+P');
      try {
        await this.pickFromQuickInput(fileName, fileName, attempt < 3 ? 10_000 : UI_TIMEOUT);
        break;
      } catch (e) {
        if (attempt >= 3) throw e;
        await this.page.keyboard.press('Escape');
      }
    }
    await this.page.locator('.tabs-container .tab.active', { hasText: fileName }).waitFor({ timeout: UI_TIMEOUT });
    await this.activeEditor().locator('.view-lines').waitFor({ timeout: UI_TIMEOUT });
  }

  /** Runs a command by its title from the command palette. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.pickFromQuickInput(`>${title}`, title);
  }

  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Puts the cursor at a 1-based line and column (Go to Line). */
  async goTo(line: number, column: number): Promise<void> {
    await this.activeEditor().locator('.view-lines').click();
    await this.page.keyboard.press('Control+G');
    const input = this.quickInput();
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    await this.page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).first().waitFor({ timeout: UI_TIMEOUT });
  }

  errorSquiggles(): Locator {
    return this.activeEditor().locator('.squiggly-error');
  }

  /** The Problems panel, opened if it is not showing. */
  async problems(): Promise<Locator> {
    const panel = this.page.locator('.markers-panel');
    // Ctrl+Shift+M toggles, so press it only when the panel is not already showing.
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    return panel;
  }

  /** The rows of the Problems panel (each row's text includes the message and its position). */
  problemRows(): Locator {
    return this.page.locator('.markers-panel .monaco-list-row');
  }

  /** Opens the suggest widget at the cursor and returns its rows. */
  async triggerSuggest(): Promise<Locator> {
    await this.page.keyboard.press('Control+Space');
    const widget = this.page.locator('.editor-widget.suggest-widget.visible');
    await widget.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    return widget.locator('.monaco-list-row');
  }

  /** Opens the Quick Fix menu at the cursor and applies the fix with this title. */
  async applyQuickFix(title: string): Promise<void> {
    await this.page.keyboard.press('Control+.');
    const widget = this.page.locator('.action-widget');
    const row = widget.locator('.monaco-list-row.action', { hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    // Chosen with the keyboard, as a user would: while the menu is open a pointer-blocking overlay
    // covers the page, so a synthetic click lands on the overlay instead.
    const rows = await widget.locator('.monaco-list-row.action').count();
    for (let i = 0; i <= rows; i++) {
      const focused = (await widget.locator('.monaco-list-row.focused').getAttribute('aria-label').catch(() => null)) ?? '';
      if (focused.includes(title)) {
        await this.page.keyboard.press('Enter');
        await widget.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`Quick Fix "${title}" could not be selected in the menu`);
  }

  /** A notification toast that contains this text. */
  toast(text: string): Locator {
    return this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  }

  async closeAllEditors(): Promise<void> {
    await this.runCommand('View: Close All Editors');
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, timeout: 10_000 }).catch(() => undefined);
  }
}
