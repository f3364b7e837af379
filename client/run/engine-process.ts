/**
 * Runs one scenario in a separate process: `fork(dist/cli.js, ['run', FILE, '--ipc', ...])`
 * (decisions §5: the load never runs in the extension host). Speaks engine/run/protocol.ts.
 * Free of `vscode` so it is tested in plain node against the real built CLI.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Results } from '../../engine/metrics/results-types';
import type { EngineMessage, ErrorMessage, FinishedMessage, OutputErrorMessage, ParentMessage, StartedMessage } from '../../engine/run/protocol';

export interface EngineProcessOptions {
  /** Absolute path of the bundled CLI (dist/cli.js). */
  cliPath: string;
  /** Absolute path of the scenario file. */
  file: string;
  /** Directory for the engine's result files (`--out`). */
  outDir?: string;
  /** More CLI arguments, e.g. ['--seed', '7']. */
  args?: string[];
  cwd?: string;
  /** Called for every message from the engine, in order. */
  onMessage?: (msg: EngineMessage) => void;
  /** After cancel(), how long the engine gets to send its partial results before it is killed. */
  cancelGraceMs?: number;
}

/** How a run ended, from the parent's point of view. */
export interface RunOutcome {
  /** The engine's results (complete, or partial after a cancel); absent when it never finished. */
  results?: Results;
  started?: StartedMessage;
  /** What `z6 run` exits with: 0 pass, 1 assertion failed, 2 invalid, 3 run error, 130 cancelled. */
  exitCode: number;
  /** Set when the run did not produce results: the engine's error, or why the process died. */
  error?: { message: string; diagnostics?: ErrorMessage['diagnostics'] };
  /** The results arrived but the engine could not write its files to outDir (then exitCode is 3). */
  outputError?: string;
  cancelled: boolean;
}

const STDERR_KEEP = 8 * 1024;
/** Every engine message type: a Record, so a type added to the protocol and missing here fails to compile. */
const TYPES: Record<EngineMessage['type'], true> = { started: true, progress: true, notice: true, finished: true, 'output-error': true, error: true };

function isEngineMessage(m: unknown): m is EngineMessage {
  const type = typeof m === 'object' && m !== null ? (m as { type?: unknown }).type : undefined;
  return typeof type === 'string' && Object.hasOwn(TYPES, type);
}

export class EngineProcess {
  readonly outcome: Promise<RunOutcome>;
  private readonly child: ChildProcess;
  private started?: StartedMessage;
  private finished?: FinishedMessage;
  private outputError?: OutputErrorMessage;
  private failed?: ErrorMessage;
  private cancelRequested = false;
  private killTimer?: NodeJS.Timeout;
  private stderr = '';

  constructor(private readonly opts: EngineProcessOptions) {
    const args = ['run', opts.file, '--ipc', ...(opts.outDir ? ['--out', opts.outDir] : []), ...(opts.args ?? [])];
    this.child = fork(opts.cliPath, args, {
      cwd: opts.cwd,
      // Inside VS Code, process.execPath is the editor's Electron binary: run it as plain node.
      // execArgv: [] so the extension host's own flags (inspect, etc.) are not inherited.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      // Keep the tail: the last lines explain a crash.
      this.stderr = (this.stderr + chunk).slice(-STDERR_KEEP);
    });
    this.child.on('message', (m: unknown) => this.receive(m));
    this.outcome = new Promise((resolve) => {
      let spawnError: Error | undefined;
      this.child.on('error', (e) => {
        spawnError = e;
      });
      this.child.on('close', (code, signal) => {
        clearTimeout(this.killTimer);
        resolve(this.conclude(code, signal, spawnError));
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Ask the engine to stop: it interrupts what is in flight and sends its partial results.
   * If it has not exited after the grace period it is terminated (and then no results arrive).
   */
  cancel(): void {
    if (this.cancelRequested || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.cancelRequested = true;
    this.send({ type: 'cancel' });
    this.killTimer = setTimeout(() => {
      this.child.kill('SIGTERM');
      this.killTimer = setTimeout(() => this.child.kill('SIGKILL'), 2_000);
      this.killTimer.unref?.();
    }, this.opts.cancelGraceMs ?? 10_000);
    this.killTimer.unref?.();
  }

  /** Stop at once, without waiting for results (the editor is closing). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private send(m: ParentMessage): void {
    if (this.child.connected) this.child.send(m, (err) => err && undefined /* the child is already gone: close will tell */);
  }

  private receive(m: unknown): void {
    if (!isEngineMessage(m)) return;
    if (m.type === 'started') this.started = m;
    else if (m.type === 'finished') this.finished = m;
    else if (m.type === 'output-error') this.outputError = m;
    else if (m.type === 'error') this.failed = m;
    try {
      this.opts.onMessage?.(m);
    } catch {
      // A listener's mistake must not take the run down with it.
    }
  }

  private conclude(code: number | null, signal: NodeJS.Signals | null, spawnError: Error | undefined): RunOutcome {
    const base = { started: this.started, cancelled: this.cancelRequested };
    if (this.finished && this.outputError) return { ...base, results: this.finished.results, exitCode: 3, outputError: this.outputError.message };
    if (this.finished) return { ...base, results: this.finished.results, exitCode: this.finished.exitCode };
    if (this.failed) return { ...base, exitCode: this.failed.exitCode, error: { message: this.failed.message, diagnostics: this.failed.diagnostics } };
    const tail = this.stderr.trim().split('\n').slice(-6).join('\n');
    const how = spawnError ? `could not start: ${spawnError.message}` : signal ? `was stopped by ${signal}` : `exited with code ${code}`;
    return {
      ...base,
      exitCode: code ?? (this.cancelRequested ? 130 : 3),
      error: { message: `The engine process ${how} before sending results.${tail ? `\n${tail}` : ''}` },
    };
  }
}
