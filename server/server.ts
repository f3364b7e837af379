/**
 * Wires the features to a connection. Every handler goes through `guard`, so an internal error is
 * logged once and answered with an empty result instead of taking the server down.
 */
import { fileURLToPath } from 'node:url';
import type { KnownEnv } from '../engine/scenario/check-templates';
import {
  CodeActionKind, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../engine/scenario/diagnostics';
import { fileKind } from '../engine/scenario/file-kind';
import { LIMITS } from '../engine/scenario/schema';
import { analyze, Analysis } from './analysis';
import { codeActions } from './features/code-actions';
import { codeLenses } from './features/code-lens';
import { complete, TRIGGER_CHARACTERS } from './features/completion';
import { DebouncedValidator, toLspDiagnostic } from './features/diagnostics';
import { documentLinks } from './features/document-links';
import { hover } from './features/hover';
import { inlayHints } from './features/inlay-hints';
import { foldingRanges, OutlineKeeper } from './features/outline';
import { definition, prepareRename, references, rename } from './features/request-names';
import { reuseForLine } from './reuse';
import { selectionRanges } from './features/selection-ranges';
import { completeTemplate, definitionTemplate, hoverTemplate, type EnvView } from './features/templates';
import { EnvFiles, processEnvNames } from './env-files';
import { maybeInTemplate } from './template-cursor';

/** Pause after the last keystroke before validating. */
export const VALIDATION_DELAY_MS = 150;

export interface ServerHandle {
  dispose(): void;
}

export function startServer(connection: Connection): ServerHandle {
  const documents = new TextDocuments(TextDocument);
  const cache = new Map<string, { version: number; analysis: Analysis }>();
  const outline = new OutlineKeeper();
  const logged = new Set<string>();
  /** Whether the editor shows LSP relatedInformation (VS Code does); otherwise it goes into the message. */
  let relatedSupport = false;
  /** The workspace .env files (names only) and the names of the server's own environment. */
  const envFiles = new EnvFiles();
  const processNames = processEnvNames();

  /** The environment a document's templates see from the editor: its .env (if any) and the editor's. */
  function envView(td: TextDocument): EnvView {
    const file = filePath(td.uri);
    return { file: file ? envFiles.forScenario(file) : undefined, process: processNames };
  }

  /** With a workspace .env, the names it and the editor's environment set (else env names are not checked). */
  function knownEnv(td: TextDocument): KnownEnv | undefined {
    const f = envView(td).file;
    if (!f) return undefined;
    return { file: f.file, names: new Set([...f.names.keys(), ...processNames]) };
  }

  function analysisOf(td: TextDocument): Analysis {
    const hit = cache.get(td.uri);
    if (hit && hit.version === td.version) return hit.analysis;
    const analysis = analyzeDocument(td, knownEnv);
    cache.set(td.uri, { version: td.version, analysis });
    return analysis;
  }

  /** Runs `fn`; an internal error is logged once (per handler and message) and becomes `fallback`. */
  function safely<R>(name: string, fallback: R, fn: () => R): R {
    try {
      return fn();
    } catch (e) {
      const msg = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
      const key = `${name}:${e instanceof Error ? e.message : String(e)}`;
      if (!logged.has(key)) {
        logged.add(key);
        connection.console.error(`z6 language server: ${name} failed (further identical errors are not logged): ${msg}`);
      }
      return fallback;
    }
  }

  /** Runs `fn` for an open document with its current analysis, through `safely`. */
  function guard<R>(name: string, uri: string, fallback: R, fn: (td: TextDocument, a: Analysis) => R): R {
    const td = documents.get(uri);
    if (!td) return fallback;
    return safely(name, fallback, () => fn(td, analysisOf(td)));
  }

  const validator = new DebouncedValidator(VALIDATION_DELAY_MS, (uri, version) => {
    guard('diagnostics', uri, undefined, (td, a) => {
      if (td.version !== version) return; // superseded while waiting
      void connection.sendDiagnostics({ uri, version, diagnostics: a.diagnostics.map((d) => toLspDiagnostic(d, uri, relatedSupport)) });
    });
  });
  const validatedOnce = new Set<string>();

  /** A setting or a .env file changed: every open document is analysed and validated again. */
  function revalidateAll(): void {
    cache.clear();
    for (const td of documents.all()) validator.schedule(td.uri, td.version, 0);
  }

  connection.onInitialize((params): InitializeResult => {
    relatedSupport = params.capabilities.textDocument?.publishDiagnostics?.relatedInformation === true;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    envFiles.folders = folders.map(filePath).filter((f): f is string => f !== undefined);
    envFiles.setting = envFileSetting(params.initializationOptions);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: TRIGGER_CHARACTERS, resolveProvider: false },
        hoverProvider: true,
        documentSymbolProvider: { label: 'Z6 scenario' },
        foldingRangeProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        inlayHintProvider: { resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        codeLensProvider: { resolveProvider: false },
        documentLinkProvider: { resolveProvider: false },
        selectionRangeProvider: true,
      },
      serverInfo: { name: 'z6-language-server', version: '0.1.0' },
    };
  });

  // The z6.envFile setting (the VS Code client sends the `z6` section), and .env files that changed.
  connection.onDidChangeConfiguration((p) => {
    const next = envFileSetting((p.settings as { z6?: unknown } | undefined)?.z6);
    if (next === envFiles.setting) return;
    envFiles.setting = next;
    revalidateAll();
  });
  connection.onDidChangeWatchedFiles(() => revalidateAll());

  documents.onDidChangeContent((e) => {
    const uri = e.document.uri;
    // The first version validates at once (opening a file); edits wait for a pause in typing.
    validator.schedule(uri, e.document.version, validatedOnce.has(uri) ? VALIDATION_DELAY_MS : 0);
    validatedOnce.add(uri);
  });
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    validator.cancel(uri);
    validatedOnce.delete(uri);
    cache.delete(uri);
    outline.forget(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  // Offsets into the analysed text (which is empty for a file over the size limit).
  const at = (td: TextDocument, p: { line: number; character: number }) => Math.min(td.offsetAt(p), analysisOf(td).text.length);

  connection.onCompletion((p) => {
    const td = documents.get(p.textDocument.uri);
    // Inside `{{ }}` the names in scope, from the current tree (the cheap text test keeps the
    // reuse below for every other keystroke).
    if (td && maybeInTemplate(td.getText(), td.offsetAt(p.position))) {
      const names = guard('completion', p.textDocument.uri, undefined, (doc, a) => completeTemplate(a, doc, at(doc, p.position), envView(doc)));
      if (names) return names;
    }
    const hit = cache.get(p.textDocument.uri);
    // Right after a keystroke on one line, complete from the previous tree instead of re-parsing.
    if (td && hit && hit.version !== td.version && hit.analysis.hasTree) {
      const text = td.getText();
      const offset = td.offsetAt(p.position);
      const reused = safely('completion', undefined, () => reuseForLine(hit.analysis, text, offset));
      if (reused) {
        return safely('completion', [], () => complete(reused.analysis, td, offset, p.context?.triggerCharacter, { text, shift: reused.shift }));
      }
    }
    return guard('completion', p.textDocument.uri, [], (doc, a) => complete(a, doc, at(doc, p.position), p.context?.triggerCharacter));
  });
  connection.onHover((p) => guard('hover', p.textDocument.uri, null, (td, a) => hoverTemplate(a, td, at(td, p.position), envView(td)) || hover(a, td, at(td, p.position))));
  connection.onDocumentSymbol((p) => guard('documentSymbol', p.textDocument.uri, [], (td, a) => outline.symbols(td.uri, a, td)));
  connection.onFoldingRanges((p) => guard('foldingRange', p.textDocument.uri, [], (td, a) => foldingRanges(a, td)));
  connection.onCodeAction((p) => guard('codeAction', p.textDocument.uri, [], (td, a) => codeActions(a, td, p.range, p.context.diagnostics, p.context.only)));
  connection.languages.inlayHint.on((p) => guard('inlayHint', p.textDocument.uri, [], (td, a) => inlayHints(a, td, p.range)));
  connection.onDefinition((p) => guard('definition', p.textDocument.uri, [], (td, a) => definitionTemplate(a, td, at(td, p.position), envView(td)) ?? definition(a, td, at(td, p.position))));
  connection.onReferences((p) => guard('references', p.textDocument.uri, [], (td, a) => references(a, td, at(td, p.position), p.context.includeDeclaration)));
  connection.onPrepareRename((p) => guard('prepareRename', p.textDocument.uri, null, (td, a) => prepareRename(a, td, at(td, p.position))));
  connection.onRenameRequest((p) => guard('rename', p.textDocument.uri, null, (td, a) => rename(a, td, at(td, p.position), p.newName)));
  connection.onCodeLens((p) => guard('codeLens', p.textDocument.uri, [], (td) => codeLenses(td)));
  connection.onSelectionRanges((p) => guard('selectionRange', p.textDocument.uri, [], (td, a) => selectionRanges(a, td, p.positions.map((q) => at(td, q)))));
  connection.onDocumentLinks((p) => guard('documentLink', p.textDocument.uri, [], (td, a) => documentLinks(a, td)));

  documents.listen(connection);
  return {
    dispose() {
      validator.dispose();
      cache.clear();
    },
  };
}

/** The absolute path of a file: uri, else undefined. */
function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** z6.envFile from initializationOptions or the `z6` settings section; undefined means the default. */
function envFileSetting(section: unknown): string | undefined {
  const v = (section as { envFile?: unknown } | null | undefined)?.envFile;
  return typeof v === 'string' ? v : undefined;
}

/** Validates a document, with the file checks that need its path on disk. */
function analyzeDocument(td: TextDocument, knownEnv: (td: TextDocument) => KnownEnv | undefined): Analysis {
  const text = td.getText();
  if (text.length > LIMITS.fileBytes / 2 && Buffer.byteLength(text) > LIMITS.fileBytes) {
    // Over the limit the engine refuses the file; say so instead of spending seconds on it.
    // The analysed text is empty, so every feature answers with nothing; offsets are clamped to it.
    const lines = new LineIndex(text);
    const end = Math.min(lines.lineEnd(0), 200);
    return new Analysis('', {}, [{
      range: lines.range({ start: 0, end }), span: { start: 0, end }, severity: 'error', code: 'limit-exceeded',
      message: `the file is ${(Buffer.byteLength(text) / 1048576).toFixed(1)} MiB; scenario files are limited to ${LIMITS.fileBytes / 1048576} MiB`,
    }]);
  }
  const file = filePath(td.uri);
  return analyze(text, { file, fileKind: file ? fileKind : undefined, knownEnv: file ? knownEnv(td) : undefined });
}
