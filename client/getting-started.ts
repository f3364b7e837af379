/**
 * The first steps of a new user, with nothing but the extension installed:
 * - *Z6: Try the Demo* copies the demo scenario (shipped in the extension, `demo = true`: the
 *   engine starts its own demo target) to the extension's storage, opens it and runs it;
 * - *Z6: New Scenario* writes a scenario that works as it is (it runs against the embedded demo
 *   target) into the workspace, or an untitled editor without one, ready to be pointed elsewhere.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

export const NEW_SCENARIO = `# A new Z6 scenario. As it is, it runs against the embedded demo target (demo = true): press
# Run Scenario. To test your own service, set base_url and remove demo = true.
# Hover any key for what it does; type [ on an empty line for the other sections.

[metadata]
name = "My scenario"

[target]
base_url = "http://127.0.0.1:8080"
demo = true

[runtime]
duration_seconds = 10
vus = 5

[[requests]]
name = "home"
path = "/"

[[requests]]
name = "catalog"
path = "/json"

[requests.checks]
"is 200" = { status = 200 }

[think_time]
type = "random"
min_ms = 100
max_ms = 300

[assertions]
p99_latency_ms = 250
error_rate_max = 0.01
`;

export function registerGettingStarted(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('z6.tryDemo', () => tryDemo(context)),
    vscode.commands.registerCommand('z6.newScenario', () => newScenario()),
  );
}

async function tryDemo(context: vscode.ExtensionContext): Promise<void> {
  const shipped = context.asAbsolutePath(join('examples', 'demo.z6.toml'));
  if (!existsSync(shipped)) {
    void vscode.window.showErrorMessage('Z6: the demo scenario is missing from this installation (examples/demo.z6.toml).');
    return;
  }
  // A copy the user may edit and run again; the extension's own folder stays as installed.
  const dir = join(context.globalStorageUri.fsPath, 'demo');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'demo.z6.toml');
  copyFileSync(shipped, file);
  const uri = vscode.Uri.file(file);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  await vscode.commands.executeCommand('z6.run', uri);
}

async function newScenario(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') {
    const doc = await vscode.workspace.openTextDocument({ language: 'z6', content: NEW_SCENARIO });
    await vscode.window.showTextDocument(doc);
    return;
  }
  let file = join(folder.uri.fsPath, 'scenario.z6.toml');
  for (let n = 2; existsSync(file); n++) file = join(folder.uri.fsPath, `scenario-${n}.z6.toml`);
  const uri = vscode.Uri.file(file);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(NEW_SCENARIO, 'utf8'));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
}
