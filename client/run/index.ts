/**
 * Running scenarios from the editor: `z6.run` (a uri, or the active editor), `z6.cancelRun`,
 * `z6.showResults`. The load runs in a child process (engine-process.ts); see controller.ts.
 */
import * as vscode from 'vscode';
import { resourceArg } from '../command-args';
import { RunController } from './controller';
import { PANEL_VIEW_TYPE } from './panel';
import { parseOverrides } from './overrides-input';

/** "vus=10 duration=30 seed=42" → z6 run options; undefined when cancelled. */
async function askOverrides(): Promise<string[] | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Z6: Run with Overrides',
    prompt: 'Any of vus=N, duration=SECONDS, seed=N (for this run only; the file is not changed)',
    placeHolder: 'vus=10 duration=30 seed=42',
    validateInput: (v) => parseOverrides(v).error,
  });
  if (text === undefined) return undefined;
  return parseOverrides(text).args;
}

export function registerRunCommands(context: vscode.ExtensionContext): RunController {
  const controller = new RunController(context);
  context.subscriptions.push(
    controller,
    // The commands resolve when the run has ended, with nothing: a command's result travels to its caller.
    vscode.commands.registerCommand('z6.run', async (resource?: unknown) => void (await controller.run(resourceArg(resource)))),
    vscode.commands.registerCommand('z6.smokeRun', async (resource?: unknown) => void (await controller.run(resourceArg(resource), ['--smoke']))),
    vscode.commands.registerCommand('z6.runWithOverrides', async (resource?: unknown) => {
      const args = await askOverrides();
      if (args) await controller.run(resourceArg(resource), args);
    }),
    vscode.commands.registerCommand('z6.cancelRun', () => controller.cancel()),
    vscode.commands.registerCommand('z6.showResults', () => controller.showResults()),
    vscode.commands.registerCommand('z6.saveHtmlReport', () => controller.saveHtml()),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => controller.restorePanel(panel),
    }),
  );
  return controller;
}
