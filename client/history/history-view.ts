/**
 * "Z6 Runs" in the Explorer: each scenario that has runs, its runs newest first ("passed · p99
 * 12.3 ms · 285 req/s"), the baseline marked, and the results files that could not be read with
 * why. Reads the folders again when a run ends or a results.json changes (run-history.ts keeps what
 * it read, so that reads the new file only).
 */
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { Baselines } from './baselines';
import { runDescription, RunHistoryReader, type HistoryRoot, type RunHistory, type RunSummary, type ScenarioRuns, type SkippedFile } from './run-history';

export const HISTORY_VIEW_ID = 'z6.history';

export type HistoryNode =
  | { kind: 'scenario'; group: ScenarioRuns }
  | { kind: 'run'; run: RunSummary; group: ScenarioRuns }
  | { kind: 'older'; group: ScenarioRuns }
  | { kind: 'skipped'; files: SkippedFile[] }
  | { kind: 'unread'; count: number }
  | { kind: 'skippedFile'; file: SkippedFile };

/** Local date and time to the second: what tells runs of one scenario apart. */
export function runTime(startedAt: string): string {
  const d = new Date(startedAt);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** The run's folder name ("checkout-2026-11-24T10-00-00Z"), which names it in comparisons. */
export function runLabel(file: string): string {
  return basename(dirname(file));
}

function statusIcon(r: RunSummary): vscode.ThemeIcon {
  const failed = new vscode.ThemeColor('testing.iconFailed');
  if (r.status === 'error' || r.status === 'aborted') return new vscode.ThemeIcon('error', failed);
  if (r.status === 'cancelled') return new vscode.ThemeIcon('circle-slash');
  if (r.failedAssertions > 0) return new vscode.ThemeIcon('error', failed);
  return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
}

export class HistoryView implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly reader = new RunHistoryReader();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private history: RunHistory = { scenarios: [], skipped: [], unread: 0 };
  private reading?: Promise<RunHistory>;
  private stale = true;

  constructor(
    private readonly globalStorage: string,
    private readonly baselines: Baselines,
  ) {}

  /** Read the folders again (when VS Code next asks for the children). */
  refresh(): void {
    this.stale = true;
    this.changed.fire();
  }

  /** The listed runs (for quick picks): by scenario, the most recently run first, each newest first. */
  async runs(): Promise<RunSummary[]> {
    const h = await this.current();
    return h.scenarios.flatMap((g) => g.runs);
  }

  async getChildren(node?: HistoryNode): Promise<HistoryNode[]> {
    if (!node) {
      const h = await this.current();
      const top: HistoryNode[] = h.scenarios.map((group) => ({ kind: 'scenario', group }));
      if (h.skipped.length) top.push({ kind: 'skipped', files: h.skipped });
      if (h.unread) top.push({ kind: 'unread', count: h.unread });
      return top;
    }
    if (node.kind === 'scenario') {
      const runs: HistoryNode[] = node.group.runs.map((run) => ({ kind: 'run', run, group: node.group }));
      if (node.group.older) runs.push({ kind: 'older', group: node.group });
      return runs;
    }
    if (node.kind === 'skipped') return node.files.map((file) => ({ kind: 'skippedFile', file }));
    return [];
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    switch (node.kind) {
      case 'scenario': {
        const g = node.group;
        const item = new vscode.TreeItem(g.name ?? (g.file ? basename(g.file) : g.key.replace(/^name:/, '')), vscode.TreeItemCollapsibleState.Expanded);
        item.id = `scenario:${g.key}`;
        item.description = g.file ? vscode.workspace.asRelativePath(g.file) : undefined;
        item.tooltip = g.file ?? 'The results do not say which file this scenario was';
        item.iconPath = new vscode.ThemeIcon('beaker');
        item.contextValue = this.baselines.get(g.key) ? 'z6scenario:hasBaseline' : 'z6scenario';
        return item;
      }
      case 'run': {
        const r = node.run;
        const isBaseline = this.baselines.isBaseline(r.scenarioKey, r.file);
        const item = new vscode.TreeItem(runTime(r.startedAt), vscode.TreeItemCollapsibleState.None);
        item.id = `run:${r.file}`;
        item.description = `${isBaseline ? '★ baseline · ' : ''}${runDescription(r)}`;
        item.iconPath = statusIcon(r);
        item.resourceUri = vscode.Uri.file(r.file);
        item.tooltip = new vscode.MarkdownString().appendText(`${runLabel(r.file)}\n${runDescription(r)}\nerror rate ${(r.errorRate * 100).toFixed(2)} %\n${r.file}`);
        item.command = { command: 'z6.history.open', title: 'Open Run', arguments: [node] };
        item.contextValue = isBaseline ? 'z6run:baseline' : this.baselines.get(r.scenarioKey) ? 'z6run:hasBaseline' : 'z6run';
        return item;
      }
      case 'older': {
        const item = new vscode.TreeItem(`${node.group.older} older run${node.group.older === 1 ? '' : 's'} not listed`, vscode.TreeItemCollapsibleState.None);
        item.tooltip = 'Their folders are still in z6-results/.';
        return item;
      }
      case 'unread': {
        const item = new vscode.TreeItem(`${node.count} older results file${node.count === 1 ? '' : 's'} not read`, vscode.TreeItemCollapsibleState.None);
        item.tooltip = 'Only the newest results files are read for this list.';
        return item;
      }
      case 'skipped': {
        const n = node.files.length;
        const item = new vscode.TreeItem(`${n} results file${n === 1 ? '' : 's'} not read`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = 'skipped';
        item.iconPath = new vscode.ThemeIcon('warning');
        return item;
      }
      case 'skippedFile': {
        const item = new vscode.TreeItem(join(basename(dirname(node.file.file)), basename(node.file.file)), vscode.TreeItemCollapsibleState.None);
        item.description = node.file.reason;
        item.tooltip = `${node.file.file} ${node.file.reason}`;
        item.resourceUri = vscode.Uri.file(node.file.file);
        item.command = { command: 'vscode.open', title: 'Open File', arguments: [vscode.Uri.file(node.file.file)] };
        return item;
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
  }

  private current(): Promise<RunHistory> {
    if (this.stale || !this.reading) {
      this.stale = false;
      this.reading = this.reader.read(this.roots()).then(
        (h) => (this.history = h),
        () => this.history, // the reader does not throw on content; a folder it cannot list is no history
      );
    }
    return this.reading;
  }

  private roots(): HistoryRoot[] {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    return [
      ...folders.map((f) => ({ dir: join(f.uri.fsPath, 'z6-results'), base: f.uri.fsPath })),
      // Runs of scenarios outside the workspace (storage.ts), e.g. Try the Demo.
      { dir: join(this.globalStorage, 'results') },
    ];
  }
}
