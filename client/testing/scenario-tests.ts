/**
 * Scenarios in VS Code's Testing view: each *.z6.toml of the workspace (and any open z6 document)
 * is a test item, each assertion it declares a child placed on its key (engine/report/
 * assertion-places.ts). Running items runs their scenarios one after another through the editor's
 * own run path (RunController: same checks, engine child process, panel, problems), then marks each
 * assertion passed or failed with expected and actual at its line (outcomes.ts). Cancelling the test
 * run cancels the engine run; a run that cannot start or ends with an error marks its items errored.
 */
import * as vscode from 'vscode';
import { assertionId, declaredAssertions, type DeclaredAssertion } from '../../engine/report/assertion-places';
import { formatSummary } from '../../engine/report/summary';
import type { RunController, RunEnd } from '../run/controller';
import { runOutcomes, type AssertionOutcome } from './outcomes';

const SCENARIO_GLOB = '**/*.z6.toml';
/** Results and dependencies hold no scenarios the user wants listed. */
const EXCLUDE_GLOB = '**/{node_modules,z6-results,.git}/**';
/** Bigger than any real scenario: such a file is listed but not parsed for its assertions. */
const MAX_SCENARIO_BYTES = 2 * 1024 * 1024;
const EDIT_DEBOUNCE_MS = 300;

/** Offsets of the text as positions, without opening it as a document (which would start its language server work). */
function positions(text: string): (offset: number) => vscode.Position {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return new vscode.Position(lo, offset - starts[lo]!);
  };
}

function assertionLabel(d: DeclaredAssertion): string {
  if (!d.scope) return d.key;
  return d.scope.check !== undefined ? `${d.scope.request} › check "${d.scope.check}" pass_rate_min` : `${d.scope.request} › ${d.key}`;
}

export class ScenarioTests implements vscode.Disposable {
  private readonly ctrl = vscode.tests.createTestController('z6', 'Z6 Load Tests');
  private readonly subscriptions: vscode.Disposable[] = [this.ctrl];
  private readonly pendingEdits = new Map<string, NodeJS.Timeout>();
  private profile?: vscode.TestRunProfile;

  constructor(private readonly runs: RunController) {
    this.ctrl.resolveHandler = async (item) => {
      if (!item) await this.discover();
      else await this.resolveChildren(item);
    };
    this.ctrl.refreshHandler = async () => {
      this.ctrl.items.replace([]);
      await this.discover();
    };
    // A run sends load: no run button in an untrusted workspace (the tests are still listed).
    if (vscode.workspace.isTrusted) this.addProfile();
    const watcher = vscode.workspace.createFileSystemWatcher(SCENARIO_GLOB);
    this.subscriptions.push(
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.addProfile()),
      watcher,
      watcher.onDidCreate((uri) => this.upsert(uri)),
      watcher.onDidChange((uri) => {
        const item = this.ctrl.items.get(uri.toString());
        // An open document's children follow its text (edits), not the disk.
        if (item && !this.openDocument(uri)) void this.resolveChildren(item);
      }),
      watcher.onDidDelete((uri) => this.ctrl.items.delete(uri.toString())),
      vscode.workspace.onDidOpenTextDocument((doc) => this.documentOpened(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => this.documentEdited(e.document)),
    );
    vscode.workspace.textDocuments.forEach((doc) => this.documentOpened(doc));
  }

  dispose(): void {
    for (const t of this.pendingEdits.values()) clearTimeout(t);
    this.subscriptions.forEach((s) => s.dispose());
  }

  private addProfile(): void {
    if (this.profile) return;
    this.profile = this.ctrl.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.runTests(request, token), true);
    this.subscriptions.push(this.profile);
  }

  private async discover(): Promise<void> {
    const files = await vscode.workspace.findFiles(SCENARIO_GLOB, EXCLUDE_GLOB);
    for (const uri of files) this.upsert(uri);
  }

  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  }

  /** The item of a scenario, made when missing. */
  private upsert(uri: vscode.Uri): vscode.TestItem {
    const existing = this.ctrl.items.get(uri.toString());
    if (existing) return existing;
    const item = this.ctrl.createTestItem(uri.toString(), uri.path.split('/').pop() ?? uri.path, uri);
    item.canResolveChildren = true;
    item.range = new vscode.Range(0, 0, 0, 0);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (folder) {
      const rel = vscode.workspace.asRelativePath(uri, false);
      const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
      if (dir) item.description = dir;
    }
    this.ctrl.items.add(item);
    return item;
  }

  private documentOpened(doc: vscode.TextDocument): void {
    // Any z6 document, also a plain .toml the user treats as a scenario; its assertions at once,
    // so the editor's gutter shows their run buttons.
    if (doc.languageId !== 'z6' || doc.uri.scheme !== 'file') return;
    this.setChildren(this.upsert(doc.uri), doc.getText());
  }

  private documentEdited(doc: vscode.TextDocument): void {
    if (doc.languageId !== 'z6' || doc.uri.scheme !== 'file') return;
    const key = doc.uri.toString();
    clearTimeout(this.pendingEdits.get(key));
    this.pendingEdits.set(key, setTimeout(() => {
      this.pendingEdits.delete(key);
      const item = this.ctrl.items.get(key);
      if (item) this.setChildren(item, doc.getText());
    }, EDIT_DEBOUNCE_MS));
  }

  private async resolveChildren(item: vscode.TestItem): Promise<void> {
    if (!item.uri) return;
    const doc = this.openDocument(item.uri);
    if (doc) {
      this.setChildren(item, doc.getText());
      return;
    }
    try {
      const stat = await vscode.workspace.fs.stat(item.uri);
      if (stat.size > MAX_SCENARIO_BYTES) throw new Error(`larger than ${MAX_SCENARIO_BYTES / 1048576} MiB`);
      this.setChildren(item, Buffer.from(await vscode.workspace.fs.readFile(item.uri)).toString('utf8'));
    } catch (e) {
      item.error = `Could not read the scenario: ${(e as Error).message}`;
    }
  }

  private setChildren(item: vscode.TestItem, text: string): void {
    const at = positions(text);
    item.error = undefined;
    item.children.replace(
      declaredAssertions(text).map((d) => {
        const child = this.ctrl.createTestItem(`${item.id}#${d.id}`, assertionLabel(d), item.uri);
        child.range = new vscode.Range(at(d.span.start), at(d.span.end));
        return child;
      }),
    );
  }

  /** The scenarios a request covers: an assertion stands for its scenario (the whole scenario runs). */
  private scenariosOf(request: vscode.TestRunRequest): vscode.TestItem[] {
    const out = new Map<string, vscode.TestItem>();
    const excluded = new Set((request.exclude ?? []).map((t) => t.id));
    const add = (t: vscode.TestItem) => {
      const scenario = t.parent ?? t;
      if (!excluded.has(scenario.id)) out.set(scenario.id, scenario);
    };
    if (request.include) request.include.forEach(add);
    else this.ctrl.items.forEach(add);
    return [...out.values()];
  }

  private async runTests(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.ctrl.createTestRun(request);
    try {
      for (const scenario of this.scenariosOf(request)) {
        if (token.isCancellationRequested) {
          this.mark(run, scenario, { state: 'skipped' });
          continue;
        }
        await this.runScenario(run, scenario, token);
      }
    } finally {
      run.end();
    }
  }

  private async runScenario(run: vscode.TestRun, scenario: vscode.TestItem, token: vscode.CancellationToken): Promise<void> {
    await this.resolveChildren(scenario);
    const children: vscode.TestItem[] = [];
    scenario.children.forEach((c) => children.push(c));
    run.started(scenario);
    children.forEach((c) => run.started(c));
    const cancel = token.onCancellationRequested(() => {
      if (this.runs.running) this.runs.cancel();
    });
    let end: RunEnd;
    try {
      end = await this.runs.run(scenario.uri);
    } finally {
      cancel.dispose();
    }
    if (!end.started || !end.outcome.results) {
      const reason = !end.started ? `The run did not start: ${end.reason}` : `The run failed: ${end.outcome.error?.message ?? `the engine exited with code ${end.outcome.exitCode}`}`;
      this.mark(run, scenario, { state: 'errored', message: reason });
      return;
    }
    const r = end.outcome.results;
    run.appendOutput(`${formatSummary(r).replace(/\r?\n/g, '\r\n')}\r\n\r\n`, undefined, scenario);
    const ids = children.map((c) => c.id.slice(scenario.id.length + 1));
    const outcomes = runOutcomes(r, ids);
    // Each message at its assertion's key: the items follow the text the run saved.
    children.forEach((child, i) => this.markOne(run, child, outcomes.assertions.get(ids[i]!)!, child.range));
    this.markOne(run, scenario, outcomes.scenario, undefined, r.durationSeconds * 1000);
    // Assertions the run judged that have no item (written since the items were listed) go in the scenario's output.
    const unlisted = r.assertions.filter((a) => !ids.includes(assertionId(a)) && !a.pass);
    if (unlisted.length) run.appendOutput(`Failed assertions not listed: ${unlisted.map((a) => assertionId(a)).join(', ')}\r\n`, undefined, scenario);
  }

  /** A scenario and all its assertions in one state (could not run, cancelled before its turn). */
  private mark(run: vscode.TestRun, scenario: vscode.TestItem, o: AssertionOutcome): void {
    this.markOne(run, scenario, o);
    scenario.children.forEach((c) => this.markOne(run, c, o));
  }

  private markOne(run: vscode.TestRun, item: vscode.TestItem, o: AssertionOutcome, range?: vscode.Range, duration?: number): void {
    const message = (): vscode.TestMessage => {
      const m = o.state === 'failed' && o.expected !== undefined
        ? vscode.TestMessage.diff(o.message ?? '', o.expected, o.actual ?? '')
        : new vscode.TestMessage(o.message ?? '');
      if (range && item.uri) m.location = new vscode.Location(item.uri, range);
      return m;
    };
    if (o.state === 'passed') run.passed(item, duration);
    else if (o.state === 'failed') run.failed(item, message(), duration);
    else if (o.state === 'errored') run.errored(item, message(), duration);
    else run.skipped(item);
  }
}
