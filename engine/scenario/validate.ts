/**
 * validateText: the one entry point the language server, the CLI and the engine use.
 * smol-toml decides whether the text is valid TOML and gives the values; our position-aware tree
 * (toml/parser.ts) gives the ranges, and keeps going after errors for half-typed documents.
 */
import { parse, TomlError as SmolError } from 'smol-toml';
import { buildScenario } from './build';
import { checkRules } from './check-rules';
import { checkSchema } from './check-schema';
import { checkData } from './check-data';
import { checkTemplates, type KnownEnv } from './check-templates';
import { LineIndex, type Diagnostic } from './diagnostics';
import type { FileKind } from './file-kind';
import type { Scenario } from './model';
import { DiagnosticSink } from './sink';
import type { TomlDocument } from './toml/ast';
import { dateValues, impossibleDate } from './toml/calendar';
import { parseToml } from './toml/parser';

export interface ValidateOptions {
  /** Absolute path of the scenario file: body_file and ca_bundle are relative to it. */
  file?: string;
  /** What a referenced file is (file-kind.ts's `fileKind` on disk); without it those checks are skipped. */
  fileKind?: (absolutePath: string) => FileKind;
  /** A tree of exactly this text that the caller already parsed (the language server has one). */
  doc?: TomlDocument;
  /**
   * The environment a run will have: every env.NAME the templates use must be set and non-empty
   * in it (diagnostic env-unset). Without it (the editor today) env names are not checked.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The editor's view when there is no run environment: the env names its workspace `.env` and
   * its own environment set. An env.NAME in neither is a warning (env-unknown). Ignored with `env`.
   */
  knownEnv?: KnownEnv;
}

export interface ValidationResult {
  diagnostics: Diagnostic[];
  /** Present only when there are no errors (warnings are fine). */
  scenario?: Scenario;
  doc: TomlDocument;
  lines: LineIndex;
}

export function validateText(text: string, opts: ValidateOptions = {}): ValidationResult {
  const lines = new LineIndex(text);
  const doc = opts.doc?.text === text ? opts.doc : parseToml(text);
  const sink = new DiagnosticSink(lines, text);

  // TOML's whitespace is space, tab and line breaks only: a form feed or vertical tab is a syntax error, not emptiness.
  if (/^\ufeff?[ \t\r\n]*$/.test(text)) {
    sink.add({ start: 0, end: 0 }, 'error', 'empty-file', 'the scenario is empty: it needs at least [target] with base_url and one [[requests]]',
      [{ title: 'Insert a minimal scenario', edits: [{ span: { start: 0, end: text.length }, newText: MINIMAL }], preferred: true }]);
    return { diagnostics: sink.diagnostics, doc, lines };
  }

  let plain: Record<string, unknown> | undefined;
  let smolError: SmolError | undefined;
  try {
    // 'asNeeded': an integer beyond 2^53 (int64 max is valid TOML) is a BigInt, not a syntax
    // error; the key checks then report it as out of range for its key.
    plain = parse(text, { integersAsBigInt: 'asNeeded' }) as Record<string, unknown>;
  } catch (e) {
    if (!(e instanceof SmolError)) throw e;
    smolError = e;
  }
  reportSyntax(text, lines, doc, smolError, sink);
  const syntaxOk = plain !== undefined && doc.errors.length === 0 && sink.diagnostics.length === 0;
  checkSchema(doc, sink, { file: opts.file, fileKind: opts.fileKind, skipRequired: !syntaxOk });
  checkTemplates(doc, sink, opts.env, opts.knownEnv, checkData(doc, sink, { file: opts.file, fileKind: opts.fileKind }));
  if (syntaxOk) checkRules(doc, plain!, sink, sectionsWithErrors(doc, sink));

  sink.diagnostics.sort((a, b) => a.span.start - b.span.start);
  const result: ValidationResult = { diagnostics: sink.diagnostics, doc, lines };
  if (!sink.hasErrors && plain) result.scenario = buildScenario(text, plain, opts.file);
  return result;
}

/**
 * One diagnostic per syntax problem. smol-toml stops at the first problem; our parser reports
 * each problem it meets (and stays quiet about what follows from it), at the token with a message
 * naming the key. So smol-toml's report is shown only when our parser has nothing on that line
 * and nothing before it: an error of ours earlier in the text (an array opened on line 1 and
 * never closed, which smol-toml notices only at the end) is the same problem, better placed.
 */
function reportSyntax(text: string, lines: LineIndex, doc: TomlDocument, smolError: SmolError | undefined, sink: DiagnosticSink): void {
  for (const err of doc.errors) sink.add(err.span, 'error', 'toml-syntax', err.message, undefined, [err.related]);
  if (smolError) {
    const off = lines.offset({ line: smolError.line - 1, character: smolError.column - 1 });
    const line = lines.position(off).line;
    const explained = doc.errors.some((x) => x.span.start <= off || lines.position(x.span.start).line === line);
    if (!explained) sink.add({ start: off, end: tokenEnd(text, off) }, 'error', 'toml-syntax', firstLine(smolError.message));
  }
  // The calendar check neither parser makes (see toml/calendar.ts); a line already reported is left alone.
  const reported = new Set(sink.diagnostics.map((d) => d.range.start.line));
  for (const v of dateValues(doc)) {
    const problem = impossibleDate(v.value as string);
    if (problem && !reported.has(lines.position(v.span.start).line)) sink.add(v.span, 'error', 'toml-syntax', problem);
  }
}

/** Top-level sections that already have an error, so rules over them would only repeat it. */
function sectionsWithErrors(doc: TomlDocument, sink: DiagnosticSink): Set<string> {
  const out = new Set<string>();
  for (const d of sink.diagnostics) {
    if (d.severity !== 'error') continue;
    const header = doc.headers.findLast((h) => h.span.start <= d.span.start);
    if (header) out.add(String(header.path[0]));
  }
  return out;
}

const MINIMAL = `[target]
base_url = "http://127.0.0.1:8080"

[runtime]
duration_seconds = 10
vus = 5

[[requests]]
name = "home"
method = "GET"
path = "/"
`;

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
}

function tokenEnd(text: string, off: number): number {
  if (off >= text.length || text[off] === '\n' || text[off] === '\r') return off;
  let j = off;
  while (j < text.length && !/[\s,\]}=]/.test(text[j]!)) j++;
  return Math.max(j, Math.min(off + 1, text.length));
}
