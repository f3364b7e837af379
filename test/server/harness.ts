/**
 * Drives the real server in-process over two PassThrough streams with vscode-jsonrpc, as an editor
 * would: initialize, open/change documents, send requests, collect notifications.
 */
import { PassThrough } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { listenOnStreams } from '../../server/main';

export interface Harness {
  conn: MessageConnection;
  /** window/logMessage and window/showMessage notifications the server sent. */
  logs: { type: number; message: string }[];
  /** Every publishDiagnostics notification, in order (one handler per method: do not add another). */
  published: PublishDiagnosticsParams[];
  open(uri: string, text: string, languageId?: string): Promise<PublishDiagnosticsParams>;
  /** Replaces the whole text (as one incremental change covering the document). */
  change(uri: string, text: string): Promise<PublishDiagnosticsParams>;
  /** Sends incremental edits without waiting for diagnostics. */
  edit(uri: string, changes: { range: { start: Pos; end: Pos }; text: string }[]): number;
  /** The next diagnostics for `uri` with at least `version`. */
  diagnostics(uri: string, version: number): Promise<PublishDiagnosticsParams>;
  /** The first diagnostics for `uri` published after this call (a revalidation of the same version too). */
  nextDiagnostics(uri: string): Promise<PublishDiagnosticsParams>;
  request<R>(method: string, params: unknown): Promise<R>;
  close(): Promise<void>;
}

export interface Pos {
  line: number;
  character: number;
}

/** `capabilities`: the client capabilities sent with initialize (none, by default). */
export async function startHarness(capabilities: object = {}): Promise<Harness> {
  const c2s = new PassThrough();
  const s2c = new PassThrough();
  const server = listenOnStreams(c2s, s2c);
  const conn = createMessageConnection(new StreamMessageReader(s2c), new StreamMessageWriter(c2s));
  const logs: { type: number; message: string }[] = [];
  const published: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; version: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const nextWaiters: { uri: string; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const texts = new Map<string, { version: number; text: string }>();

  conn.onNotification('window/logMessage', (p: unknown) => void logs.push(p as { type: number; message: string }));
  conn.onNotification('window/showMessage', (p: unknown) => void logs.push(p as { type: number; message: string }));
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (let i = nextWaiters.length - 1; i >= 0; i--) {
      if (nextWaiters[i]!.uri === p.uri) nextWaiters.splice(i, 1)[0]!.resolve(p);
    }
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (w.uri === p.uri && (p.version ?? 0) >= w.version) {
        waiters.splice(i, 1);
        w.resolve(p);
      }
    }
  });
  conn.listen();
  await conn.sendRequest('initialize', { processId: null, rootUri: null, capabilities });
  await conn.sendNotification('initialized', {});

  const diagnostics = (uri: string, version: number) => {
    const done = published.find((p) => p.uri === uri && (p.version ?? 0) >= version);
    if (done) return Promise.resolve(done);
    return new Promise<PublishDiagnosticsParams>((resolve) => waiters.push({ uri, version, resolve }));
  };

  return {
    conn, logs, published, diagnostics,
    nextDiagnostics: (uri) => new Promise((resolve) => nextWaiters.push({ uri, resolve })),
    async open(uri, text, languageId = 'z6') {
      texts.set(uri, { version: 1, text });
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
      return diagnostics(uri, 1);
    },
    async change(uri, text) {
      const cur = texts.get(uri)!;
      const version = cur.version + 1;
      const lines = cur.text.split('\n');
      const end = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
      texts.set(uri, { version, text });
      await conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end }, text }],
      });
      return diagnostics(uri, version);
    },
    edit(uri, changes) {
      const cur = texts.get(uri)!;
      const version = cur.version + 1;
      texts.set(uri, { version, text: cur.text }); // text tracking is only needed by change()
      void conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
      return version;
    },
    request: <R>(method: string, params: unknown) => conn.sendRequest(method, params) as Promise<R>,
    async close() {
      await conn.sendRequest('shutdown');
      conn.dispose();
      server.dispose();
    },
  };
}
