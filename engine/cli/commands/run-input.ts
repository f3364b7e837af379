/**
 * A finished run on disk, for `z6 diff` and `z6 report`. Today that is a results JSON; each kind
 * of input is one entry of INPUT_KINDS (how to recognise it from its first bytes, and how to turn
 * it into Results), so the event log becomes a second entry here and nothing else changes.
 * Problems come back as one line, `FILE: what is wrong`, for exit code 2.
 */
import type { Stats } from 'node:fs';
import { resolve } from 'node:path';
import type { Results } from '../../metrics/results-types';
import { parseResults } from '../../metrics/parse-results';
import { kindOf, readProblem, readRegularFile } from '../../scenario/file-kind';
import { displayPath } from '../format-diagnostics';

export type RunInput = { ok: true; file: string; kind: string; results: Results } | { ok: false; message: string };

interface InputKind {
  /** For messages: "a results JSON". */
  name: string;
  /** Whether the file's bytes are of this kind (checked in order; the last kind takes the rest). */
  sniff(bytes: Buffer): boolean;
  /** The run as Results, or the problem, worded to follow the file's name. */
  load(bytes: Buffer): { ok: true; results: Results } | { ok: false; problem: string };
}

const INPUT_KINDS: InputKind[] = [
  // The event log (issue 11) goes here, before the results JSON, with a sniff of its header.
  {
    name: 'a results JSON',
    sniff: () => true,
    load: (bytes) => (bytes.includes(0) ? { ok: false, problem: 'is a binary file, not a results JSON' } : parseResults(bytes.toString('utf8'))),
  },
];

/** A results JSON holds histograms and one sample per second; a day-long run is tens of MiB. */
const MAX_BYTES = 256 * 1048576;

function check(st: Stats): number {
  if (!st.isFile()) throw new Error(`is ${kindOf(st)}, not a results file`);
  if (st.size > MAX_BYTES) throw new Error(`is ${(st.size / 1048576).toFixed(0)} MiB; results files are read up to ${MAX_BYTES / 1048576} MiB`);
  return st.size;
}

export function readRunInput(path: string): RunInput {
  const file = resolve(path);
  const fail = (what: string): RunInput => ({ ok: false, message: `${displayPath(file)}: ${what}` });
  let bytes: Buffer;
  try {
    bytes = readRegularFile(file, check, readProblem);
  } catch (e) {
    return fail((e as Error).message);
  }
  const kind = INPUT_KINDS.find((k) => k.sniff(bytes))!;
  const loaded = kind.load(bytes);
  return loaded.ok ? { ok: true, file, kind: kind.name, results: loaded.results } : fail(loaded.problem);
}
