/**
 * Checks the [[data]] entries beyond their keys: that the format can be told, that the file
 * reads (header and a first row; engine/data/header.ts reads only the start of the file, so a
 * large file validates fast), that each column is a usable variable name that clashes with
 * nothing ([vars], built-ins, another file's column), and that `columns` names real columns.
 * Returns the columns as dynamic names for the template checks; `complete` is false when a
 * file's columns could not be read (no scenario path, a file problem already reported): then
 * an unknown name in a template may be one of its columns and is not reported.
 */
import { isAbsolute, resolve, dirname } from 'node:path';
import { dataFormatOf } from '../data/format';
import { readDataHeader, type CellPlace } from '../data/header';
import { RESERVED_NAMES } from '../templates/builtins';
import type { DynamicVar } from '../templates/scope';
import type { FileKind } from './file-kind';
import type { DataFormat } from './model';
import { LIMITS, sectionSpec } from './schema';
import type { DiagnosticSink } from './sink';
import type { ArrayNode, Span, TableNode, TomlDocument, ValueNode } from './toml/ast';

type HeaderPlaces = (CellPlace | undefined)[];

export interface DataNames {
  dynamic: Map<string, DynamicVar>;
  complete: boolean;
  /**
   * Where each column comes from, for hover and go-to-definition (engine/templates/names.ts on
   * main takes them as `extra` names of kind 'data'): the file as written, its `file` value, and
   * the header cell in the data file when the header was read.
   */
  origins: Map<string, { file: string; span: Span; format: DataFormat; secret: boolean; external?: { file: string; line: number; start: number; end: number } }>;
}

const FORMATS = sectionSpec('data')!.keys.find((k) => k.key === 'format')!.values!;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkData(doc: TomlDocument, sink: DiagnosticSink, opts: { file?: string; fileKind?: (p: string) => FileKind }): DataNames {
  const out: DataNames = { dynamic: new Map(), complete: true, origins: new Map() };
  const data = doc.root.entries.get('data')?.value;
  if (data?.type !== 'array') return out;
  const vars = doc.root.entries.get('vars')?.value;
  const varKeys = vars?.type === 'table' ? vars.entries : undefined;
  /** Where each column name was first defined, for clashes between files. */
  const defined = new Map<string, { span: Span; file: string }>();
  const open = scheduleIsOpen(doc);
  for (const item of data.items) {
    if (item.type !== 'table') continue;
    const fileNode = str(item, 'file');
    const mode = str(item, 'mode');
    const onExhausted = item.entries.get('on_exhausted');
    if (onExhausted && (mode?.value ?? 'sequential') !== 'unique') {
      sink.add(onExhausted.keySpan, 'warning', 'not-applicable', `on_exhausted has no effect with mode = "${mode?.value ?? 'sequential'}" (it applies to mode = "unique")`,
        undefined, mode ? [{ span: mode.span, message: `the mode is "${mode.value}" here` }] : undefined);
    } else if (onExhausted && open && scalarValue(onExhausted.value) === 'stop_vu') {
      sink.add(onExhausted.value.span, 'warning', 'not-applicable', 'in the open model an arrival has no VU to stop: on_exhausted = "stop_vu" ends the run, as "stop_run" does');
    }
    if (!fileNode || fileNode.value.trim() === '') {
      out.complete = false;
      continue;
    }
    const name = fileNode.value;
    const formatNode = str(item, 'format');
    const format = formatNode && FORMATS.includes(formatNode.value) ? (formatNode.value as DataFormat) : formatNode ? undefined : dataFormatOf(name);
    if (format === undefined) {
      if (!formatNode) {
        sink.add(fileNode.span, 'error', 'data-format', `cannot tell the format of ${JSON.stringify(name)} from its extension (.csv, .json, .ndjson, .jsonl): add format = "csv", "json" or "ndjson"`);
      }
      out.complete = false;
      continue;
    }
    // The columns the file has: read from its start when the scenario's place on disk is known.
    let header: string[] | undefined;
    let places: HeaderPlaces | undefined;
    let abs: string | undefined;
    if (opts.file && opts.fileKind) {
      abs = isAbsolute(name) ? name : resolve(dirname(opts.file), name);
      // Missing files, FIFOs and devices are reported by the key check (format 'file').
      if (opts.fileKind(abs) === 'file') {
        const h = readDataHeader(abs, format);
        if ('error' in h) sink.add(fileNode.span, 'error', 'data-file', `data file ${name}: ${h.error.message}`);
        else {
          header = h.columns;
          places = h.places;
        }
      }
    }
    if (header !== undefined && header.length > LIMITS.dataColumns) {
      sink.add(fileNode.span, 'error', 'limit-exceeded', `data file ${name} has ${header.length} columns; at most ${LIMITS.dataColumns} are allowed`);
      header = undefined;
    }
    // The variables: the selected columns, else every column of the header.
    const selected = item.entries.get('columns')?.value;
    let names: { name: string; span: Span; listed: boolean }[];
    if (selected?.type === 'array' && !selected.ofTables) {
      names = listed(selected, header, name, sink);
    } else if (header !== undefined) {
      names = header.map((c) => ({ name: c, span: fileNode.span, listed: false }));
    } else {
      out.complete = false;
      continue;
    }
    const secret = item.entries.get('secret')?.value;
    const isSecret = secret?.type === 'scalar' && secret.value === true;
    const seen = new Set<string>();
    for (const n of names) {
      const where = n.listed ? '' : ` (rename it in the file, or leave it out with columns = [...])`;
      const column = `column '${n.name}' of ${name}`;
      if (seen.has(n.name)) {
        sink.add(n.span, 'error', 'duplicate-column', `${column} appears twice${n.listed ? ' in columns' : ' in the header'}`);
        continue;
      }
      seen.add(n.name);
      if (!NAME.test(n.name)) {
        sink.add(n.span, 'error', 'invalid-column', `${n.name === '' ? `a column of ${name} has no name` : `${column} cannot be a variable name: use letters, digits and _, not starting with a digit`}${where}`);
        continue;
      }
      if (RESERVED_NAMES.includes(n.name)) {
        sink.add(n.span, 'error', 'name-conflict', `${column} is a built-in name${where}`);
        continue;
      }
      const v = varKeys?.get(n.name);
      if (v) {
        sink.add(n.span, 'error', 'name-conflict', `${column} is also a [vars] entry: a name means one thing${where}`, undefined, [{ span: v.keySpan, message: `[vars] defines '${n.name}' here` }]);
        continue;
      }
      const first = defined.get(n.name);
      if (first) {
        sink.add(n.span, 'error', 'name-conflict', `${column} is also a column of ${first.file}: a name means one thing${where}`, undefined, [{ span: first.span, message: `${first.file} has '${n.name}'` }]);
        continue;
      }
      defined.set(n.name, { span: n.span, file: name });
      out.dynamic.set(n.name, { slot: out.dynamic.size, secret: isSecret, source: 'data' });
      const cell = places?.[header?.indexOf(n.name) ?? -1];
      out.origins.set(n.name, { file: name, span: fileNode.span, format, secret: isSecret, external: cell && abs ? { file: abs, ...cell } : undefined });
    }
  }
  return out;
}

/** The names in `columns`, each checked against the header when it is known. */
function listed(arr: ArrayNode, header: string[] | undefined, file: string, sink: DiagnosticSink): { name: string; span: Span; listed: boolean }[] {
  const out: { name: string; span: Span; listed: boolean }[] = [];
  for (const it of arr.items) {
    if (it.type !== 'scalar' || typeof it.value !== 'string') continue;
    if (header !== undefined && !header.includes(it.value)) {
      sink.add(it.span, 'error', 'unknown-column', `data file ${file} has no column '${it.value}'; its columns: ${header.map((c) => `'${c}'`).join(', ')}`);
      continue;
    }
    out.push({ name: it.value, span: it.span, listed: true });
  }
  return out;
}

function str(t: TableNode, key: string): { value: string; span: Span } | undefined {
  const v = t.entries.get(key)?.value;
  return v?.type === 'scalar' && v.kind === 'string' ? { value: v.value as string, span: v.span } : undefined;
}

function scalarValue(v: ValueNode): unknown {
  return v.type === 'scalar' ? v.value : undefined;
}

function scheduleIsOpen(doc: TomlDocument): boolean {
  const s = doc.root.entries.get('schedule')?.value;
  const t = s?.type === 'table' ? s.entries.get('type')?.value : undefined;
  return t?.type === 'scalar' && (t.value === 'arrival_rate' || t.value === 'ramp_arrival_rate');
}
