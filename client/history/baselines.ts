/**
 * The baseline of each scenario: the results.json a user chose with *Set as Baseline*, which later
 * runs of that scenario are compared with. Kept in the workspace's state (per workspace, not in
 * the repository), by scenario key (run-history.ts: the scenario's absolute path). vscode-free:
 * any store with VS Code Memento's get/update will do.
 */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const KEY = 'z6.history.baselines';

export class Baselines {
  constructor(private readonly state: StateStore) {}

  /** The baseline's results.json for a scenario, if one is set. */
  get(scenarioKey: string): string | undefined {
    return this.all()[scenarioKey];
  }

  isBaseline(scenarioKey: string, file: string): boolean {
    return this.get(scenarioKey) === file;
  }

  async set(scenarioKey: string, file: string): Promise<void> {
    await this.state.update(KEY, { ...this.all(), [scenarioKey]: file });
  }

  async clear(scenarioKey: string): Promise<void> {
    const { [scenarioKey]: _gone, ...rest } = this.all();
    await this.state.update(KEY, rest);
  }

  private all(): Record<string, string> {
    const v = this.state.get<unknown>(KEY);
    // Whatever another version wrote there: only string entries count.
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
}
