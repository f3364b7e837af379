/**
 * The VS Code workbench (served by code-server) as a test sees it: open a file, run a command, read the
 * Problems panel, trigger completion and quick fixes. Every wait is bounded; nothing sleeps blindly.
 *
 * Selectors are VS Code's own DOM classes (checked against VS Code 1.100); when an upgrade breaks one,
 * the failure screenshot in .cache/e2e-shots/ shows what the page looked like.
 */
import { basename, join } from 'node:path';
import type { Locator, Page } from 'playwright-core';

/** Long enough for a cold extension host + language server on 2 busy cores, short enough to fail. */
export const UI_TIMEOUT = 30_000;
/** Loading the workbench page until its status bar shows. */
const STARTUP_TIMEOUT = 120_000;

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

  /** The workspace folder the page has open (set by open()). */
  private folder = '';

  async open(baseUrl: string, options: OpenOptions): Promise<void> {
    this.folder = options.folder;
    if (options.developmentExtension) await injectDevelopmentExtension(this.page, options.developmentExtension);
    // One start-up budget for loading the page (several MB of script) and rendering the workbench:
    // on a busy machine the load alone can take longer than a UI step.
    const deadline = Date.now() + STARTUP_TIMEOUT;
    await this.page.goto(`${baseUrl}/?folder=${encodeURIComponent(options.folder)}`, { timeout: STARTUP_TIMEOUT });
    // The status bar is rendered late in start-up: a good "workbench is ready" signal.
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: Math.max(1, deadline - Date.now()) });
  }

  private quickInput(): Locator {
    return this.page.locator('.quick-input-widget input.input');
  }

  private async pickFromQuickInput(query: string, rowText: string): Promise<void> {
    const input = this.quickInput();
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await input.fill(query);
    // Wait for the *focused* row: until the filter applies, Enter would pick whatever is first
    // (e.g. a recently used command).
    await this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: rowText }).first().waitFor({ timeout: UI_TIMEOUT });
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  }

  /**
   * Opens a workspace file through Quick Open and waits until its editor is the active tab. Quick Open is
   * given the file's absolute path: VS Code then checks that one path on disk and offers it as the only
   * result, instead of searching the workspace's file index, which is built in the background after
   * start-up and may not list the file yet on a busy machine.
   */
  async openFile(fileName: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    await this.pickFromQuickInput(join(this.folder, fileName), fileName);
    // By the tab's resource name: a results panel titled "Z6: <file>" may be the active tab of another group.
    await this.page.locator(`.tabs-container .tab.active[data-resource-name="${basename(fileName)}"]`).waitFor({ timeout: UI_TIMEOUT });
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
    // Keyboard focus into the editor (the notification centre or a panel may have it), through the
    // element that takes its typing: a click could land on a code lens, a toast or the centre instead.
    await this.activeEditor().locator('textarea.inputarea, .native-edit-context').first().focus();
    await this.page.keyboard.press('Control+G');
    const input = this.quickInput();
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    // Exactly this position: "Ln 5, Col 1" is also the start of "Ln 5, Col 10".
    const position = new RegExp(`Ln ${line}, Col ${column}(?!\\d)`);
    await this.page.locator('.statusbar-item', { hasText: position }).first().waitFor({ timeout: UI_TIMEOUT });
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

  /**
   * Waits until the notification centre lists a notification containing `text`, and returns its row.
   * The centre is left open.
   *
   * Toasts are no evidence either way: VS Code shows at most three, hides a toast after 15-20 s and every
   * toast while the centre is open, and other components (a crashing language client, a finished run)
   * add theirs at any time. The centre keeps each notification until it is closed, newest first; but its
   * list is virtual (only the rows inside its 400 px exist in the page), so it is scrolled through.
   */
  async notification(text: string, timeout = UI_TIMEOUT): Promise<Locator> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const { labels, size, found } = await this.scanNotifications(text);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`no notification containing "${text}" within ${timeout} ms; the notification centre lists:\n${labels.join('\n') || '(nothing)'}`);
      }
      // Not there yet: look again when the number of notifications has changed.
      await this.page
        .waitForFunction(
          (n) => (document.querySelector('.notifications-center .monaco-list-row')?.getAttribute('aria-setsize') ?? '0') !== String(n),
          size,
          { timeout: Math.max(1, deadline - Date.now()), polling: 100 },
        )
        .catch(() => undefined);
    }
  }

  /** The text of every notification in the notification centre, newest first. */
  async notificationTexts(): Promise<string[]> {
    return (await this.scanNotifications()).labels;
  }

  /**
   * Opens the notification centre (with the status bar's bell: a click, unlike the command palette, cannot
   * be closed by a command that moves the focus meanwhile) and scrolls its list from the top to the
   * bottom, reading each row's accessible label, until one contains `text` (then `found` is that row).
   * A step scrolls less than the list's height, so no row is passed unseen; a notification that arrives
   * meanwhile goes in at the top and only pushes the rows not yet read further down.
   */
  private async scanNotifications(text?: string): Promise<{ labels: string[]; size: number; found?: Locator }> {
    const centre = this.page.locator('.notifications-center');
    if (!(await centre.isVisible())) await this.page.locator('[id="status.notifications"]').click();
    await centre.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const list = centre.locator('.notifications-list-container .monaco-list');
    const rendered = () =>
      list.evaluate((l) => ({
        // How far the list is scrolled: the rows' container is moved up by that much.
        offset: -parseFloat((l.querySelector('.monaco-list-rows') as HTMLElement | null)?.style.top || '0'),
        rows: Array.from(l.querySelectorAll('.monaco-list-row')).map((r) => ({
          label: r.getAttribute('aria-label') ?? '',
          position: Number(r.getAttribute('aria-posinset')),
          size: Number(r.getAttribute('aria-setsize')),
        })),
      }));
    let view = await rendered();
    if (view.rows.length === 0) return { labels: [], size: 0 };
    const box = await list.boundingBox();
    if (!box) throw new Error('the notification centre has no list on screen');
    // The wheel scrolls what is under the pointer: the list's left margin, clear of buttons and their hovers.
    await this.page.mouse.move(box.x + 4, box.y + box.height / 2);
    const scrolled = async (delta: number) => {
      const before = view.offset;
      await this.page.mouse.wheel(0, delta);
      await list.locator('.monaco-list-rows').and(this.page.locator(`:not([style*="top: ${-before}px"])`)).waitFor({ timeout: UI_TIMEOUT });
      view = await rendered();
    };
    while (view.offset > 0) await scrolled(-box.height / 2);
    const labels: string[] = [];
    const read = new Set<string>();
    for (;;) {
      for (const row of view.rows) {
        if (!read.has(row.label)) labels.push(row.label);
        read.add(row.label);
        if (text !== undefined && row.label.includes(text)) return { labels, size: row.size, found: list.locator('.monaco-list-row', { hasText: text }).first() };
      }
      const last = view.rows.find((r) => r.position === r.size);
      if (last) return { labels, size: last.size };
      await scrolled(box.height / 4);
    }
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /** Picks a colour theme by its name (Ctrl+K Ctrl+T); the keyboard focus must be in the workbench. */
  async selectColorTheme(name: string): Promise<void> {
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+T');
    await this.pickFromQuickInput(name, name);
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
