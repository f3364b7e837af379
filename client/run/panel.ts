/**
 * The results panel: a webview that loads the same renderer as the HTML report
 * (dist/renderer.js + dist/renderer.css) under a strict CSP (panel-html.ts) — scripts only by
 * nonce, resources only from the extension's dist folder, nothing remote. It gets the engine's messages
 * as they arrive and draws the run live; its buttons post 'cancel' and 'saveHtml' back.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { PanelInMessage, PanelOutMessage } from '../../engine/report/renderer/index';
import { panelHtml } from './panel-html';

/** The panel's view type: package.json's onWebviewPanel activation and the serializer use it too. */
export const PANEL_VIEW_TYPE = 'z6.results';

export interface PanelHandlers {
  onCancel?(): void;
  onSaveHtml(): void;
  /** The panel was closed by the user. */
  onDispose(): void;
}

export class ResultsPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  /** Messages sent before the webview's script said 'ready' are queued, not lost. */
  private queue: PanelInMessage[] = [];
  private ready = false;
  private disposed = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  /**
   * `restored`: a panel VS Code brings back after a window reload (serializer); else a new one, of
   * `viewType` (the history's panel has its own, so it never replaces a live run's).
   */
  constructor(
    extensionUri: vscode.Uri,
    private readonly handlers: PanelHandlers,
    restored?: vscode.WebviewPanel,
    viewType = PANEL_VIEW_TYPE,
  ) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    this.panel = restored ?? vscode.window.createWebviewPanel(viewType, 'Z6 Results', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [dist],
      // The charts and the live state live in the page; keep them when the tab is in the background.
      retainContextWhenHidden: true,
    });
    if (restored) restored.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    this.panel.webview.html = this.html(dist);
    this.subscriptions.push(
      this.panel.webview.onDidReceiveMessage((m: PanelOutMessage) => this.receive(m)),
      this.panel.onDidDispose(() => {
        this.disposed = true;
        this.subscriptions.forEach((d) => d.dispose());
        this.handlers.onDispose();
      }),
    );
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  setTitle(title: string): void {
    if (!this.disposed) this.panel.title = title;
  }

  reveal(): void {
    if (!this.disposed) this.panel.reveal(undefined, true);
  }

  post(m: PanelInMessage): void {
    if (this.disposed) return;
    if (!this.ready) {
      // A new run or a 'show' makes what was queued before it irrelevant.
      if (m.type === 'started' || m.type === 'show') this.queue = [];
      this.queue.push(m);
      return;
    }
    void this.panel.webview.postMessage(m);
  }

  dispose(): void {
    if (!this.disposed) this.panel.dispose();
  }

  private receive(m: PanelOutMessage): void {
    if (!m || typeof m !== 'object') return;
    if (m.type === 'ready') {
      this.ready = true;
      const q = this.queue;
      this.queue = [];
      for (const x of q) void this.panel.webview.postMessage(x);
    } else if (m.type === 'cancel') this.handlers.onCancel?.();
    else if (m.type === 'saveHtml') this.handlers.onSaveHtml();
  }

  private html(dist: vscode.Uri): string {
    const webview = this.panel.webview;
    return panelHtml({
      nonce: randomBytes(18).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'renderer.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'renderer.css')).toString(),
      cspSource: webview.cspSource,
    });
  }
}
