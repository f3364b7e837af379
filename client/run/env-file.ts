/**
 * The `.env` file Run Scenario passes to the engine (`--env-file`), by the `z6.envFile` setting:
 * the same file the language server reads names from (engine/templates/env-file.ts). The engine
 * reads it itself, exactly as `z6 run --env-file FILE` does: the values never pass through the
 * extension host, its logs or the command line. Free of `vscode` so it is tested in plain node.
 */
import { fileKind, type FileKind } from '../../engine/scenario/file-kind';
import { envFileCandidates } from '../../engine/templates/env-file';

/** The env file for a run of `scenarioFile`, or undefined (setting empty, or no such regular file). */
export function runEnvFile(scenarioFile: string, setting: string | undefined, workspaceRoot: string | undefined,
  kind: (p: string) => FileKind = fileKind): string | undefined {
  // Only a regular file: a FIFO or a device named .env must not block or feed the run.
  return envFileCandidates(setting, scenarioFile, workspaceRoot).find((f) => kind(f) === 'file');
}

/** The engine arguments for it. */
export function envFileArgs(file: string | undefined): string[] {
  return file ? ['--env-file', file] : [];
}
