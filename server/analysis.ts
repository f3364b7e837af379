/**
 * One analysis per document version: the tolerant TOML tree, the validator's diagnostics and the
 * scenario facts every feature needs (which request is where, which names the sequence uses).
 * Built lazily and cached by version, so a burst of requests after one keystroke parses once.
 */
import type { KnownEnv } from '../engine/scenario/check-templates';
import { checkData, type DataNames } from '../engine/scenario/check-data';
import { LineIndex, type Diagnostic } from '../engine/scenario/diagnostics';
import { DiagnosticSink } from '../engine/scenario/sink';
import type { FileKind } from '../engine/scenario/file-kind';
import type { HeaderNode, KeyValueStatement, ScalarNode, TableNode, TomlDocument, ValueNode } from '../engine/scenario/toml/ast';
import { sectionSpec, type KeySpec, type SectionSpec } from '../engine/scenario/schema';
import { parseToml } from '../engine/scenario/toml/parser';
import { requestName } from '../engine/scenario/check-rules';
import { runValidator } from './validation';

export interface RequestInfo {
  index: number;
  table: TableNode;
  header?: HeaderNode;
  /** The `name = "…"` string, when written as a string. */
  nameNode?: ScalarNode;
  /** The name reports use: the written name, else "METHOD path" (the engine's default). */
  name: string;
  weight: number;
  weightNode?: ScalarNode;
}

export interface NameRef {
  /** The `request = "…"` string in a [[sequence.steps]]. */
  node: ScalarNode;
  name: string;
}

export interface AnalyzeOptions {
  /** Absolute path of the file, so body_file/ca_bundle can be checked. */
  file?: string;
  fileKind?: (abs: string) => FileKind;
  /** The env names the workspace .env and the editor's environment set (validate.ts knownEnv). */
  knownEnv?: KnownEnv;
}

/**
 * Two tiers, each computed on first use: the tree (all that completion, hover and the outline need,
 * a few milliseconds) and the validator's diagnostics (the full check, several times dearer). A
 * completion right after a keystroke so never waits for validation.
 */
export class Analysis {
  private tree?: TomlDocument;
  private validated?: { doc: TomlDocument; diagnostics: Diagnostic[] };
  private data?: DataNames;
  private facts?: { requests: RequestInfo[]; sequenceRefs: NameRef[]; inlineOwner: Map<TableNode, KeyValueStatement> };

  constructor(readonly text: string, private readonly options: AnalyzeOptions = {}, diagnostics?: Diagnostic[]) {
    if (diagnostics) this.validated = { doc: parseToml(''), diagnostics };
  }

  get doc(): TomlDocument {
    this.tree ??= this.validated && this.validated.doc.text === this.text ? this.validated.doc : parseToml(this.text);
    return this.tree;
  }

  get diagnostics(): Diagnostic[] {
    this.validated ??= runValidator(this.text, this.options, this.tree);
    return this.validated.diagnostics;
  }

  /** The data files' columns, read from their headers (cached per file and mtime) on first use. */
  get dataNames(): DataNames {
    this.data ??= checkData(this.doc, new DiagnosticSink(new LineIndex(this.text), this.text), { file: this.options.file, fileKind: this.options.fileKind });
    return this.data;
  }

  /** True once the tree has been built (so reusing this analysis costs nothing). */
  get hasTree(): boolean {
    return this.tree !== undefined;
  }

  /** True once the diagnostics tier has been computed (for tests and the benchmark). */
  get isValidated(): boolean {
    return this.validated !== undefined;
  }

  private get f() {
    if (!this.facts) {
      const doc = this.doc;
      const inlineOwner = new Map<TableNode, KeyValueStatement>();
      for (const st of doc.statements) if (st.value?.type === 'table' && st.value.origin === 'inline') inlineOwner.set(st.value, st);
      this.facts = { requests: collectRequests(doc), sequenceRefs: collectSequenceRefs(doc), inlineOwner };
    }
    return this.facts;
  }

  get requests(): RequestInfo[] {
    return this.f.requests;
  }

  get sequenceRefs(): NameRef[] {
    return this.f.sequenceRefs;
  }

  /** For statements inside inline tables: the statement whose value is that inline table. */
  get inlineOwner(): Map<TableNode, KeyValueStatement> {
    return this.f.inlineOwner;
  }
}

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  return new Analysis(text, options);
}

function arrayItems(doc: TomlDocument, ...path: string[]): TableNode[] {
  let node: ValueNode | undefined = doc.root;
  for (const p of path) {
    if (node?.type === 'array' && node.items.length) node = node.items[node.items.length - 1];
    node = node?.type === 'table' ? node.entries.get(p)?.value : undefined;
  }
  if (node?.type !== 'array') return [];
  return node.items.filter((i): i is TableNode => i.type === 'table');
}

function scalarEntry(t: TableNode, key: string): ScalarNode | undefined {
  const v = t.entries.get(key)?.value;
  return v?.type === 'scalar' ? v : undefined;
}

function collectRequests(doc: TomlDocument): RequestInfo[] {
  return arrayItems(doc, 'requests').map((table, index) => {
    const nameNode = scalarEntry(table, 'name');
    const weightNode = scalarEntry(table, 'weight');
    const method = scalarEntry(table, 'method');
    const path = scalarEntry(table, 'path');
    const named = nameNode?.kind === 'string' ? (nameNode.value as string) : undefined;
    const w = weightNode && (weightNode.kind === 'integer' || weightNode.kind === 'float') ? (weightNode.value as number) : 1;
    return {
      index, table, header: table.header,
      nameNode: named !== undefined ? nameNode : undefined,
      // The engine's own default, so the editor shows the name reports will use.
      name: named ?? requestName({ method: method?.value, path: path?.value }),
      weight: Number.isFinite(w) && w >= 0 ? w : 0,
      weightNode: weightNode && typeof weightNode.value === 'number' ? weightNode : undefined,
    };
  });
}

function collectSequenceRefs(doc: TomlDocument): NameRef[] {
  const out: NameRef[] = [];
  for (const step of arrayItems(doc, 'sequence', 'steps')) {
    const node = scalarEntry(step, 'request');
    if (node?.kind === 'string') out.push({ node, name: node.value as string });
  }
  return out;
}

// ---- key paths: which schema entry a statement or header is about ----------------------------

/** Names of a header's keys, e.g. ['schedule', 'steps']. */
export function headerName(h: HeaderNode): string {
  return h.keys.map((k) => k.name).join('.');
}

/** The full dotted path of a statement's key: header keys, inline-table owners, then its own keys. */
export function statementPath(a: Analysis, st: KeyValueStatement, upToKey = st.keys.length): string[] {
  const own = st.keys.slice(0, upToKey).map((k) => k.name);
  const owner = a.inlineOwner.get(st.table);
  if (owner) return [...statementPath(a, owner), ...own];
  return [...(st.header ? st.header.keys.map((k) => k.name) : []), ...own];
}

export interface Resolved {
  section?: SectionSpec;
  key?: KeySpec;
  /** Path parts after the key, e.g. the header name in ['requests', 'headers', 'Accept']. */
  rest: string[];
}

/** Splits a path into the longest known section, the key in it, and what follows. */
export function resolvePath(path: string[]): Resolved {
  for (let n = Math.min(path.length, 2); n >= 1; n--) {
    const section = sectionSpec(path.slice(0, n).join('.'));
    if (!section) continue;
    const keyName = path[n];
    const key = keyName === undefined ? undefined : section.keys.find((k) => k.key === keyName);
    return { section, key, rest: key ? path.slice(n + 1) : path.slice(n) };
  }
  return { rest: path };
}

/** The header whose body holds `offset` (the last one that starts before it). */
export function headerAt(doc: TomlDocument, offset: number): HeaderNode | undefined {
  let lo = 0;
  let hi = doc.headers.length - 1;
  let found: HeaderNode | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (doc.headers[mid]!.span.start < offset) {
      found = doc.headers[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The `type` value of a table (schedule, think_time, sequence), when it is a string. */
export function typeOf(t: TableNode | undefined): string | undefined {
  const v = t?.entries.get('type')?.value;
  return v?.type === 'scalar' && typeof v.value === 'string' ? v.value : undefined;
}

/** A top-level table by name, when it is a table. */
export function topTable(doc: TomlDocument, name: string): TableNode | undefined {
  const v = doc.root.entries.get(name)?.value;
  return v?.type === 'table' ? v : undefined;
}

