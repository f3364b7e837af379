/**
 * Drawing rows during a run. One DataRun per run holds the opened files and the cursors that all
 * VUs share (sequential, unique); each VU has a VuRows that draws one row per file per iteration
 * and writes its cells into the VU's template value slots (TemplateState.values).
 *
 * Which row (docs/run-semantics.md, "Data files"):
 * - sequential: cursor++ modulo the rows, one cursor for all VUs;
 * - unique: cursor++ while rows are left; then on_exhausted (wrap: as sequential);
 * - random: a hash of (seed, VU, iteration, file) — a pure function, so it does not depend on
 *   which earlier iterations drew (rows are drawn lazily) nor on other random draws;
 *   open model: (seed, arrival);
 * - per_vu: the VU's index modulo the rows (open model: the in-flight slot).
 *
 * In a segment (z6 run --segment i/n) the shared cursor is the segment's own, and its draws are
 * striped as its VUs are: its c-th draw is the whole run's draw i + c·n, so the segments take
 * disjoint rows (unique never hands a row to two segments) and together the rows one process takes.
 * random and per_vu follow the global VU (or arrival) index and need nothing.
 */
import { splitmix32 } from '../plan/prng';
import type { DataFileSpec } from '../scenario/model';
import type { DynamicVar } from '../templates/scope';
import type { DataFileStats } from '../metrics/results-types';
import { openDataFiles } from './open';
import type { DataSource } from './source';
import { globalIndex, WHOLE, type Segment } from '../segments/segment';

export type { DataFileStats };

/** The family of the data files' random draws (beside the plan's and the templates' streams). */
export const DATA_STREAMS = 0x3c6ef372 | 0;

export class FileDraw {
  readonly spec: DataFileSpec;
  readonly source: DataSource;
  readonly n: number;
  /** Per variable of this file: its column in the source's rows, and its value slot. */
  readonly cols: Int32Array;
  readonly slots: Int32Array;
  readonly names: string[];
  /** A unique file without wrap: no row is ever drawn twice. */
  private readonly once: boolean;
  private readonly seedLo: number;
  private readonly seedHi: number;
  /** The shared cursor (sequential, unique): draws handed out so far (this segment's). */
  cursor = 0;
  private readonly segment: Segment;
  drawn = 0;

  constructor(spec: DataFileSpec, dynamic: ReadonlyMap<string, DynamicVar>, seed: number, segment: Segment = WHOLE) {
    this.spec = spec;
    this.segment = segment;
    this.source = spec.source!;
    this.n = this.source.rowCount;
    this.names = spec.columns ?? [...this.source.columns];
    this.cols = Int32Array.from(this.names, (c) => this.source.columns.indexOf(c));
    this.slots = Int32Array.from(this.names, (c) => dynamic.get(c)!.slot);
    this.once = spec.mode === 'unique' && spec.onExhausted !== 'wrap';
    this.seedLo = seed >>> 0;
    this.seedHi = Math.floor(seed / 0x1_0000_0000) >>> 0;
  }

  /**
   * The row for this draw, or -1 when a unique file has none left. `vu` is the VU's index (open
   * model: its slot), `stream` what random rows follow: the VU, or 0 in the open model.
   */
  pick(vu: number, stream: number, iteration: number): number {
    let r: number;
    switch (this.spec.mode) {
      case 'sequential':
      case 'unique': {
        const draw = globalIndex(this.segment, this.cursor);
        if (this.once && draw >= this.n) return -1;
        this.cursor++;
        r = draw % this.n;
        break;
      }
      case 'random':
        r = randomRow(this.seedLo, this.seedHi, stream, iteration, this.spec.index, this.n);
        break;
      case 'per_vu':
        r = vu % this.n;
        break;
    }
    this.drawn++;
    return r;
  }

  stats(): DataFileStats {
    const s: DataFileStats = { file: this.spec.name, mode: this.spec.mode, rows: this.n, drawn: this.drawn };
    if (this.spec.mode === 'unique') {
      s.onExhausted = this.spec.onExhausted;
      s.exhausted = this.once && globalIndex(this.segment, this.cursor) >= this.n;
    }
    return s;
  }
}

/**
 * A uniform row in [0, n) from (seed, vu, iteration, file): a chain of splitmix32 mixes (each a
 * bijection on 32 bits), two words for a 53-bit fraction so the modulo bias is nil.
 */
export function randomRow(seedLo: number, seedHi: number, vu: number, iteration: number, file: number, n: number): number {
  let h = splitmix32(seedLo ^ DATA_STREAMS);
  h = splitmix32(h ^ seedHi);
  h = splitmix32(h ^ (vu >>> 0));
  h = splitmix32(h ^ (iteration >>> 0));
  h = splitmix32(h ^ (Math.floor(iteration / 0x1_0000_0000) >>> 0));
  h = splitmix32(h ^ file);
  const lo = splitmix32(h ^ 0x5bd1e995);
  const u = (h * 0x20_0000 + (lo >>> 11)) / 2 ** 53;
  return Math.floor(u * n);
}

/** The data files of one run (or one plan preview). */
export class DataRun {
  readonly files: FileDraw[];

  constructor(data: DataFileSpec[], dynamic: ReadonlyMap<string, DynamicVar>, seed: number, segment: Segment = WHOLE) {
    openDataFiles(data);
    this.files = data.map((d) => new FileDraw(d, dynamic, seed, segment));
  }

  /** `vu`: the VU's index (open model: the slot); `open`: random rows follow the arrival alone. */
  forVu(vu: number, open: boolean): VuRows {
    return new VuRows(this.files, vu, open);
  }

  stats(): DataFileStats[] {
    return this.files.map((f) => f.stats());
  }

  close(): void {
    for (const f of this.files) f.source.close();
  }
}

export class VuRows {
  /** The iteration whose rows are in the slots (-1: none yet). */
  iteration = -1;
  /** Per file: the row now in the slots (-1: none), so per_vu decodes its row once. */
  readonly rows: Int32Array;
  /** The file whose rows ran out at the last draw. */
  exhausted: FileDraw | null = null;
  /** Why a row drawn for this iteration could not be used (file, row, column: never a value); '' when all could. */
  problem = '';

  constructor(private readonly files: readonly FileDraw[], private readonly vu: number, private readonly open: boolean) {
    this.rows = new Int32Array(files.length).fill(-1);
  }

  /**
   * Draws this iteration's row of every file into `values`, once per iteration: later calls for
   * the same iteration keep the rows. False when a unique file has no row left (`exhausted`).
   */
  draw(iteration: number, values: (string | undefined)[]): boolean {
    if (iteration === this.iteration) return true;
    this.problem = '';
    for (let k = 0; k < this.files.length; k++) {
      const f = this.files[k]!;
      const r = f.pick(this.vu, this.open ? 0 : this.vu, iteration);
      if (r < 0) {
        this.exhausted = f;
        this.clear(f, values, k);
        return false;
      }
      if (r === this.rows[k]) continue;
      this.rows[k] = r;
      let cells: readonly (string | undefined)[];
      try {
        cells = f.source.row(r);
      } catch (e) {
        this.problem ||= `data file ${f.spec.name}: ${(e as Error).message}`;
        this.clear(f, values, k);
        continue;
      }
      for (let j = 0; j < f.slots.length; j++) {
        const v = cells[f.cols[j]!];
        values[f.slots[j]!] = v;
        if (v === undefined) this.problem ||= `data file ${f.spec.name}: row ${r + 1} has no value for '${f.names[j]}'`;
      }
    }
    this.iteration = iteration;
    return true;
  }

  private clear(f: FileDraw, values: (string | undefined)[], k: number): void {
    this.rows[k] = -1;
    for (let j = 0; j < f.slots.length; j++) values[f.slots[j]!] = undefined;
  }
}
