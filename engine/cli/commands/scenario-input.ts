/**
 * Loading a scenario for `z6 run` / `z6 plan`: file problems and diagnostics are printed the way
 * `z6 validate` prints them (`file:line:col: error: message [code]`) and become exit code 2;
 * a body_file that cannot be read at run time is a run error (3).
 */
import { displayPath, formatDiagnostic } from '../format-diagnostics';
import { readBodies } from '../../scenario/body-files';
import { bodyFileTemplateProblems } from '../../templates/body-file-check';
import { DataOpenError, openDataFiles } from '../../data/open';
import { loadScenarioFile } from '../../scenario/load';
import type { Scenario } from '../../scenario/model';
import type { DiagnosticLine } from '../../run/protocol';

export type ScenarioInput =
  | { ok: true; scenario: Scenario; file: string; warnings: string[] }
  | { ok: false; exitCode: number; lines: string[]; message: string; diagnostics?: DiagnosticLine[] };

/** env: the run's environment; an env.NAME the scenario uses that is unset there is an error (exit 2). */
export function loadForRun(path: string, opts: { readBodies: boolean; env?: Readonly<Record<string, string | undefined>> }): ScenarioInput {
  const loaded = loadScenarioFile(path, { env: opts.env });
  if (loaded.fileError) {
    const line = `${displayPath(loaded.file)}: error: ${loaded.fileError} [file]`;
    return { ok: false, exitCode: 2, lines: [line], message: line };
  }
  const result = loaded.result!;
  const diagnostics = result.diagnostics;
  const lines = diagnostics.flatMap((d) => formatDiagnostic(loaded.file, d));
  if (!result.scenario) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    lines.push(`${displayPath(loaded.file)}: ${errors} error${errors === 1 ? '' : 's'}; not running it`);
    return {
      ok: false,
      exitCode: 2,
      lines,
      message: `the scenario has ${errors} error${errors === 1 ? '' : 's'}`,
      diagnostics: diagnostics.map((d) => ({ line: d.range.start.line + 1, column: d.range.start.character + 1, severity: d.severity, code: d.code, message: d.message })),
    };
  }
  // Data files are indexed here, for a run and for a plan: a malformed row far down a large file
  // (validation reads only the header) is an input error, shown like a diagnostic (exit 2).
  try {
    openDataFiles(result.scenario.data);
  } catch (e) {
    if (!(e instanceof DataOpenError)) throw e;
    const line = `${displayPath(e.spec.file)}${e.line !== undefined ? `:${e.line}` : ''}: error: ${e.what} [data-file]`;
    return { ok: false, exitCode: 2, lines: [line], message: line };
  }
  if (opts.readBodies) {
    try {
      readBodies(result.scenario);
    } catch (e) {
      // Validation checked the file exists; failing to read it now is a run error (exit 3).
      const line = `${displayPath(loaded.file)}: error: ${(e as Error).message} [body-file]`;
      return { ok: false, exitCode: 3, lines: [line], message: line };
    }
    const problems = bodyFileTemplateProblems(result.scenario, opts.env);
    if (problems.length) {
      const found = problems.map((p) => `${displayPath(p.file)}:${p.line}:${p.column}: error: ${p.message} [template]`);
      return { ok: false, exitCode: 2, lines: found, message: found[0]! };
    }
  }
  return { ok: true, scenario: result.scenario, file: loaded.file, warnings: lines };
}
