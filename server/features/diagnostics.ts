/**
 * Publishing diagnostics: debounced per document, and a newer version supersedes a pending older
 * one, so fast typing validates once per pause instead of once per keystroke.
 */
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Diagnostic } from '../../engine/scenario/diagnostics';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/**
 * The other places of a problem between two keys go in `relatedInformation` (shown under the
 * message, each a link), as TypeScript does for a duplicate declaration. A client that does not
 * announce support for it gets them in the message instead, so the second place is never lost.
 */
export function toLspDiagnostic(d: Diagnostic, uri: string, relatedSupport: boolean): LspDiagnostic {
  const out: LspDiagnostic = { range: d.range, severity: SEVERITY[d.severity], code: d.code, source: 'z6', message: d.message };
  if (!d.related?.length) return out;
  if (relatedSupport) out.relatedInformation = d.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  else out.message += ` (${d.related.map((r) => `line ${r.range.start.line + 1}: ${r.message}`).join('; ')})`;
  return out;
}

export class DebouncedValidator {
  private readonly pending = new Map<string, { version: number; timer: NodeJS.Timeout }>();

  constructor(
    private readonly delayMs: number,
    /** Runs the validation for `uri` if `version` is still the document's version. */
    private readonly run: (uri: string, version: number) => void,
  ) {}

  schedule(uri: string, version: number, delayMs = this.delayMs): void {
    this.cancel(uri);
    const timer = setTimeout(() => {
      const p = this.pending.get(uri);
      if (!p || p.version !== version) return;
      this.pending.delete(uri);
      this.run(uri, version);
    }, delayMs);
    this.pending.set(uri, { version, timer });
  }

  cancel(uri: string): void {
    const p = this.pending.get(uri);
    if (p) clearTimeout(p.timer);
    this.pending.delete(uri);
  }

  dispose(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }
}
