/** "▶ Run scenario", "Smoke run" and "✓ Validate" at the top of a scenario; the client implements the commands. */
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

export function codeLenses(td: TextDocument): CodeLens[] {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return [
    { range, command: { title: '▶ Run scenario', command: 'z6.run', arguments: [td.uri] } },
    { range, command: { title: 'Smoke run', command: 'z6.smokeRun', arguments: [td.uri] } },
    { range, command: { title: '✓ Validate', command: 'z6.validate', arguments: [td.uri] } },
  ];
}
