/**
 * The last run's figures on the scenario itself (CodeLens): per request block and per assertion
 * (engine/report/request-figures.ts). Shown until the scenario is edited or runs again; a click
 * opens the results panel.
 */
import * as vscode from 'vscode';
import type { Results } from '../../engine/metrics/results-types';
import { requestFigures } from '../../engine/report/request-figures';
import { runState } from './run-state';

export class RunLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly byUri = new Map<string, Results>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.languages.registerCodeLensProvider({ language: 'z6' }, this),
      // VS Code asks every provider again when one fires: the server's Run/Cancel lens follows too.
      runState.onDidChange(() => this.changed.fire()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.byUri.delete(e.document.uri.toString())) this.changed.fire();
      }),
    ];
  }

  set(uri: vscode.Uri, results: Results | undefined): void {
    if (results) this.byUri.set(uri.toString(), results);
    else this.byUri.delete(uri.toString());
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const r = this.byUri.get(doc.uri.toString());
    if (!r) return [];
    return requestFigures(doc.getText(), r).map((f) => {
      const at = doc.positionAt(f.span.start);
      return new vscode.CodeLens(new vscode.Range(at, at), { title: f.text, command: 'z6.showResults', tooltip: 'Last run — click to show the results' });
    });
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}
