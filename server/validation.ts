/**
 * The bridge to the shared validator (engine/scenario/validate.ts), so the editor, the CLI and the
 * engine agree on every diagnostic. The server adds nothing of its own here.
 */
import type { Diagnostic } from '../engine/scenario/diagnostics';
import type { TomlDocument } from '../engine/scenario/toml/ast';
import { validateText } from '../engine/scenario/validate';
import type { AnalyzeOptions } from './analysis';

export function runValidator(text: string, options: AnalyzeOptions): { doc: TomlDocument; diagnostics: Diagnostic[] } {
  const r = validateText(text, { file: options.file, fileExists: options.fileExists });
  return { doc: r.doc, diagnostics: r.diagnostics };
}
