/**
 * Where the editor test host lives: scripts/setup-e2e.sh installs code-server (a real VS Code server with
 * a Node extension host) into .cache/vscode-e2e/, and Debian's chromium into /usr/bin.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..');
export const E2E_HOME = join(REPO_ROOT, '.cache', 'vscode-e2e');
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_BIN = process.env.Z6_CODE_SERVER ?? join(E2E_HOME, 'node_modules', '.bin', 'code-server');
export const CHROMIUM_BIN = process.env.Z6_CHROMIUM ?? '/usr/bin/chromium';
/** Per-run folders (workspace, user data, browser profile, logs) and failure screenshots. */
export const RUNS_DIR = join(REPO_ROOT, '.cache', 'e2e-runs');
export const SHOTS_DIR = join(REPO_ROOT, '.cache', 'e2e-shots');

/** What is missing for the editor tests, or undefined when they can run. */
export function missingPrerequisite(): string | undefined {
  if (!existsSync(join(E2E_HOME, `.installed-code-server-${CODE_SERVER_VERSION}`)) || !existsSync(CODE_SERVER_BIN)) {
    return `code-server is not installed in ${E2E_HOME}; run: bash scripts/setup-e2e.sh`;
  }
  if (!existsSync(CHROMIUM_BIN)) return `${CHROMIUM_BIN} is missing; run: bash scripts/setup-e2e.sh`;
  for (const f of ['dist/extension.js', 'dist/server.js']) {
    if (!existsSync(join(REPO_ROOT, f))) return `${f} is not built; run: npm run build`;
  }
  return undefined;
}
