/** Compiler-style diagnostic lines, `file:line:col: severity: message [code]`, shared by validate and run. */
import { relative } from 'node:path';
import type { Diagnostic } from '../scenario/diagnostics';

export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${displayPath(file)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}
