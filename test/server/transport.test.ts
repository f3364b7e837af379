/**
 * The server as editors start it: a child process speaking LSP over stdio (`z6-language-server
 * --stdio`, Neovim, Helix, Zed, Emacs) and over node IPC (the VS Code client). It must answer,
 * publish diagnostics, and exit with 0 after shutdown + exit.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  createMessageConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';

const MAIN = join(__dirname, '../../server/main.ts');

async function session(conn: MessageConnection, exited: Promise<number | null>): Promise<void> {
  const diags = new Promise<PublishDiagnosticsParams>((resolve) => conn.onNotification('textDocument/publishDiagnostics', resolve));
  conn.listen();
  const init = await conn.sendRequest<{ capabilities: Record<string, unknown>; serverInfo: { name: string } }>('initialize', { processId: null, rootUri: null, capabilities: {} });
  assert.equal(init.serverInfo.name, 'z6-language-server');
  assert.deepEqual(init.capabilities.textDocumentSync, { openClose: true, change: 2 });
  await conn.sendNotification('initialized', {});
  const uri = 'file:///tmp/transport.z6.toml';
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'z6', version: 1, text: '[target]\nbase_url = "ftp://x"\n' } });
  const d = await diags;
  assert.ok(d.diagnostics.some((x) => x.range.start.line === 1), 'the bad base_url is reported on its line');
  const items = await conn.sendRequest<{ label: string }[]>('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 0 } });
  assert.ok(items.some((i) => i.label === 'http_version'));
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  assert.equal(await exited, 0);
  conn.dispose();
}

test('stdio: z6-language-server --stdio', { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b));
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  await session(createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin)), exited);
  assert.equal(stderr, '');
});

test('node IPC: the transport the VS Code client uses', { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  await session(createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child)), exited);
});

test('without a transport argument it prints usage and exits 2', { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  assert.equal(code, 2);
  assert.match(stderr, /usage: z6-language-server --stdio/);
});
