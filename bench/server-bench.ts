/**
 * Language-server timings on a generated 1,000-request scenario (bench/generate-scenario.ts):
 * server-side time for full diagnostics and for completion, the median of several runs after a
 * warm-up. A measurement, not a test: it prints figures; docs/performance-language-server.md
 * records them. Run: `npx tsx bench/server-bench.ts [--runs N] [--requests N]`.
 */
import { loadavg } from 'node:os';
import { PassThrough } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../server/analysis';
import { complete } from '../server/features/completion';
import { completeTemplate } from '../server/features/templates';
import { toLspDiagnostic } from '../server/features/diagnostics';
import { hover } from '../server/features/hover';
import { inlayHints } from '../server/features/inlay-hints';
import { documentSymbols, foldingRanges } from '../server/features/outline';
import { listenOnStreams } from '../server/main';
import { reuseForLine } from '../server/reuse';
import { generateScenario } from './generate-scenario';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('--runs', 25);
const WARMUP = 10;
const REQUESTS = arg('--requests', 1000);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

interface Timing {
  median: number;
  min: number;
  max: number;
  /** Median CPU time of this process (user + system): less sensitive to other tenants than wall time. */
  cpu?: number;
}

function time(fn: () => unknown): Timing {
  for (let i = 0; i < WARMUP; i++) fn();
  const xs: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), cpu: median(cpu) };
}

async function timeAsync(fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

const text = generateScenario(REQUESTS);
const td = TextDocument.create('file:///bench/generated.z6.toml', 'z6', 1, text);
// Cursor positions: an empty line in the middle [[requests]] (keys), after `method = ` (enum values).
const mid = text.indexOf(`name = "req_${REQUESTS >> 1}"`);
const emptyLine = text.indexOf('\n\n', mid) + 1;
const methodValue = text.indexOf('method = "', mid) + 'method = '.length;

const rows: [string, Timing, number?][] = [];
const row = (label: string, r: Timing, target?: number) => rows.push([label, r, target]);

const load0 = loadavg()[0]!;
let probe = new Analysis(text);
const diagnosticCount = probe.diagnostics.length;

row('full diagnostics (validateText + mapping)', time(() => new Analysis(text).diagnostics.map((d) => toLspDiagnostic(d, 'file:///bench.z6.toml', true))), 30);
row('  of which: tree only (parseToml + facts)', time(() => new Analysis(text).requests));
probe = new Analysis(text);
void probe.requests;
row('completion, keys (tree cached)', time(() => complete(probe, td, emptyLine)), 10);
row('completion, enum value (tree cached)', time(() => complete(probe, td, methodValue)), 10);
// Right after a keystroke: the user typed `t` on the empty line; the tree of the previous version is reused.
const typed = text.slice(0, emptyLine) + 't' + text.slice(emptyLine);
const tdTyped = TextDocument.create(td.uri, 'z6', 2, typed);
row('completion right after typing on a line (tree reused)', time(() => {
  const r = reuseForLine(probe, typed, emptyLine + 1);
  if (!r) throw new Error('expected the reuse path');
  return complete(r.analysis, tdTyped, emptyLine + 1, undefined, { text: typed, shift: r.shift });
}), 10);
row('completion after a multi-line edit (tree rebuilt)', time(() => complete(new Analysis(typed), tdTyped, emptyLine + 1)), 10);
// Typing a template: `{{ ` in the middle request's path. Inside `{{ }}` the server completes from the
// current tree (no reuse), so this is the full cost of a keystroke there.
const pathAt = text.indexOf('path = "/', mid) + 'path = "/'.length;
const templated = text.slice(0, pathAt) + '{{ ' + text.slice(pathAt);
const tdTemplated = TextDocument.create(td.uri, 'z6', 3, templated);
const noEnv = { process: new Set<string>() };
const inTemplate = new Analysis(templated);
row('completion inside {{ }} (tree cached)', time(() => completeTemplate(inTemplate, tdTemplated, pathAt + 3, noEnv)), 10);
row('completion inside {{ }} right after typing (tree rebuilt)', time(() => completeTemplate(new Analysis(templated), tdTemplated, pathAt + 3, noEnv)), 10);
row('hover (tree cached)', time(() => hover(probe, td, methodValue)));
row('document symbols (tree cached)', time(() => documentSymbols(probe, td)));
row('folding ranges (tree cached)', time(() => foldingRanges(probe, td)));
row('inlay hints, whole file (tree cached)', time(() => inlayHints(probe, td, { start: { line: 0, character: 0 }, end: td.positionAt(text.length) })));

async function main(): Promise<void> {
// End to end over the protocol, in-process: a completion request and its answer, with JSON-RPC framing.
const c2s = new PassThrough();
const s2c = new PassThrough();
const server = listenOnStreams(c2s, s2c);
const conn = createMessageConnection(new StreamMessageReader(s2c), new StreamMessageWriter(c2s));
conn.listen();
await conn.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
await conn.sendNotification('initialized', {});
await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: td.uri, languageId: 'z6', version: 1, text } });
const position = td.positionAt(emptyLine);
row('completion request over JSON-RPC (round trip)', await timeAsync(() => conn.sendRequest('textDocument/completion', { textDocument: { uri: td.uri }, position })), 10);
let version = 1;
// Typing on the empty line: insert a character, then delete it again, each followed by completion.
row('didChange (typing) + completion over JSON-RPC', await timeAsync(async () => {
  version++;
  const insert = version % 2 === 0;
  const end = insert ? position : { line: position.line, character: position.character + 1 };
  await conn.sendNotification('textDocument/didChange', { textDocument: { uri: td.uri, version }, contentChanges: [{ range: { start: position, end }, text: insert ? 't' : '' }] });
  return conn.sendRequest('textDocument/completion', { textDocument: { uri: td.uri }, position: insert ? { line: position.line, character: 1 } : position });
}), 10);
await conn.sendRequest('shutdown');
conn.dispose();
server.dispose();

const load1 = loadavg()[0]!;
console.log(`z6 language server — ${REQUESTS} requests, ${(text.length / 1024).toFixed(0)} KiB, ${diagnosticCount} diagnostics; median of ${RUNS} runs after ${WARMUP} warm-up runs`);
console.log(`node ${process.version}; 1-min load average ${load0.toFixed(2)} → ${load1.toFixed(2)} (figures grow with load on a shared machine)\n`);
const w = Math.max(...rows.map((r) => r[0].length));
console.log(`${'what'.padEnd(w)}  median ms   min ms   max ms   cpu ms   target (median wall time)`);
for (const [label, r, target] of rows) {
  const verdict = target === undefined ? '' : `≤ ${target} ms ${r.median <= target ? 'met' : 'MISSED'} (${(r.median / target).toFixed(2)}× of target)`;
  const cpu = r.cpu === undefined ? '—' : r.cpu.toFixed(2);
  console.log(`${label.padEnd(w)}  ${r.median.toFixed(2).padStart(9)}  ${r.min.toFixed(2).padStart(7)}  ${r.max.toFixed(2).padStart(7)}  ${cpu.padStart(7)}   ${verdict}`);
}
}

void main();
