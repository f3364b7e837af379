import * as vscode from 'vscode';

/**
 * The file a command is about. Menus pass a vscode.Uri; the language server's CodeLens can only
 * pass JSON, so its commands arrive with the URI as a string.
 */
export function resourceArg(resource: unknown): vscode.Uri | undefined {
  if (resource instanceof vscode.Uri) return resource;
  if (typeof resource === 'string' && resource !== '') return vscode.Uri.parse(resource);
  return undefined;
}
