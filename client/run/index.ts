/**
 * Running scenarios from the editor: `z6.run` (a uri, or the active editor), `z6.cancelRun`,
 * `z6.showResults`. The load runs in a child process (engine-process.ts); see controller.ts.
 */
import * as vscode from 'vscode';
import { resourceArg } from '../command-args';
import { RunController } from './controller';
import { PANEL_VIEW_TYPE } from './panel';

export function registerRunCommands(context: vscode.ExtensionContext): void {
  const controller = new RunController(context);
  context.subscriptions.push(
    controller,
    vscode.commands.registerCommand('z6.run', (resource?: unknown) => controller.run(resourceArg(resource))),
    vscode.commands.registerCommand('z6.cancelRun', () => controller.cancel()),
    vscode.commands.registerCommand('z6.showResults', () => controller.showResults()),
    vscode.commands.registerCommand('z6.saveHtmlReport', () => controller.saveHtml()),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => controller.restorePanel(panel),
    }),
  );
}
