/**
 * The runs on disk, for the editor's history view: every results.json in the results folders
 * (client/run/storage.ts: <workspace>/z6-results/<scenario>-<time>/, else the extension's global
 * storage; the CLI's default <cwd>/z6-results/results.json too), read into short summaries and
 * grouped by scenario, newest first. A file that is not a complete results JSON (corrupt, half
 * written, another version) is skipped with the reason; nothing here throws on what it reads.
 * vscode-free: the view passes the folders in.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseResults, type ParsedResults } from '../../engine/metrics/parse-results';
import type { Results } from '../../engine/metrics/results-types';
import { ms, rate } from '../../engine/report/renderer/format';

export interface HistoryRoot {
  /** A results folder: z6-results/ of a workspace folder, or the global storage's results/. */
  dir: string;
  /** Where a relative scenario path in a results file is taken from (the workspace folder). */
  base?: string;
}

export interface RunSummary {
  /** The results.json, absolute. */
  file: string;
  /** Which scenario it is a run of: its absolute path, or "name:…" when the results do not say. */
  scenarioKey: string;
  scenarioFile?: string;
  scenarioName?: string;
  startedAt: string;
  status: Results['status'];
  assertions: number;
  failedAssertions: number;
  /** Whole-run p99 latency in ms; null without samples. */
  p99: number | null;
  rps: number;
  errorRate: number;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface ScenarioRuns {
  key: string;
  file?: string;
  name?: string;
  /** Newest first, at most the limit asked for. */
  runs: RunSummary[];
  /** Runs of this scenario beyond the limit. */
  older: number;
}

export interface RunHistory {
  /** The scenario with the newest run first. */
  scenarios: ScenarioRuns[];
  skipped: SkippedFile[];
  /** results.json files not read because there were more than maxFiles (the oldest by mtime). */
  unread: number;
}

export interface HistoryLimits {
  /** Runs listed per scenario (default 20). */
  perScenario?: number;
  /** results.json files read at most, the newest by modification time first (default 500). */
  maxFiles?: number;
}

/** Bigger than any results JSON z6 writes for a day-long run: not read into the editor's memory for a list. */
const MAX_RESULTS_BYTES = 64 * 1024 * 1024;

/** A results.json as a summary, or why it is not one (engine/metrics/parse-results.ts says what is wrong). */
export function summarize(file: string, parsed: ParsedResults, root: HistoryRoot): RunSummary | SkippedFile {
  if (!parsed.ok) return { file, reason: parsed.problem };
  const r = parsed.results;
  if (Number.isNaN(Date.parse(r.startedAt))) return { file, reason: `has a "startedAt" that is not a date (${JSON.stringify(r.startedAt).slice(0, 40)})` };
  const t = r.totals;
  const completed = t.succeeded + t.failed;
  const scenarioFile = typeof r.scenario.file === 'string' && r.scenario.file !== '' ? resolve(root.base ?? dirname(root.dir), r.scenario.file) : undefined;
  const scenarioName = typeof r.scenario.name === 'string' ? r.scenario.name : undefined;
  const assertions = r.assertions.filter((a) => typeof a === 'object' && a !== null);
  return {
    file,
    scenarioKey: scenarioFile ?? `name:${scenarioName ?? runStem(file)}`,
    scenarioFile,
    scenarioName,
    startedAt: r.startedAt,
    status: r.status,
    assertions: assertions.length,
    failedAssertions: assertions.filter((a) => a.pass !== true).length,
    p99: r.latency.count > 0 && typeof r.latency.p99 === 'number' ? r.latency.p99 : null,
    // The fields parseResults checks, as totals.rps and totals.errorRate are defined.
    rps: r.loadSeconds > 0 ? t.responses / r.loadSeconds : 0,
    errorRate: completed > 0 ? t.failed / completed : 0,
  };
}

/** "checkout" for .../checkout-2026-11-24T10-00-00Z-2/results.json (storage.ts's runDirName). */
function runStem(file: string): string {
  const dir = basename(dirname(file));
  return dir.replace(/-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z(-\d+)?$/, '') || dir;
}

function isSkipped(x: RunSummary | SkippedFile): x is SkippedFile {
  return 'reason' in x;
}

/** Newest first; the same start time (two runs in one second) by the later folder name. */
function newestFirst(a: RunSummary, b: RunSummary): number {
  return Date.parse(b.startedAt) - Date.parse(a.startedAt) || (b.file < a.file ? -1 : b.file > a.file ? 1 : 0);
}

interface Candidate {
  file: string;
  root: HistoryRoot;
  mtimeMs: number;
  size: number;
}

/**
 * Reads the history from the roots. Keeps what it read by file, modification time and size, so a
 * refresh after one more run reads that run only.
 */
export class RunHistoryReader {
  private readonly cache = new Map<string, { mtimeMs: number; size: number; entry: RunSummary | SkippedFile }>();

  async read(roots: readonly HistoryRoot[], limits: HistoryLimits = {}): Promise<RunHistory> {
    const perScenario = limits.perScenario ?? 20;
    const maxFiles = limits.maxFiles ?? 500;
    const candidates = (await Promise.all(roots.map((r) => this.candidates(r)))).flat();
    candidates.sort((a, b) => b.mtimeMs - a.mtimeMs);
    const read = candidates.slice(0, maxFiles);
    const entries = await Promise.all(read.map((c) => this.entry(c)));
    // Forget files that are gone.
    const live = new Set(read.map((c) => c.file));
    for (const f of this.cache.keys()) if (!live.has(f)) this.cache.delete(f);

    const skipped = entries.filter(isSkipped);
    const runs = entries.filter((e): e is RunSummary => !isSkipped(e)).sort(newestFirst);
    const groups = new Map<string, ScenarioRuns>();
    for (const run of runs) {
      let g = groups.get(run.scenarioKey);
      if (!g) groups.set(run.scenarioKey, (g = { key: run.scenarioKey, file: run.scenarioFile, name: run.scenarioName, runs: [], older: 0 }));
      if (g.runs.length < perScenario) g.runs.push(run);
      else g.older++;
    }
    // Groups were made in the order of their newest run: the most recently run scenario first.
    return { scenarios: [...groups.values()], skipped, unread: candidates.length - read.length };
  }

  /** results.json directly in the folder (the CLI's default --out) and in each run folder below it. */
  private async candidates(root: HistoryRoot): Promise<Candidate[]> {
    let names: string[];
    try {
      names = (await readdir(root.dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      return []; // no results folder (yet)
    }
    const files = [join(root.dir, 'results.json'), ...names.map((n) => join(root.dir, n, 'results.json'))];
    const found = await Promise.all(
      files.map(async (file): Promise<Candidate | undefined> => {
        try {
          const s = await stat(file);
          return s.isFile() ? { file, root, mtimeMs: s.mtimeMs, size: s.size } : undefined;
        } catch {
          return undefined; // a run folder without results (cancelled before any, or still running)
        }
      }),
    );
    return found.filter((c): c is Candidate => c !== undefined);
  }

  private async entry(c: Candidate): Promise<RunSummary | SkippedFile> {
    const cached = this.cache.get(c.file);
    if (cached && cached.mtimeMs === c.mtimeMs && cached.size === c.size) return cached.entry;
    const entry = summarize(c.file, await readResultsFile(c.file), c.root);
    this.cache.set(c.file, { mtimeMs: c.mtimeMs, size: c.size, entry });
    return entry;
  }
}

/** "passed · p99 12.3 ms · 285 req/s", for the view's description. */
export function runDescription(r: RunSummary): string {
  const how =
    r.status === 'error' ? 'error'
      : r.status === 'cancelled' ? 'cancelled'
        : r.status === 'aborted' ? 'aborted'
          : r.failedAssertions > 0 ? `${r.failedAssertions} of ${r.assertions} failed`
            : r.assertions > 0 ? 'passed' : 'done';
  return `${how} · p99 ${ms(r.p99)} · ${rate(r.rps)} req/s`;
}


/** A whole results.json, for the panel and the comparison; a problem says what is wrong with it. */
export async function readResultsFile(file: string): Promise<ParsedResults> {
  try {
    const s = await stat(file);
    if (s.size > MAX_RESULTS_BYTES) return { ok: false, problem: `is larger than ${MAX_RESULTS_BYTES / 1048576} MiB` };
    return parseResults(await readFile(file, 'utf8'));
  } catch (e) {
    return { ok: false, problem: `could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
}
