/**
 * Entry point of the Z6 VS Code extension (bundled to dist/extension.js; `vscode` is provided by the host).
 *
 * What lives here is wiring only:
 * - the language server (validation, completion, hover, quick fixes) in its own process: languageClient.ts;
 * - the one-time offer to treat a scenario-looking plain `.toml` as z6: scenarioDetection.ts;
 * - the "valid / N errors" status-bar item and `z6.validate`: scenarioStatus.ts;
 * - running a scenario and the results panel: run/ (the load itself runs in a child process, never here);
 * - scenarios and their assertions in the Testing view: testing/;
 * - past runs, comparisons and baselines (the "Z6 Runs" view): history/.
 *
 * The extension activates after start-up (cheaply: only listeners) so it can notice scenario-looking
 * `.toml` files, which have no language of their own; the language server starts only when the first
 * z6 document appears.
 */
import * as vscode from 'vscode';
import { resourceArg } from './command-args';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient, LANGUAGE_ID } from './languageClient';
import { ScenarioDetector } from './scenarioDetection';
import { ScenarioStatusItem, validateCommand } from './scenarioStatus';
import { registerGettingStarted } from './getting-started';
import { registerRunCommands } from './run/index';
import { ScenarioTests } from './testing/scenario-tests';
import { registerHistory } from './history/index';

let client: LanguageClient | undefined;
let starting: Promise<void> | undefined;

/** The problem to report when the client exists but is not running (e.g. given up after crashes). */
function notRunning(): string | undefined {
  return client && client.state !== State.Running ? 'The Z6 language server is not running.' : undefined;
}

function waitAtMost(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

export function activate(context: vscode.ExtensionContext): void {
  let serverProblem: string | undefined;
  const status = new ScenarioStatusItem(() => serverProblem);
  const ensureServer = (): Promise<void> => {
    if (!starting) {
      client = createLanguageClient(context);
      context.subscriptions.push(
        client.onDidChangeState((e) => {
          // While it (re)starts, the last known problem stands: a crashing server is not "valid".
          if (e.newState === State.Running) serverProblem = undefined;
          else if (e.newState === State.Stopped) serverProblem = 'The Z6 language server is not running.';
          status.update();
        }),
      );
      starting = client.start().catch((err: unknown) => {
        // Keep the editor usable; say what failed and where to look.
        const msg = err instanceof Error ? err.message : String(err);
        serverProblem = `The Z6 language server did not start (${msg}).`;
        status.update();
        void vscode.window.showErrorMessage(`Z6: the language server did not start (${msg}). See Output › Z6 Language Server.`);
      });
    }
    return starting;
  };
  const startIfScenario = (doc: vscode.TextDocument) => {
    if (doc.languageId === LANGUAGE_ID) void ensureServer();
  };
  vscode.workspace.textDocuments.forEach(startIfScenario);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(startIfScenario));

  const detector = new ScenarioDetector(context.workspaceState);
  context.subscriptions.push(
    detector,
    status,
    vscode.commands.registerCommand('z6.validate', (resource?: unknown) =>
      // A server that keeps crashing can leave its start pending for good: never wait on it for long.
      validateCommand(() => waitAtMost(ensureServer(), 5000), () => serverProblem ?? notRunning(), resourceArg(resource)),
    ),
    vscode.commands.registerCommand('z6.treatAsScenario', async (resource?: vscode.Uri) => {
      const doc =
        resource instanceof vscode.Uri
          ? await vscode.workspace.openTextDocument(resource)
          : vscode.window.activeTextEditor?.document;
      if (!doc) {
        void vscode.window.showWarningMessage('Z6: open a TOML file first, then run "Treat This File as a Scenario".');
        return;
      }
      const switched = await detector.treatAsScenario(doc);
      if (resource) await vscode.window.showTextDocument(switched);
    }),
  );

  // z6.run, z6.cancelRun, z6.showResults, z6.saveHtmlReport: the run controller and the results webview.
  const runs = registerRunCommands(context);
  // The Testing view: scenarios and their assertions as tests, run through the same controller.
  context.subscriptions.push(new ScenarioTests(runs));
  // "Z6 Runs": past runs, compare, baselines.
  registerHistory(context, runs);
  registerGettingStarted(context);
}

export async function deactivate(): Promise<void> {
  // Stopping ends the server process; the run controller disposes its own child processes.
  if (client) await client.stop().catch(() => undefined);
}
