/**
 * `z6 demo`: the whole product in one command, on any machine, with no target of your own.
 * Starts the demo server on a free port, runs examples/demo.z6.toml against it (~12 s: a
 * steps schedule, weighted requests, think time, assertions) and writes results.json and
 * report.html into z6-results/.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './run';

export const DEMO_USAGE = 'z6 demo [run options]';
export const DEMO_DETAILS = 'Takes the options of `z6 run` (see `z6 run --help`), e.g. --out DIR, --seed N, --quiet.';

/** The demo scenario ships next to the bundle's package: <root>/examples/demo.z6.toml. */
export function demoScenarioPath(): string | undefined {
  const candidates = [join(__dirname, '..', 'examples', 'demo.z6.toml'), join(__dirname, '..', '..', '..', 'examples', 'demo.z6.toml'), join(process.cwd(), 'examples', 'demo.z6.toml')];
  return candidates.find((p) => existsSync(p));
}

export async function demoCommand(args: string[]): Promise<number> {
  const file = demoScenarioPath();
  if (!file) {
    console.error('z6 demo: examples/demo.z6.toml was not found next to the z6 installation');
    return 3;
  }
  // --demo starts the target, points the scenario at it and writes z6-results/ (or --out).
  return runCommand([file, '--demo', ...args]);
}
