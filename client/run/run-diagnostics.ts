/**
 * Failed assertions of the last run as diagnostics on their lines (source "z6 run"), so they show
 * in Problems and in the editor next to the key that failed. Cleared when the scenario is edited
 * (the figures describe the text that ran) and when it runs again.
 */
import * as vscode from 'vscode';
import type { Results } from '../../engine/metrics/results-types';
import { assertionMessage, assertionPlaces } from '../../engine/report/assertion-places';

export class RunDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('z6 run');
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0 && this.collection.has(e.document.uri)) this.collection.delete(e.document.uri);
    });
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  async show(uri: vscode.Uri, results: Results): Promise<void> {
    const failed = results.assertions.filter((a) => !a.pass);
    if (failed.length === 0) {
      this.collection.delete(uri);
      return;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    const diagnostics = assertionPlaces(doc.getText(), failed).map((p) => {
      const d = new vscode.Diagnostic(new vscode.Range(doc.positionAt(p.span.start), doc.positionAt(p.span.end)), assertionMessage(p.assertion), vscode.DiagnosticSeverity.Error);
      d.source = 'z6 run';
      d.code = p.assertion.key;
      return d;
    });
    this.collection.set(uri, diagnostics);
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
