/**
 * One code-server for a test file: bound to a free 127.0.0.1 port, no auth, with its own user data,
 * extensions folder, XDG folders and TMPDIR, so it never touches ~/.config or another run. Spawned as the
 * leader of its own process group, so stopping it also ends the extension host, the language server and
 * everything else it forked.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CODE_SERVER_BIN, RUNS_DIR } from './install';

export interface RunDirs {
  base: string;
  workspace: string;
  userData: string;
  extensions: string;
  browserProfile: string;
  xdg: string;
  tmp: string;
  log: string;
}

/** A fresh folder tree for one run, under .cache/e2e-runs/. */
export function makeRunDirs(tag: string): RunDirs {
  mkdirSync(RUNS_DIR, { recursive: true });
  const base = mkdtempSync(join(RUNS_DIR, `${tag}-`));
  const dirs: RunDirs = {
    base,
    workspace: join(base, 'workspace'),
    userData: join(base, 'user-data'),
    extensions: join(base, 'extensions'),
    browserProfile: join(base, 'chromium-profile'),
    xdg: join(base, 'xdg'),
    tmp: join(base, 'tmp'),
    log: join(base, 'code-server.log'),
  };
  for (const d of [dirs.workspace, join(dirs.userData, 'User'), dirs.extensions, dirs.browserProfile, dirs.xdg, dirs.tmp]) {
    mkdirSync(d, { recursive: true });
  }
  // Quiet, deterministic workbench: no welcome page, no trust prompt, no update or gallery checks,
  // no git or TypeScript extensions doing work in the background of a 2-core machine.
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'chat.disableAIFeatures': true,
    'window.restoreWindows': 'none',
    'git.enabled': false,
    'typescript.tsserver.enabled': false,
    'editor.quickSuggestions': { other: false, comments: false, strings: false },
    'files.autoSave': 'off',
    // Only the language server's completions, so a test sees what the server offers.
    'editor.wordBasedSuggestions': 'off',
  }, null, 2));
  return dirs;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function isolatedEnv(dirs: RunDirs): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_CONFIG_HOME: join(dirs.xdg, 'config'),
    XDG_DATA_HOME: join(dirs.xdg, 'data'),
    XDG_CACHE_HOME: join(dirs.xdg, 'cache'),
    // The extension host leaves vscode-ipc-*.sock files in TMPDIR: keep them in this run's folder.
    TMPDIR: dirs.tmp,
    // No marketplace: the default (open-vsx.org) is unreachable here and would only add a failing query.
    EXTENSIONS_GALLERY: '{"serviceUrl":""}',
  };
}

function configArgs(dirs: RunDirs): string[] {
  return ['--config', join(dirs.base, 'config.yaml'), '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

/** Installs a packaged extension (.vsix) into this run's extensions folder (about 1 s). */
export async function installVsix(dirs: RunDirs, vsix: string): Promise<void> {
  writeFileSync(join(dirs.base, 'config.yaml'), 'auth: none\ncert: false\n');
  await promisify(execFile)(CODE_SERVER_BIN, [...configArgs(dirs), '--install-extension', vsix, '--force'], {
    env: isolatedEnv(dirs),
    timeout: 60_000,
  });
}

export interface CodeServer {
  url: string;
  dirs: RunDirs;
  process: ChildProcess;
  /** The last lines of the server's log, for error messages. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export async function startCodeServer(dirs: RunDirs, timeoutMs = 60_000): Promise<CodeServer> {
  const port = await freePort();
  writeFileSync(join(dirs.base, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const logFd = openSync(dirs.log, 'a');
  const child = spawn(CODE_SERVER_BIN, [
    ...configArgs(dirs),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened', dirs.workspace,
  ], { env: isolatedEnv(dirs), stdio: ['ignore', logFd, logFd], detached: true });
  closeSync(logFd);
  const url = `http://127.0.0.1:${port}`;
  const server: CodeServer = {
    url,
    dirs,
    process: child,
    logTail: (lines = 30) => {
      try {
        return readFileSync(dirs.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '(no log)';
      }
    },
    stop: () => stopProcessGroup(child),
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited early (${child.exitCode ?? child.signalCode}):\n${server.logTail()}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await server.stop();
  throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms:\n${server.logTail()}`);
}

/** SIGTERM to the whole group, then SIGKILL after 5 s for anything still alive. */
export async function stopProcessGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
      return true;
    } catch {
      return false; // group already gone
    }
  };
  if (!signalGroup('SIGTERM')) return;
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (!signalGroup(0 as unknown as NodeJS.Signals)) return;
  }
  signalGroup('SIGKILL');
}

export function removeRunDirs(dirs: RunDirs): void {
  rmSync(dirs.base, { recursive: true, force: true });
}
