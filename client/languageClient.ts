/**
 * Starts the Z6 language server (dist/server.js, the bundled server/main.ts) in its own Node process and
 * talks to it over Node IPC. The server does validation, completion, hover and quick fixes; the client
 * only decides which documents it sees.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runState } from './run/run-state';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

export const LANGUAGE_ID = 'z6';

/**
 * Which documents the server sees: z6 documents on disk (body_file paths resolve against them) and
 * unsaved ones (so a scenario pasted into a new editor is still checked).
 */
export const SCENARIO_SELECTOR = [
  { scheme: 'file', language: LANGUAGE_ID },
  { scheme: 'untitled', language: LANGUAGE_ID },
];

/**
 * A larger young generation: the tree of a big scenario (1,000 requests) otherwise outlives several
 * scavenges and is copied each time. Measured with bench/server-bench.ts: full diagnostics 18.7 → 12.5 ms,
 * completion after a multi-line edit 11.6 → 5.5 ms (docs/performance-language-server.md).
 */
export const SERVER_V8_FLAGS = ['--max-semi-space-size=64'];

export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  // dist/extension.js and dist/server.js sit side by side in the bundle and in the .vsix.
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: SERVER_V8_FLAGS } },
    // "Attach to Language Server" in .vscode/launch.json attaches to this port.
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: [...SERVER_V8_FLAGS, '--nolazy', '--inspect=6009'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SCENARIO_SELECTOR,
    // The client id 'z6' makes vscode-languageclient honour the `z6.trace.server` setting on its own.
    diagnosticCollectionName: 'z6',
    // z6.envFile: which .env the server reads env names from (names only, never values). The
    // `z6` section goes to the server on every change; changed .env files make it revalidate.
    initializationOptions: { envFile: vscode.workspace.getConfiguration('z6').get<string>('envFile') },
    synchronize: {
      configurationSection: 'z6',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{.env,.env.*,*.env}'),
    },
  };
  clientOptions.middleware = {
    // While a run goes, the server's "▶ Run scenario" lens is the way to stop it.
    provideCodeLenses: async (doc, token, next) => {
      const lenses = await next(doc, token);
      if (!runState.running || !lenses) return lenses;
      return lenses.map((l) => (l.command?.command === 'z6.run' ? new vscode.CodeLens(l.range, { title: '■ Cancel run', command: 'z6.cancelRun' }) : l));
    },
  };
  return new LanguageClient('z6', 'Z6 Language Server', serverOptions, clientOptions);
}
