/**
 * The position-aware TOML tree. Every node carries UTF-16 offsets into the source text, so
 * diagnostics, hovers and quick fixes can point at the exact key or value.
 */

export interface Span {
  start: number;
  end: number;
}

export type ScalarKind = 'string' | 'integer' | 'float' | 'boolean' | 'datetime';

export interface ScalarNode {
  type: 'scalar';
  kind: ScalarKind;
  /** Strings are unescaped; integers and floats are numbers; datetimes keep their source text. */
  value: string | number | boolean;
  span: Span;
}

export interface ArrayNode {
  type: 'array';
  items: ValueNode[];
  span: Span;
  /** True for the array behind `[[name]]` headers. */
  ofTables: boolean;
}

/** How a table came to exist; TOML forbids redefining some of them. */
export type TableOrigin = 'root' | 'header' | 'implicit' | 'dotted' | 'inline' | 'array-item';

export interface TableNode {
  type: 'table';
  origin: TableOrigin;
  entries: Map<string, Entry>;
  /** Braces of an inline table, the header line of a `[table]`, or the key of a dotted table. */
  span: Span;
  header?: HeaderNode;
}

export type ValueNode = ScalarNode | ArrayNode | TableNode;

export interface KeyPart {
  name: string;
  span: Span;
}

export interface Entry {
  key: string;
  keySpan: Span;
  value: ValueNode;
}

export interface HeaderNode {
  kind: 'table' | 'array-table';
  keys: KeyPart[];
  /** From `[` to `]` (or `]]`). */
  span: Span;
  /** Offset where the table's body ends: the start of the next header, or the end of the text. */
  bodyEnd: number;
  /** Resolved path, e.g. ['requests', 1] for the second `[[requests]]`. */
  path: (string | number)[];
  table: TableNode;
}

/** One `key = value` line as written, in document order (also those inside inline tables). */
export interface KeyValueStatement {
  keys: KeyPart[];
  /** null when the value is missing or broken (half-typed lines). */
  value: ValueNode | null;
  span: Span;
  /** The table the statement was written in (the header's table, or an inline table). */
  table: TableNode;
  /** The header whose body holds this statement, if any. */
  header: HeaderNode | null;
}

export interface TomlError {
  span: Span;
  message: string;
  /** For a key or table defined twice: where it was defined first. */
  related?: { span: Span; message: string };
}

export interface TomlDocument {
  text: string;
  root: TableNode;
  headers: HeaderNode[];
  statements: KeyValueStatement[];
  errors: TomlError[];
}

/** Plain JS value of a node (what a TOML library would return). */
export function toPlain(node: ValueNode): unknown {
  switch (node.type) {
    case 'scalar':
      return node.value;
    case 'array':
      return node.items.map(toPlain);
    case 'table': {
      const out: Record<string, unknown> = {};
      for (const [k, e] of node.entries) out[k] = toPlain(e.value);
      return out;
    }
  }
}
