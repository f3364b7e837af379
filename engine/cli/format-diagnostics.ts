/** Compiler-style diagnostic lines, `file:line:col: severity: message [code]`, shared by validate and run; and their JSON. */
import { relative } from 'node:path';
import type { Diagnostic } from '../scenario/diagnostics';

export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** The diagnostic's line, then a `note:` line for each other place it involves (as compilers print them). */
export function formatDiagnostic(file: string, d: Diagnostic): string[] {
  const at = (r: Diagnostic['range']) => `${displayPath(file)}:${r.start.line + 1}:${r.start.character + 1}`;
  return [`${at(d.range)}: ${d.severity}: ${d.message} [${d.code}]`, ...(d.related ?? []).map((r) => `${at(r.range)}: note: ${r.message}`)];
}

/** A diagnostic as `z6 validate --json` prints it: positions as LSP ranges, without the raw offsets. */
export function diagnosticJson({ span: _span, related, ...d }: Diagnostic): object {
  return related ? { ...d, related: related.map(({ span: _s, ...r }) => r) } : d;
}
