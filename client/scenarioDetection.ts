/**
 * Plain `.toml` files that look like Z6 scenarios.
 *
 * `*.z6.toml` is a scenario by its name. Any other `.toml` becomes one only when the user says so: either
 * through `files.associations` (VS Code's own setting, which we never write) or through the command
 * "Z6: Treat This File as a Scenario", or by accepting the one-time offer made here when a `.toml` file
 * has both a `[[requests]]` table and a `[target]` table. The answer is remembered per file (and
 * "never in this workspace" for the workspace) in workspaceState, so nobody is asked twice.
 *
 * We never claim well-known TOML files (Cargo.toml, pyproject.toml, ...) even if their content matches.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LANGUAGE_ID } from './languageClient';
import { isOfferableTomlName, looksLikeScenario } from './scenarioSniff';

type FileAnswer = 'scenario' | 'not-scenario';
const fileKey = (uri: vscode.Uri) => `z6.scenarioAnswer:${uri.toString()}`;
const NEVER_IN_WORKSPACE = 'z6.neverOfferScenario';

/** True for a `.toml` document (not already z6) that another tool does not own. */
export function isCandidateToml(doc: vscode.TextDocument): boolean {
  if (doc.languageId === LANGUAGE_ID) return false;
  if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return false;
  return isOfferableTomlName(path.basename(doc.uri.path));
}

export class ScenarioDetector implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Files with an offer on screen right now, so a reopen does not stack a second one. */
  private readonly offering = new Set<string>();

  constructor(private readonly state: vscode.Memento) {
    // A file accepted before keeps its language whenever it is opened, even in the background...
    this.subscriptions.push(vscode.workspace.onDidOpenTextDocument((doc) => void this.consider(doc, false)));
    for (const doc of vscode.workspace.textDocuments) void this.consider(doc, false);
    // ...but the offer is made only for the file the user is looking at.
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => editor && void this.consider(editor.document, true)),
    );
    const active = vscode.window.activeTextEditor;
    if (active) void this.consider(active.document, true);
  }

  /** Switches a document to z6 and remembers that choice for its file. */
  async treatAsScenario(doc: vscode.TextDocument): Promise<vscode.TextDocument> {
    await this.state.update(fileKey(doc.uri), 'scenario' satisfies FileAnswer);
    if (doc.languageId === LANGUAGE_ID) return doc;
    return vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
  }

  private async consider(doc: vscode.TextDocument, mayOffer: boolean): Promise<void> {
    if (!isCandidateToml(doc)) return;
    const answer = this.state.get<FileAnswer>(fileKey(doc.uri));
    if (answer === 'scenario') {
      // Accepted before: reopening the file should not lose the language.
      await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
      return;
    }
    if (!mayOffer || answer === 'not-scenario' || this.state.get<boolean>(NEVER_IN_WORKSPACE)) return;
    if (!vscode.workspace.getConfiguration('z6').get<boolean>('offerScenarioForToml', true)) return;
    if (!looksLikeScenario(doc.getText())) return;
    const key = doc.uri.toString();
    if (this.offering.has(key)) return;
    this.offering.add(key);
    try {
      await this.offer(doc);
    } finally {
      this.offering.delete(key);
    }
  }

  private async offer(doc: vscode.TextDocument): Promise<void> {
    const yes = 'Treat as Scenario';
    const no = 'Not This File';
    const never = 'Never in This Workspace';
    const choice = await vscode.window.showInformationMessage(
      `${path.basename(doc.uri.path)} looks like a Z6 load-test scenario ([target] and [[requests]]). ` +
        'Check it as a scenario?',
      yes,
      no,
      never,
    );
    if (choice === yes) {
      // The user may have closed the file while the message was up; reopen by URI to be sure.
      const current = vscode.workspace.textDocuments.find((d) => d.uri.toString() === doc.uri.toString());
      await this.treatAsScenario(current ?? (await vscode.workspace.openTextDocument(doc.uri)));
    } else if (choice === no) {
      await this.state.update(fileKey(doc.uri), 'not-scenario' satisfies FileAnswer);
    } else if (choice === never) {
      await this.state.update(NEVER_IN_WORKSPACE, true);
    }
    // Dismissed without an answer: ask again next time the file is opened.
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
