/**
 * One run at a time, from the editor: checks trust and the target, starts the engine in a child
 * process (engine-process.ts), streams its messages to the results panel, keeps the last
 * results (also across reloads, by the path of their JSON) and saves them as an HTML report.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { Comparison } from '../../engine/compare/compare';
import type { Results } from '../../engine/metrics/results-types';
import type { EngineMessage } from '../../engine/run/protocol';
import { renderHtmlReport } from '../../engine/report/html';
import { fileKind } from '../../engine/scenario/file-kind';
import { loadScenarioFile } from '../../engine/scenario/load';
import { validateText } from '../../engine/scenario/validate';
import { EngineProcess, type RunOutcome } from './engine-process';
import { envFileArgs, runEnvFile } from './env-file';
import { isLoopbackHost, targetHost } from './hosts';
import { formatSummary } from '../../engine/report/summary';
import { RunDiagnostics } from './run-diagnostics';
import { RunLenses } from './run-lenses';
import { runState } from './run-state';
import { ResultsPanel } from './panel';
import { makeRunDir } from './storage';

const CONFIRMED_HOSTS_KEY = 'z6.run.confirmedHosts';
const LAST_RESULTS_KEY = 'z6.run.lastResultsFile';
const RUNNING_CONTEXT = 'z6.running';
/** A day of per-second samples; beyond that a reopened panel shows the run from its start only. */
const MAX_LIVE_LOG = 86_400;

interface LastRun {
  results: Results;
  dir?: string;
  /** With the scenario's baseline, when it has one (the history sets it after the run). */
  comparison?: Comparison;
}

/** How a run asked for went: it never started (and why: the user was told already), or it ended. */
export type RunEnd =
  | { started: false; reason: string }
  | { started: true; uri: vscode.Uri; dir: string; outcome: RunOutcome };

/** A run that ended with results, for what follows a run elsewhere (history, baseline comparison). */
export interface FinishedRun {
  uri: vscode.Uri;
  dir: string;
  results: Results;
}

export class RunController implements vscode.Disposable {
  private engine?: EngineProcess;
  private panel?: ResultsPanel;
  private last?: LastRun;
  private liveLog: EngineMessage[] = [];
  private readonly status: vscode.StatusBarItem;
  /** How the last run went, until the next one starts (click: show its results). */
  private readonly lastRun: vscode.StatusBarItem;
  private readonly runDiagnostics = new RunDiagnostics();
  private readonly runLenses = new RunLenses();
  /** "Z6": each run's summary as the CLI prints it, for users who want text. */
  readonly output = vscode.window.createOutputChannel('Z6');
  private readonly finishedRun = new vscode.EventEmitter<FinishedRun>();
  /** After a run's results are in and shown (panel, problems, lenses, output). */
  readonly onDidFinishRun = this.finishedRun.event;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.status = vscode.window.createStatusBarItem('z6.run', vscode.StatusBarAlignment.Left, 10);
    this.status.name = 'Z6 Run';
    this.status.command = 'z6.cancelRun';
    this.lastRun = vscode.window.createStatusBarItem('z6.lastRun', vscode.StatusBarAlignment.Left, 9);
    this.lastRun.name = 'Z6 Last Run';
    this.lastRun.command = 'z6.showResults';
  }

  get running(): boolean {
    return this.engine !== undefined;
  }

  /**
   * `extraArgs`: `z6 run` options for this run only (--smoke, --vus N, --duration S, --seed N).
   * Resolves when the run has ended (or did not start: the user has been told why).
   */
  async run(resource?: vscode.Uri, extraArgs: string[] = []): Promise<RunEnd> {
    const refused = (reason: string, level: 'warning' | 'error' = 'warning'): RunEnd => {
      void (level === 'error' ? vscode.window.showErrorMessage(`Z6: ${reason}`) : vscode.window.showWarningMessage(`Z6: ${reason}`));
      return { started: false, reason };
    };
    if (!vscode.workspace.isTrusted) return refused('runs are disabled in an untrusted workspace. Trust the workspace to send load from it.');
    if (this.engine) {
      void vscode.window.showWarningMessage('Z6: a run is already in progress.', 'Cancel It', 'Show Results').then((choice) => {
        if (choice === 'Cancel It') this.cancel();
        else if (choice === 'Show Results') this.panel?.reveal();
      });
      return { started: false, reason: 'a run is already in progress.' };
    }
    const uri = resource instanceof vscode.Uri ? resource : vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== 'file') return refused('open a scenario file (saved on disk) to run it.');
    // The engine reads the file from disk: save pending edits so what runs is what is shown.
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc?.isDirty && !(await doc.save())) return { started: false, reason: 'the scenario has unsaved changes that could not be saved.' };
    // Not open: read it as the CLI does, which refuses a FIFO or device instead of blocking the
    // extension host on it.
    const loaded = doc ? undefined : loadScenarioFile(uri.fsPath);
    if (loaded?.fileError !== undefined) return refused(`${basename(uri.fsPath)}: ${loaded.fileError}`, 'error');
    const checked = loaded?.result ?? validateText(doc!.getText(), { file: uri.fsPath, fileKind });
    const errors = checked.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length || !checked.scenario) {
      const first = errors[0];
      const where = first ? ` Line ${first.range.start.line + 1}: ${first.message}` : '';
      return refused(`the scenario has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} before running.${where}`, 'error');
    }
    if (!(await this.confirmTarget(checked.scenario.target.baseUrl, uri))) return { started: false, reason: `sending load to ${targetHost(checked.scenario.target.baseUrl) ?? checked.scenario.target.baseUrl} was not confirmed.` };

    const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
    const dir = makeRunDir(uri.fsPath, folder, this.context.globalStorageUri.fsPath);
    // {{ env.NAME }}: the workspace .env by z6.envFile, read by the engine as `--env-file` would.
    const envFile = runEnvFile(uri.fsPath, vscode.workspace.getConfiguration('z6', uri).get<string>('envFile'), folder);
    const outcome = await this.start(uri, dir, envFile, extraArgs);
    return { started: true, uri, dir, outcome };
  }

  cancel(): void {
    if (!this.engine) {
      void vscode.window.showInformationMessage('Z6: no run in progress.');
      return;
    }
    this.engine.cancel();
    this.status.text = '$(loading~spin) Z6: cancelling…';
  }

  showResults(): void {
    const last = this.last ?? this.loadStored();
    if (!last && !this.engine) {
      void vscode.window.showInformationMessage('Z6: no results yet. Run a scenario first (Z6: Run Scenario).');
      return;
    }
    const fresh = !this.panel || this.panel.isDisposed;
    const panel = this.ensurePanel();
    if (this.engine) {
      if (fresh) for (const m of this.liveLog) panel.post(m);
    } else if (last) panel.post({ type: 'show', results: last.results, comparison: last.comparison });
    panel.reveal();
  }

  async saveHtml(): Promise<void> {
    const last = this.last ?? this.loadStored();
    if (!last) {
      void vscode.window.showInformationMessage('Z6: no finished run to save yet.');
      return;
    }
    const defaultUri = last.dir ? vscode.Uri.file(join(last.dir, 'report.html')) : undefined;
    const target = await vscode.window.showSaveDialog({ defaultUri, filters: { 'HTML report': ['html'] }, title: 'Save Z6 HTML report' });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, Buffer.from(renderHtmlReport(last.results, { comparison: last.comparison }), 'utf8'));
    } catch (e) {
      void vscode.window.showErrorMessage(`Z6: could not save the report: ${(e as Error).message}`);
      return;
    }
    const open = await vscode.window.showInformationMessage(`Z6: report saved to ${target.fsPath}`, 'Open in Browser');
    if (open) void vscode.env.openExternal(target);
  }

  /**
   * The last run compared with its scenario's baseline: on the panel (when it still shows that
   * run), in the saved report, in the "Z6" output, and in the status bar.
   */
  showBaselineComparison(results: Results, comparison: Comparison, text: string): void {
    if (this.last?.results !== results) return;
    this.last.comparison = comparison;
    if (!this.engine) this.panel?.post({ type: 'show', results, comparison });
    this.output.appendLine(text);
    this.output.appendLine('');
    const verdict = comparison.regressed ? 'regressed against the baseline' : 'no regression against the baseline';
    this.lastRun.text += ` · ${verdict}`;
    this.lastRun.tooltip = `${this.lastRun.tooltip} — ${verdict} (${comparison.a.label})`;
  }

  dispose(): void {
    this.engine?.kill();
    this.panel?.dispose();
    this.status.dispose();
    this.lastRun.dispose();
    this.runDiagnostics.dispose();
    this.runLenses.dispose();
    this.output.dispose();
    this.finishedRun.dispose();
  }

  /** decisions §5: the first run against a host that is not this machine asks; the answer is remembered per host. */
  private async confirmTarget(baseUrl: string, uri: vscode.Uri): Promise<boolean> {
    if (isLoopbackHost(baseUrl)) return true;
    if (!vscode.workspace.getConfiguration('z6.run', uri).get<boolean>('confirmNonLoopback', true)) return true;
    const host = targetHost(baseUrl) ?? baseUrl;
    const confirmed = this.context.globalState.get<string[]>(CONFIRMED_HOSTS_KEY, []);
    if (confirmed.includes(host)) return true;
    const go = 'Send Load';
    const answer = await vscode.window.showWarningMessage(
      `Z6: send load to ${host}?`,
      { modal: true, detail: `This scenario targets ${baseUrl}, which is not this machine. A load test sends real traffic. Z6 will remember your answer for ${host}.` },
      go,
    );
    if (answer !== go) return false;
    await this.context.globalState.update(CONFIRMED_HOSTS_KEY, [...confirmed, host]);
    return true;
  }

  private ensurePanel(restored?: vscode.WebviewPanel): ResultsPanel {
    if (!this.panel || this.panel.isDisposed) {
      this.panel = new ResultsPanel(this.context.extensionUri, {
        onCancel: () => this.cancel(),
        onSaveHtml: () => void this.saveHtml(),
        onDispose: () => {
          this.panel = undefined;
        },
      }, restored);
    }
    return this.panel;
  }

  /**
   * After Reload Window, VS Code hands back the panel that was open (registerWebviewPanelSerializer):
   * it shows the last results again, under the scenario's name, instead of an empty editor group.
   */
  restorePanel(webviewPanel: vscode.WebviewPanel): void {
    if (this.panel && !this.panel.isDisposed) {
      webviewPanel.dispose();
      return;
    }
    const panel = this.ensurePanel(webviewPanel);
    const last = this.last ?? this.loadStored();
    if (!last) {
      panel.post({ type: 'error', message: 'The results of the last run are no longer available.', exitCode: 0 });
      return;
    }
    if (last.results.scenario.file) panel.setTitle(`Z6: ${basename(last.results.scenario.file)}`);
    panel.post({ type: 'show', results: last.results });
  }

  private start(uri: vscode.Uri, dir: string, envFile?: string, extraArgs: string[] = []): Promise<RunOutcome> {
    this.runDiagnostics.clear(uri);
    this.runLenses.set(uri, undefined);
    this.lastRun.hide();
    const cliPath = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'cli.js').fsPath;
    const panel = this.ensurePanel();
    panel.setTitle(`Z6: ${uri.path.split('/').pop()}`);
    panel.reveal();
    const engine = new EngineProcess({
      cliPath,
      file: uri.fsPath,
      outDir: dir,
      cwd: dir,
      args: [...envFileArgs(envFile), ...extraArgs],
      onMessage: (m) => this.onEngineMessage(m),
    });
    this.engine = engine;
    this.liveLog = [];
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, true);
    runState.set(true);
    this.status.text = '$(loading~spin) Z6: starting…';
    this.status.tooltip = `Z6 run in progress${envFile ? ` (env names from ${envFile})` : ''} — click to cancel`;
    this.status.show();

    return engine.outcome.then((outcome) => {
      this.engine = undefined;
      this.liveLog = [];
      void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, false);
      runState.set(false);
      this.status.hide();
      if (outcome.results) {
        // Partial results after a cancel are kept like complete ones (decisions §5).
        this.remember(outcome.results, dir);
        const r = outcome.results;
        const failed = r.assertions.filter((a) => !a.pass).length;
        void this.runDiagnostics.show(uri, r);
        this.runLenses.set(uri, r);
        this.showOutcome(r, failed);
        this.output.appendLine(`${new Date().toISOString()}  ${uri.fsPath} — results in ${dir}`);
        this.output.appendLine(formatSummary(r));
        this.output.appendLine('');
        const how = r.status === 'cancelled' ? 'cancelled (partial results kept)' : failed ? `finished: ${failed} assertion${failed === 1 ? '' : 's'} failed` : 'finished';
        // The results are here even when the engine could not write its files: say so, keep them.
        if (outcome.outputError) void vscode.window.showWarningMessage(`Z6: ${outcome.outputError}`);
        // The panel shows the results already when it is open: the toast then offers the report only.
        const actions = this.panel && !this.panel.isDisposed ? ['Save HTML Report'] : ['Show Results', 'Save HTML Report'];
        void vscode.window.showInformationMessage(`Z6: run ${how}.`, ...actions).then((c) => {
          if (c === 'Show Results') this.showResults();
          else if (c === 'Save HTML Report') void this.saveHtml();
        });
        this.finishedRun.fire({ uri, dir, results: r });
      } else if (outcome.error) {
        // An 'error' message already reached the panel; a crash did not, so tell it.
        this.panel?.post({ type: 'error', message: outcome.error.message, exitCode: outcome.exitCode, diagnostics: outcome.error.diagnostics });
        void vscode.window.showErrorMessage(`Z6: the run failed. ${outcome.error.message.split('\n')[0]}`);
      }
      return outcome;
    });
  }

  /** The last run's outcome in the status bar: passed, which assertions failed, cancelled, aborted. */
  private showOutcome(r: Results, failed: number): void {
    const total = r.assertions.length;
    const [icon, text] =
      r.status === 'error' ? ['$(error)', 'ended with an error']
        : r.status === 'cancelled' ? ['$(circle-slash)', 'cancelled']
          : r.status === 'aborted' ? ['$(error)', 'aborted: an assertion failed']
            : failed > 0 ? ['$(error)', `${failed} of ${total} assertion${total === 1 ? '' : 's'} failed`]
              : ['$(pass)', total > 0 ? `passed (${total} assertion${total === 1 ? '' : 's'})` : 'done (no assertions)'];
    this.lastRun.text = `${icon} Z6: last run ${text}`;
    this.lastRun.tooltip = `${r.scenario.name ?? r.scenario.file ?? 'scenario'}: ${Math.round(r.totals.rps)} responses/s, error rate ${(r.totals.errorRate * 100).toFixed(2)} % — click to show the results`;
    this.lastRun.show();
  }

  private onEngineMessage(m: EngineMessage): void {
    // Kept so a panel opened mid-run (closed, then Show Results) can catch up.
    if (m.type === 'started') this.liveLog = [m];
    else if (m.type === 'progress' && this.liveLog.length < MAX_LIVE_LOG) this.liveLog.push(m);
    if (m.type === 'progress') {
      this.status.text = `$(loading~spin) Z6: ${Math.floor(m.totals.elapsedSeconds)} s · ${Math.round(m.totals.rps)} req/s`;
    } else if (m.type === 'started') {
      this.status.text = '$(loading~spin) Z6: running';
    } else if (m.type === 'notice') {
      this.liveLog.push(m);
      void vscode.window.showWarningMessage(`Z6: ${m.message}`);
    }
    // Only to a panel that is open: closing it during a run is respected until asked for again.
    this.panel?.post(m);
  }

  private remember(results: Results, dir: string): void {
    this.last = { results, dir };
    const file = join(dir, 'results.json');
    try {
      // The engine writes its own files into --out; make sure the JSON we reopen from is there.
      if (!existsSync(file)) writeFileSync(file, JSON.stringify(results, null, 2));
      void this.context.workspaceState.update(LAST_RESULTS_KEY, file);
    } catch {
      // Not fatal: the results stay in memory for this session.
    }
  }

  private loadStored(): LastRun | undefined {
    const file = this.context.workspaceState.get<string>(LAST_RESULTS_KEY);
    if (!file) return undefined;
    try {
      const results = JSON.parse(readFileSync(file, 'utf8')) as Results;
      if (results?.version !== 1 || !results.totals) return undefined;
      this.last = { results, dir: join(file, '..') };
      return this.last;
    } catch {
      return undefined;
    }
  }
}
