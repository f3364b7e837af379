/**
 * Completion: headers, keys, values and whole blocks, all from the key table, in documents that
 * are half typed (see cursor.ts for how the context is found).
 */
import {
  CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Range,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SCHEMA, sectionSpec, type KeySpec, type SectionSpec } from '../../engine/scenario/schema';
import type { Span, TableNode } from '../../engine/scenario/toml/ast';
import { headerAt, headerName, resolvePath, topTable, typeOf, type Analysis } from '../analysis';
import { cursorContext, type CursorContext } from '../cursor';
import { keyMarkdown, sectionMarkdown, typeText, valueMarkdown } from '../docs';
import { canonicalHeader, HEADER_DOCS, HEADER_VALUES } from '../http-headers';
import { esc, keySnippet, REQUEST_SNIPPETS, SCHEDULE_SNIPPETS, sectionSnippet } from '../snippets';
import { defaultText } from '../../engine/scenario/schema';
import { topStatements } from './shared';

/** `(` opens names for a built-in's arguments inside `{{ }}` (features/templates.ts). */
export const TRIGGER_CHARACTERS = ['[', '=', ' ', '"', '{', ',', '.', '('];

/**
 * The tree may be one version old (a completion right after a keystroke reuses it, see reuse.ts):
 * `view.text` is the current text and `view.shift` maps the old tree's offsets into it.
 */
export interface TextView {
  text: string;
  shift: (offset: number) => number;
}

export function complete(a: Analysis, td: TextDocument, offset: number, trigger?: string, view: TextView = { text: a.doc.text, shift: (o) => o }): CompletionItem[] {
  // `(` only means something inside `{{ }}`, which the server answers before coming here.
  if (trigger === '(') return [];
  const ctx = cursorContext(a.doc, topStatements(a), offset, view.text);
  // A space only opens the list right after `=` or inside `{ `; elsewhere it is just typing.
  if (trigger === ' ' && !(ctx.kind === 'value' && ctx.prefix === '' && !ctx.quote) && !(ctx.kind === 'key' && ctx.inInline && ctx.prefix === '')) return [];
  const range = (s: Span): Range => ({ start: td.positionAt(s.start), end: td.positionAt(s.end) });
  switch (ctx.kind) {
    case 'none':
      return [];
    case 'header':
      return headerItems(a, range(ctx.replace), true, ctx.array);
    case 'key':
      return keyItems(a, view, offset, ctx, range(ctx.replace));
    case 'value':
      return valueItems(a, td, view.text, ctx, range(ctx.replace));
  }
}

// ---- headers and blocks ------------------------------------------------------------------------

function presentSections(a: Analysis): Set<string> {
  const out = new Set<string>();
  for (const h of a.doc.headers) if (h.kind === 'table') out.add(headerName(h));
  for (const k of a.doc.root.entries.keys()) out.add(k);
  return out;
}

function headerItems(a: Analysis, range: Range, inHeader: boolean, arrayOnly = false): CompletionItem[] {
  const present = presentSections(a);
  const scheduleType = typeOf(topTable(a.doc, 'schedule'));
  const items: CompletionItem[] = [];
  SCHEMA.forEach((section, i) => {
    const parent = section.name.split('.')[0]!;
    if (section.kind === 'table' && section.name.includes('.') && sectionSpec(parent)?.kind === 'array') {
      // [requests.extract] and the like belong to the [[requests]] entry above them: offered once
      // there is one, and again for every entry.
      if (arrayOnly || !present.has(parent)) return;
    } else if (section.kind === 'table' && (present.has(section.name) || arrayOnly)) return;
    // [[schedule.steps]] only belongs to a steps schedule (or one whose type is not written yet).
    if (section.appliesTo && scheduleType && !section.appliesTo.includes(scheduleType)) return;
    const label = section.kind === 'array' ? `[[${section.name}]]` : `[${section.name}]`;
    items.push({
      label, kind: CompletionItemKind.Module, detail: section.summary,
      documentation: { kind: MarkupKind.Markdown, value: sectionMarkdown(section) },
      sortText: `${inHeader ? '0' : '5'}${String(i).padStart(2, '0')}${section.required ? 'a' : 'b'}`,
      filterText: inHeader ? label : section.name,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: sectionSnippet(section.name) },
    });
  });
  const blocks = [...REQUEST_SNIPPETS, ...(present.has('schedule') || arrayOnly ? [] : SCHEDULE_SNIPPETS)];
  blocks.forEach((b, i) => items.push({
    label: b.label, kind: CompletionItemKind.Snippet, detail: b.detail,
    documentation: { kind: MarkupKind.Markdown, value: '```toml\n' + b.body.replace(/\$\{\d+(?::([^}|]*))?\}|\$\{\d+\|([^,|]*)[^}]*\}|\$\d+/g, (_m, p1, p2) => p1 ?? p2 ?? '') + '\n```' },
    sortText: `${inHeader ? '1' : '6'}${String(i).padStart(2, '0')}`,
    filterText: inHeader ? b.label : b.label.replace(/[[\]]/g, ''),
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: b.body },
  }));
  return items;
}

// ---- keys --------------------------------------------------------------------------------------

function keyItems(a: Analysis, view: TextView, offset: number, ctx: Extract<CursorContext, { kind: 'key' }>, range: Range): CompletionItem[] {
  const text = view.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const onThisLine = (s: Span) => view.shift(s.start) >= lineStart && view.shift(s.start) <= lineEnd;

  if (ctx.table.length === 0) return ctx.lineStart && !ctx.hasEquals ? headerItems(a, range, false) : [];
  const resolved = resolvePath(ctx.table);
  if (!resolved.section) return [];

  if (resolved.key?.type === 'string-map' && resolved.rest.length === 0) {
    // Header names inside `headers = { … }`; the ones already written on this line are left out.
    const written = new Set<string>();
    const line = text.slice(lineStart, lineEnd);
    for (const m of line.matchAll(/([A-Za-z0-9_-]+|"[^"]*")\s*=/g)) written.add(m[1]!.replace(/"/g, '').toLowerCase());
    written.delete(ctx.prefix.toLowerCase());
    return Object.entries(HEADER_DOCS).filter(([h]) => !written.has(h.toLowerCase())).map(([h, doc], i) => ({
      label: h, kind: CompletionItemKind.Field, detail: 'HTTP request header',
      documentation: { kind: MarkupKind.Markdown, value: `**${h}**\n\n${doc}` },
      sortText: String(i).padStart(2, '0'),
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: ctx.hasEquals ? h : `${h} = "${HEADER_VALUES[h] ? `\${1|${HEADER_VALUES[h].map((v) => v.replace(/[\\$}|,]/g, (c) => '\\' + c)).join(',')}|}` : '$1'}"` },
    }));
  }
  if (resolved.key || resolved.rest.length) return [];

  const section = resolved.section;
  // By line start, which is the same offset in a reused older tree (the edit is on this line).
  const table = currentTable(a, lineStart, section);
  const present = new Set<string>();
  if (table) for (const [k, e] of table.entries) if (!onThisLine(e.keySpan)) present.add(k);
  const type = typeOf(table);
  const names = a.requests.map((r) => r.name);
  const items: CompletionItem[] = [];
  section.keys.forEach((spec, i) => {
    if (present.has(spec.key)) return;
    const applies = !spec.appliesTo || !type || spec.appliesTo.includes(type);
    if (!applies) return;
    items.push(keyItem(section, spec, i, range, ctx.hasEquals, names));
  });
  // On an empty line a new section may start as well; those sort after the keys.
  if (ctx.lineStart && !ctx.hasEquals && !ctx.inInline && ctx.table.length === section.name.split('.').length) items.push(...headerItems(a, range, false));
  return items;
}

function keyItem(section: SectionSpec, spec: KeySpec, i: number, range: Range, hasEquals: boolean, names: string[]): CompletionItem {
  const def = defaultText(spec);
  return {
    label: spec.key, kind: CompletionItemKind.Property,
    detail: `${typeText(spec)}${def !== undefined ? ` · default ${def}` : ''}${spec.required ? ' · required' : ''}`,
    documentation: { kind: MarkupKind.Markdown, value: keyMarkdown(section, spec) },
    sortText: `${spec.required ? '0' : '1'}${String(i).padStart(2, '0')}`,
    filterText: spec.key,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: hasEquals ? spec.key : keySnippet(spec, names) },
  };
}

/** The table whose body holds the cursor (the header's table), when it is this section's. */
function currentTable(a: Analysis, offset: number, section: SectionSpec): TableNode | undefined {
  const h = headerAt(a.doc, offset);
  if (h && headerName(h) === section.name) return h.table;
  return topTable(a.doc, section.name);
}

// ---- values ------------------------------------------------------------------------------------

function valueItems(a: Analysis, td: TextDocument, text: string, ctx: Extract<CursorContext, { kind: 'value' }>, range: Range): CompletionItem[] {
  const resolved = resolvePath(ctx.path);
  const { section, key } = resolved;
  if (!section || !key) return [];
  const afterEquals = text[td.offsetAt(range.start) - 1] === '=';
  const lead = afterEquals ? ' ' : '';
  const quoted = (v: string): string => (ctx.quote ? v : `${lead}"${v.replace(/["\\]/g, (c) => '\\' + c)}"`);

  if (key.type === 'string-map' && resolved.rest.length === 1) {
    const header = canonicalHeader(resolved.rest[0]!);
    const values = header ? HEADER_VALUES[header] ?? [] : [];
    return values.map((v, i) => ({
      label: v, kind: CompletionItemKind.Value, detail: `${header} value`, sortText: String(i).padStart(2, '0'),
      filterText: ctx.quote ? v : `"${v}`, textEdit: { range, newText: quoted(v) },
    }));
  }
  if (resolved.rest.length) return [];
  if (key.type === 'enum') {
    return (key.values ?? []).map((v, i) => ({
      label: `"${v}"`, kind: CompletionItemKind.EnumMember, detail: key.valueDocs?.[v],
      documentation: { kind: MarkupKind.Markdown, value: valueMarkdown(section, key, v) },
      sortText: String(i).padStart(2, '0'), filterText: ctx.quote ? v : `"${v}"`,
      textEdit: { range, newText: quoted(v) },
    }));
  }
  if (key.type === 'boolean' && !ctx.quote) {
    return ['true', 'false'].map((v, i) => ({
      label: v, kind: CompletionItemKind.Value, sortText: String(i), detail: key.default === (v === 'true') ? 'default' : undefined,
      textEdit: { range, newText: lead + v },
    }));
  }
  if (key.format === 'request-name') {
    const seen = new Set<string>();
    return a.requests.filter((r) => !seen.has(r.name) && seen.add(r.name)).map((r, i) => {
      const m = r.table.entries.get('method')?.value;
      const p = r.table.entries.get('path')?.value;
      const detail = [m?.type === 'scalar' ? m.value : 'GET', p?.type === 'scalar' ? p.value : ''].join(' ').trim();
      return {
        label: r.name, kind: CompletionItemKind.Reference, detail, sortText: String(i).padStart(4, '0'),
        filterText: ctx.quote ? r.name : `"${r.name}`, textEdit: { range, newText: quoted(r.name) },
      };
    });
  }
  if ((key.type === 'integer' || key.type === 'number') && key.default !== undefined && !ctx.quote && !ctx.inArray) {
    return [{ label: String(key.default), kind: CompletionItemKind.Value, detail: 'default', textEdit: { range, newText: lead + String(key.default) } }];
  }
  return [];
}
