/**
 * "Is this scenario valid?" at a glance: a status-bar item for the active z6 document, built from the
 * diagnostics the language server published (so it always agrees with the squiggles and the Problems
 * panel), plus the `z6.validate` command that reports the same thing on request.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LANGUAGE_ID } from './languageClient';

/** Our diagnostics only: the collection is named 'z6' and the server sets `source: 'z6'`. */
function isOurs(d: vscode.Diagnostic): boolean {
  return d.source === undefined || d.source === 'z6';
}

export interface ScenarioHealth {
  errors: number;
  warnings: number;
}

export function healthOf(uri: vscode.Uri): ScenarioHealth {
  let errors = 0;
  let warnings = 0;
  for (const d of vscode.languages.getDiagnostics(uri)) {
    if (!isOurs(d)) continue;
    if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
    else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++;
  }
  return { errors, warnings };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function describeHealth(h: ScenarioHealth): string {
  if (h.errors === 0 && h.warnings === 0) return 'valid';
  const parts = [];
  if (h.errors) parts.push(plural(h.errors, 'error'));
  if (h.warnings) parts.push(plural(h.warnings, 'warning'));
  return parts.join(', ');
}

export class ScenarioStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];

  /** @param serverProblem why the language server is not checking documents, when it is not. */
  constructor(private readonly serverProblem: () => string | undefined) {
    this.item = vscode.window.createStatusBarItem('z6.scenarioStatus', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Z6 Scenario Status';
    this.item.command = 'workbench.actions.view.problems';
    this.subscriptions.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) this.update();
      }),
      // setTextDocumentLanguage ("Treat This File as a Scenario") reopens the document with the new language.
      vscode.workspace.onDidOpenTextDocument(() => this.update()),
    );
    this.update();
  }

  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== LANGUAGE_ID) {
      this.item.hide();
      return;
    }
    const problem = this.serverProblem();
    if (problem) {
      // Without a server there are no diagnostics: "valid" would be a lie.
      this.item.text = '$(circle-slash) Z6: not checked';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.item.tooltip = `${problem} See Output › Z6 Language Server.`;
      this.item.show();
      return;
    }
    const h = healthOf(doc.uri);
    if (h.errors) {
      this.item.text = `$(error) Z6: ${describeHealth(h)}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else if (h.warnings) {
      this.item.text = `$(warning) Z6: ${describeHealth(h)}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      this.item.text = '$(check) Z6: valid';
      this.item.backgroundColor = undefined;
    }
    this.item.tooltip = `Scenario ${path.basename(doc.uri.path)}: ${describeHealth(h)}. Click to open the Problems panel.`;
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/**
 * Waits until the server has had its say on this document: the first diagnostics event for it, or a short
 * bound (a valid file may produce no event at all when it never had diagnostics).
 */
function settled(uri: vscode.Uri, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) done();
    });
    function done() {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    }
  });
}

/**
 * `z6.validate`: the result of checking the scenario (the active editor's, or the file given from the
 * explorer), as a message; with errors or warnings, the Problems panel is focused.
 */
export async function validateCommand(
  ensureServer: () => Promise<void>,
  serverProblem: () => string | undefined,
  resource?: vscode.Uri,
): Promise<void> {
  let doc = resource
    ? await vscode.workspace.openTextDocument(resource)
    : vscode.window.activeTextEditor?.document;
  if (!doc) {
    void vscode.window.showWarningMessage('Z6: open a scenario (*.z6.toml) to validate it.');
    return;
  }
  if (doc.languageId !== LANGUAGE_ID) {
    const treat = 'Treat as Scenario';
    const pick = await vscode.window.showWarningMessage(
      `${path.basename(doc.uri.path)} is not a Z6 scenario (language "${doc.languageId}").`,
      treat,
    );
    if (pick !== treat) return;
    await vscode.commands.executeCommand('z6.treatAsScenario', doc.uri);
    doc = await vscode.workspace.openTextDocument(doc.uri);
  }
  await ensureServer();
  const problem = serverProblem();
  if (problem) {
    void vscode.window.showErrorMessage(`Z6: cannot validate: ${problem} See Output › Z6 Language Server.`);
    return;
  }
  // Diagnostics are pushed by the server after each change; give a just-opened file time for its first push.
  if (vscode.languages.getDiagnostics(doc.uri).length === 0) await settled(doc.uri, 2000);
  const h = healthOf(doc.uri);
  const name = path.basename(doc.uri.path);
  if (h.errors === 0 && h.warnings === 0) {
    void vscode.window.showInformationMessage(`Z6: ${name} is a valid scenario.`);
    return;
  }
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  const show = h.errors ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  void show(`Z6: ${name} has ${describeHealth(h)}. See the Problems panel.`);
}
