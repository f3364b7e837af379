/**
 * Entry point of the Z6 language server (bundled to dist/server.js).
 * - `main()`: for `z6-language-server --stdio` and the VS Code client (`--node-ipc`).
 * - `listenOnStreams(input, output)`: in-process, for tests and benchmarks.
 */
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { startServer, type ServerHandle } from './server';

const TRANSPORTS = /^--(stdio|node-ipc|socket(=.*)?|pipe(=.*)?)$/;

export function main(argv: string[] = process.argv): void {
  if (!argv.slice(2).some((a) => TRANSPORTS.test(a))) {
    process.stderr.write('usage: z6-language-server --stdio   (or --node-ipc, --socket=PORT, --pipe=NAME)\n');
    process.exitCode = 2;
    return;
  }
  // createConnection reads the transport from process.argv.
  const connection = createConnection(ProposedFeatures.all);
  startServer(connection);
  connection.listen();
}

/**
 * A server on two streams in this process. Readers/writers rather than raw streams, because for raw
 * streams the library exits the process when they end; and never send `exit` in-process.
 */
export function listenOnStreams(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): ServerHandle {
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(input), new StreamMessageWriter(output));
  const server = startServer(connection);
  connection.listen();
  return {
    dispose() {
      server.dispose();
      connection.dispose();
    },
  };
}

if (typeof require !== "undefined" && require.main === module) main();
