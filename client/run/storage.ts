/**
 * Where a run's files go: `<workspace folder>/z6-results/<scenario>-<time>/` when the scenario is
 * in a workspace (next to the work, gitignored by convention), else the extension's global storage.
 * vscode-free: the caller passes the folders in.
 */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';

export function runDirName(scenarioFile: string, now: Date = new Date()): string {
  const stem = basename(scenarioFile).replace(/\.z6\.toml$|\.toml$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'scenario';
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[:]/g, '-');
  return `${stem}-${stamp}`;
}

/** Creates and returns the directory for one run's results. */
export function makeRunDir(scenarioFile: string, workspaceFolder: string | undefined, globalStorage: string, now?: Date): string {
  const root = workspaceFolder ? join(workspaceFolder, 'z6-results') : join(globalStorage, 'results');
  mkdirSync(root, { recursive: true });
  const base = join(root, runDirName(scenarioFile, now));
  // Two runs of one scenario within a second get their own folders: -2, -3, …
  for (let n = 1; ; n++) {
    const dir = n === 1 ? base : `${base}-${n}`;
    try {
      mkdirSync(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 1000) throw e;
    }
  }
}
