/**
 * `z6 validate FILE... [--json]`: one line per diagnostic, a one-line summary, exit 0 when every
 * file is valid (warnings allowed) and 2 when any is not.
 */
import { terminalSafe } from '../../report/terminal-text';
import { diagnosticJson, displayPath, formatDiagnostic } from '../format-diagnostics';
import { loadScenarioFile } from '../../scenario/load';

export async function validateCommand(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--json');
  const files = args.filter((a) => !a.startsWith('-'));
  if (unknown.length || files.length === 0) {
    console.error(unknown.length ? `z6 validate: unknown option ${unknown[0]}` : 'z6 validate: no file given');
    console.error('Usage: z6 validate FILE... [--json]');
    return 2;
  }
  let errors = 0;
  let warnings = 0;
  let invalidFiles = 0;
  const report: unknown[] = [];
  for (const f of files) {
    const loaded = loadScenarioFile(f);
    if (loaded.fileError) {
      invalidFiles++;
      errors++;
      if (json) report.push({ file: loaded.file, valid: false, error: loaded.fileError, diagnostics: [] });
      else console.log(terminalSafe(`${displayPath(loaded.file)}: error: ${loaded.fileError} [file]`));
      continue;
    }
    const diags = loaded.result!.diagnostics;
    const fileErrors = diags.filter((d) => d.severity === 'error').length;
    errors += fileErrors;
    warnings += diags.filter((d) => d.severity === 'warning').length;
    if (fileErrors) invalidFiles++;
    if (json) {
      report.push({ file: loaded.file, valid: fileErrors === 0, diagnostics: diags.map(diagnosticJson) });
    } else {
      for (const d of diags) for (const line of formatDiagnostic(loaded.file, d)) console.log(terminalSafe(line));
    }
  }
  if (json) {
    console.log(JSON.stringify({ valid: invalidFiles === 0, errors, warnings, files: report }, null, 2));
  } else {
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
    const status = invalidFiles === 0 ? `${plural(files.length, 'file')} valid` : `${plural(invalidFiles, 'file')} of ${files.length} invalid`;
    console.log(`${status}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  }
  return invalidFiles === 0 ? 0 : 2;
}
