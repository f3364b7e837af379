/**
 * Which `.env` file the editor uses for a scenario's `env.NAME` (setting `z6.envFile`): the
 * language server reads its names for completion and warnings, and Run Scenario passes it to the
 * engine as `--env-file` (so a run from the editor sees exactly what `z6 run --env-file` would).
 *
 * - empty setting: no file;
 * - an absolute path: that file;
 * - a relative path (default `.env`): beside the scenario first, else at the root of the
 *   workspace folder that holds the scenario. The scenario's own directory wins because a
 *   repository with several scenario folders usually keeps each folder's settings with it.
 *
 * Pure path arithmetic: the callers check which candidate exists.
 */
import { dirname, isAbsolute, join } from 'node:path';

export const DEFAULT_ENV_FILE = '.env';

export function envFileCandidates(setting: string | undefined, scenarioFile: string, workspaceRoot?: string): string[] {
  const s = (setting ?? DEFAULT_ENV_FILE).trim();
  if (s === '') return [];
  if (isAbsolute(s)) return [s];
  const out = [join(dirname(scenarioFile), s)];
  if (workspaceRoot) {
    const atRoot = join(workspaceRoot, s);
    if (atRoot !== out[0]) out.push(atRoot);
  }
  return out;
}

/** The workspace folder (absolute path) that holds `file`: the deepest one, when folders nest. */
export function folderOf(file: string, folders: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const f of folders) {
    const prefix = f.endsWith('/') || f.endsWith('\\') ? f : f + (f.includes('\\') && !f.includes('/') ? '\\' : '/');
    if (file.startsWith(prefix) && (!best || f.length > best.length)) best = f;
  }
  return best;
}
