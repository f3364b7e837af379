/**
 * Entry of the browser renderer, bundled by scripts/build.mjs to dist/renderer.js (an IIFE that
 * sets the global `Z6Renderer`) and dist/renderer.css. The HTML report calls `mountReport`;
 * the editor's results panel calls `mountPanel`, which talks to the extension by postMessage.
 */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import type { Comparison } from '../../compare/compare';
import type { Results } from '../../metrics/results-types';
import { View, type ViewMessage } from './view';

declare function acquireVsCodeApi(): { postMessage(msg: unknown): void; getState(): unknown; setState(s: unknown): void };

/** Messages the panel sends to the extension. */
export type PanelOutMessage = { type: 'ready' } | { type: 'cancel' } | { type: 'saveHtml' };
/** Messages the extension sends to the panel: engine messages, 'show', and whether a run is active. */
export type PanelInMessage = ViewMessage | { type: 'reset' };

/** Light/dark can change under us (OS setting, VS Code theme): charts paint with canvas colours, so redraw. */
function watchTheme(view: View): void {
  let pending = false;
  const changed = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      view.themeChanged();
    });
  };
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', changed);
  // VS Code switches body.vscode-light/-dark and rewrites the --vscode-* variables in <html style>.
  new MutationObserver(changed).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  new MutationObserver(changed).observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}

export function mountReport(root: HTMLElement, results: Results, comparison?: Comparison): View {
  const view = new View(root);
  view.showResults(results, comparison);
  watchTheme(view);
  return view;
}

export function mountPanel(root: HTMLElement): View {
  const vscode = acquireVsCodeApi();
  const post = (m: PanelOutMessage) => vscode.postMessage(m);
  const view = new View(root, { cancel: () => post({ type: 'cancel' }), saveHtml: () => post({ type: 'saveHtml' }) });
  root.textContent = 'Waiting for a run…';
  window.addEventListener('message', (ev: MessageEvent) => {
    const msg = ev.data as PanelInMessage | undefined;
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;
    if (msg.type === 'reset') root.textContent = 'Waiting for a run…';
    else view.handle(msg);
    // A small marker (the results live in the extension): with some state, VS Code brings the
    // panel back after a window reload through the extension's serializer.
    if (msg.type === 'finished' || msg.type === 'show') vscode.setState({ shown: true });
  });
  watchTheme(view);
  post({ type: 'ready' });
  return view;
}
