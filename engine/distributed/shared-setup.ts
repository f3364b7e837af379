/**
 * [[setup]] once per distributed run: segment 0 runs it and leaves what it extracted in the start
 * barrier's folder (`setup.json`) before it reports ready, so every other segment — which waits at
 * the barrier until segment 0 is there — finds it and runs its load with the same values, without
 * sending the setup requests again. Teardown runs in segment 0 only.
 *
 * The file holds the extracted values, secrets included (a login token is what setup is for): it
 * is created readable by its owner only, inside the run's own folder.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PhaseOutcome } from '../setup/phase';
import type { Var } from '../templates/scope';

const FILE = 'setup.json';

export function writeSharedSetup(dir: string, outcome: Pick<PhaseOutcome, 'vars' | 'failure'>): void {
  // Segment 0 writes this before it reaches the barrier, which is what creates the folder.
  mkdirSync(dir, { recursive: true });
  const file = join(dir, FILE);
  const text = JSON.stringify({ failure: outcome.failure, vars: [...outcome.vars] });
  writeFileSync(`${file}.partial`, text, { mode: 0o600 });
  renameSync(`${file}.partial`, file);
}

/** What segment 0's setup gave; an error when it is not there (segment 0 passes the barrier only after writing it). */
export function readSharedSetup(dir: string): { vars: Map<string, Var>; failure?: string } {
  let parsed: { failure?: string; vars: [string, Var][] };
  try {
    parsed = JSON.parse(readFileSync(join(dir, FILE), 'utf8'));
  } catch (e) {
    throw new Error(`segment 0 did not share its [[setup]] values in ${join(dir, FILE)}: ${(e as Error).message}`);
  }
  return { vars: new Map(parsed.vars), failure: parsed.failure ?? undefined };
}
