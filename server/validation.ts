/**
 * The bridge to the shared validator (engine/scenario/validate.ts), so the editor, the CLI and the
 * engine agree on every diagnostic. The server adds nothing of its own here.
 */
import type { Diagnostic } from '../engine/scenario/diagnostics';
import type { TomlDocument } from '../engine/scenario/toml/ast';
import { validateText } from '../engine/scenario/validate';
import type { AnalyzeOptions } from './analysis';

/** `tree`: this text's tree if the analysis already built one, so it is not parsed twice. */
export function runValidator(text: string, options: AnalyzeOptions, tree?: TomlDocument): { doc: TomlDocument; diagnostics: Diagnostic[] } {
  const r = validateText(text, { file: options.file, fileKind: options.fileKind, knownEnv: options.knownEnv, doc: tree });
  return { doc: r.doc, diagnostics: r.diagnostics };
}
