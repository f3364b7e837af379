/**
 * History and compare in the editor: the "Z6 Runs" view (history-view.ts), opening a past run in
 * a results panel of its own, comparing two runs (engine/compare's compareResults, drawn by the
 * renderer's comparison section: the older run, or the baseline, is A), and a baseline per scenario
 * that each later run of it is compared with as soon as it ends.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { compareResults, type Comparison } from '../../engine/compare/compare';
import type { Results } from '../../engine/metrics/results-types';
import { formatComparison } from '../../engine/report/compare-text';
import { renderHtmlReport } from '../../engine/report/html';
import type { FinishedRun, RunController } from '../run/controller';
import { ResultsPanel } from '../run/panel';
import { Baselines } from './baselines';
import { HISTORY_VIEW_ID, HistoryView, runLabel, runTime, type HistoryNode } from './history-view';
import { readResultsFile, runDescription, type RunSummary } from './run-history';

/** Set when the workspace has a scenario or a run: package.json shows the view then. */
const SHOW_VIEW_CONTEXT = 'z6.hasScenarios';
/** The history's panel: its own view type, so opening a past run never replaces a live one. */
const HISTORY_PANEL_VIEW_TYPE = 'z6.historyResults';

interface Shown {
  results: Results;
  comparison?: Comparison;
}

class HistoryPanel implements vscode.Disposable {
  private panel?: ResultsPanel;
  private shown?: Shown;

  constructor(private readonly extensionUri: vscode.Uri) {}

  show(title: string, shown: Shown): void {
    if (!this.panel || this.panel.isDisposed) {
      this.panel = new ResultsPanel(this.extensionUri, {
        onSaveHtml: () => void this.save(),
        onDispose: () => (this.panel = undefined),
      }, undefined, HISTORY_PANEL_VIEW_TYPE);
    }
    this.shown = shown;
    this.panel.setTitle(title);
    this.panel.post({ type: 'show', results: shown.results, comparison: shown.comparison });
    this.panel.reveal();
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private async save(): Promise<void> {
    if (!this.shown) return;
    const target = await vscode.window.showSaveDialog({ filters: { 'HTML report': ['html'] }, title: 'Save Z6 HTML report' });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, Buffer.from(renderHtmlReport(this.shown.results, { comparison: this.shown.comparison }), 'utf8'));
      void vscode.window.showInformationMessage(`Z6: report saved to ${target.fsPath}`);
    } catch (e) {
      void vscode.window.showErrorMessage(`Z6: could not save the report: ${(e as Error).message}`);
    }
  }
}

/** Reads a run for the panel or a comparison; says which file and what is wrong when it cannot. */
async function load(file: string): Promise<Results | undefined> {
  const read = await readResultsFile(file);
  if (read.ok) return read.results;
  void vscode.window.showErrorMessage(`Z6: ${file} ${read.problem}`);
  return undefined;
}

function pickItem(r: RunSummary): vscode.QuickPickItem & { run: RunSummary } {
  return { label: runTime(r.startedAt), description: runDescription(r), detail: `${r.scenarioName ?? r.scenarioFile ?? ''} — ${runLabel(r.file)}`, run: r };
}

export function registerHistory(context: vscode.ExtensionContext, runs: RunController): void {
  const baselines = new Baselines(context.workspaceState);
  const view = new HistoryView(context.globalStorageUri.fsPath, baselines);
  const tree = vscode.window.createTreeView(HISTORY_VIEW_ID, { treeDataProvider: view, canSelectMany: true, showCollapseAll: true });
  const panel = new HistoryPanel(context.extensionUri);
  const watcher = vscode.workspace.createFileSystemWatcher('**/z6-results/**/results.json');

  /** The runs a command is about: the clicked item and the selection (menus), else the selection (palette). */
  const runsOf = (node?: HistoryNode, nodes?: HistoryNode[]): RunSummary[] => {
    const list = nodes?.length ? nodes : node ? [node] : tree.selection;
    return list.flatMap((n) => (n.kind === 'run' ? [n.run] : []));
  };

  const pick = async (placeHolder: string, exclude?: RunSummary): Promise<RunSummary | undefined> => {
    const all = (await view.runs()).filter((r) => r.file !== exclude?.file);
    // The same scenario's runs first: comparing across scenarios is allowed (with a warning) but rare.
    const same = exclude ? all.filter((r) => r.scenarioKey === exclude.scenarioKey) : [];
    const rest = all.filter((r) => !same.includes(r));
    if (!all.length) {
      void vscode.window.showInformationMessage('Z6: no other run to compare with. Run a scenario first.');
      return undefined;
    }
    const chosen = await vscode.window.showQuickPick([...same, ...rest].map(pickItem), { placeHolder, matchOnDescription: true, matchOnDetail: true });
    return chosen?.run;
  };

  /** A is the baseline (or the older run), B the other; shown on B's results. */
  const compare = async (aFile: string, bFile: string, aIsBaseline = false): Promise<void> => {
    let [ra, rb] = [await load(aFile), await load(bFile)];
    if (!ra || !rb) return;
    if (!aIsBaseline && Date.parse(ra.startedAt) > Date.parse(rb.startedAt)) [ra, rb, aFile, bFile] = [rb, ra, bFile, aFile];
    let comparison: Comparison;
    try {
      comparison = compareResults(ra, rb, { labels: [runLabel(aFile), runLabel(bFile)] });
    } catch (e) {
      void vscode.window.showErrorMessage(`Z6: the runs could not be compared: ${(e as Error).message}`);
      return;
    }
    panel.show(`Z6: ${aIsBaseline ? 'baseline' : runTime(ra.startedAt)} ↔ ${runTime(rb.startedAt)}`, { results: rb, comparison });
  };

  // The view shows in workspaces that have scenarios or runs, not in every workspace the extension is installed in.
  const showView = () => void vscode.commands.executeCommand('setContext', SHOW_VIEW_CONTEXT, true);
  void vscode.workspace.findFiles('**/*.z6.toml', '**/node_modules/**', 1).then((found) => found.length && showView());
  if ((vscode.workspace.workspaceFolders ?? []).some((f) => f.uri.scheme === 'file' && existsSync(join(f.uri.fsPath, 'z6-results')))) showView();
  if (vscode.workspace.textDocuments.some((d) => d.languageId === 'z6')) showView();

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((d) => d.languageId === 'z6' && showView()),
    runs.onDidFinishRun(showView),
    view,
    tree,
    panel,
    watcher,
    watcher.onDidCreate(() => view.refresh()),
    watcher.onDidChange(() => view.refresh()),
    watcher.onDidDelete(() => view.refresh()),
    vscode.workspace.onDidChangeWorkspaceFolders(() => view.refresh()),
    runs.onDidFinishRun((f) => {
      view.refresh();
      void compareWithBaseline(f, baselines, runs);
    }),
    vscode.commands.registerCommand('z6.history.refresh', () => view.refresh()),
    vscode.commands.registerCommand('z6.history.open', async (node?: HistoryNode, nodes?: HistoryNode[]) => {
      const r = runsOf(node, nodes)[0] ?? (await pick('The run to open'));
      const results = r && (await load(r.file));
      if (r && results) panel.show(`Z6: ${r.scenarioName ?? runLabel(r.file)} ${runTime(r.startedAt)}`, { results });
    }),
    vscode.commands.registerCommand('z6.history.compare', async (node?: HistoryNode, nodes?: HistoryNode[]) => {
      const selected = runsOf(node, nodes);
      if (selected.length > 2) {
        void vscode.window.showWarningMessage(`Z6: select two runs to compare (${selected.length} are selected).`);
        return;
      }
      const a = selected[0] ?? (await pick('The first run to compare'));
      const b = a && (selected[1] ?? (await pick(`Compare ${runTime(a.startedAt)} with…`, a)));
      if (a && b) await compare(a.file, b.file);
    }),
    vscode.commands.registerCommand('z6.history.compareWith', async (node?: HistoryNode, nodes?: HistoryNode[]) => {
      const a = runsOf(node, nodes)[0] ?? (await pick('The run to compare'));
      const b = a && (await pick(`Compare ${runTime(a.startedAt)} with…`, a));
      if (a && b) await compare(a.file, b.file);
    }),
    vscode.commands.registerCommand('z6.history.compareWithBaseline', async (node?: HistoryNode, nodes?: HistoryNode[]) => {
      const r = runsOf(node, nodes)[0];
      if (!r) {
        void vscode.window.showInformationMessage('Z6: select a run in the Z6 Runs view first.');
        return;
      }
      const base = baselines.get(r.scenarioKey);
      if (!base) void vscode.window.showInformationMessage('Z6: this scenario has no baseline yet. Choose a run and Set as Baseline.');
      else if (base === r.file) void vscode.window.showInformationMessage('Z6: this run is the baseline.');
      else await compare(base, r.file, true);
    }),
    vscode.commands.registerCommand('z6.history.setBaseline', async (node?: HistoryNode, nodes?: HistoryNode[]) => {
      const r = runsOf(node, nodes)[0];
      if (!r) {
        void vscode.window.showInformationMessage('Z6: select a run in the Z6 Runs view first.');
        return;
      }
      await baselines.set(r.scenarioKey, r.file);
      view.refresh();
      void vscode.window.showInformationMessage(`Z6: ${runLabel(r.file)} is the baseline of ${r.scenarioName ?? 'its scenario'}; later runs are compared with it.`);
    }),
    vscode.commands.registerCommand('z6.history.clearBaseline', async (node?: HistoryNode) => {
      const n = node ?? tree.selection[0];
      const key = n?.kind === 'run' || n?.kind === 'scenario' ? n.group.key : undefined;
      if (key === undefined) return;
      await baselines.clear(key);
      view.refresh();
    }),
  );
}

/** After a run of a scenario that has a baseline: the comparison on its panel, output and status bar. */
async function compareWithBaseline(f: FinishedRun, baselines: Baselines, runs: RunController): Promise<void> {
  const file = baselines.get(f.uri.fsPath);
  const self = join(f.dir, 'results.json');
  if (!file || file === self) return;
  const read = await readResultsFile(file);
  if (!read.ok) {
    runs.output.appendLine(`Baseline ${file} ${read.problem}: this run was not compared with it.`);
    return;
  }
  try {
    const comparison = compareResults(read.results, f.results, { labels: [runLabel(file), runLabel(self)] });
    runs.showBaselineComparison(f.results, comparison, formatComparison(comparison));
  } catch (e) {
    runs.output.appendLine(`This run could not be compared with its baseline ${file}: ${(e as Error).message}`);
  }
}
