/**
 * Completion, hover and go-to-definition inside `{{ }}`, all from the one list of names in scope
 * (engine/templates/names.ts) and the workspace `.env` (server/env-files.ts). Values of secret
 * vars and of every environment variable are never shown: a secret var shows `***`, env names
 * show where they are set, never what to.
 */
import {
  CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Hover, type Location,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import { dataTemplateNames, extractedEarlier, stepOrder } from '../../engine/scenario/check-templates';
import type { Span } from '../../engine/scenario/toml/ast';
import { templateNames, type NameDefinition, type TemplateName, type TemplateNames } from '../../engine/templates/names';
import type { Analysis } from '../analysis';
import type { EnvFileNames } from '../env-files';
import { nameAt, templateStringAt, typingAt } from '../template-cursor';

/** What the features know about the environment of a document: its .env names and the editor's own. */
export interface EnvView {
  file?: EnvFileNames;
  /** Names the editor's environment sets (never values). */
  process: ReadonlySet<string>;
}

const namesCache = new WeakMap<Analysis, TemplateNames>();

/** The names of a document version, computed once per version. */
export function namesOf(a: Analysis): TemplateNames {
  let n = namesCache.get(a);
  if (!n) {
    n = templateNames(a.doc, dataTemplateNames(a.dataNames));
    namesCache.set(a, n);
  }
  return n;
}

/**
 * Completion inside `{{ }}`: undefined when the cursor is not in a template string at all (the
 * other completions apply), [] when it is in one but outside `{{ }}` or where no name fits.
 */
export function completeTemplate(a: Analysis, td: TextDocument, offset: number, env: EnvView): CompletionItem[] | undefined {
  const s = templateStringAt(a, offset);
  if (!s) return undefined;
  const t = typingAt(s);
  if (!t) return [];
  const range = { start: td.positionAt(t.replace.start), end: td.positionAt(t.replace.end) };
  if (t.kind === 'env') {
    return [...(env.file?.names.keys() ?? [])].map((name, i) => ({
      label: name, kind: CompletionItemKind.Variable, detail: `set in ${env.file!.file} (value hidden)`,
      sortText: String(i).padStart(4, '0'), textEdit: { range, newText: name },
    }));
  }
  const names = namesOf(a);
  const order = s.owner ? stepOrder(a.doc) : undefined;
  const items = names.all.map((n, i): CompletionItem => {
    const item: CompletionItem = {
      label: n.name, kind: KIND[n.kind], detail: n.detail,
      documentation: { kind: MarkupKind.Markdown, value: nameMarkdown(a, td, n) },
      sortText: String(i).padStart(4, '0'), textEdit: { range, newText: n.name },
    };
    // A name no earlier step extracts has no value here on a first pass (the checks warn): last.
    const defs = n.kind === 'extract' ? names.extracted.get(n.name) : undefined;
    if (defs && s.owner && !extractedEarlier(defs, s.owner.phase, s.owner.request, order)) {
      item.sortText = `9${item.sortText}`;
      item.detail = `${n.detail} · no earlier step extracts it`;
    }
    if (n.kind === 'builtin-function') {
      item.insertTextFormat = InsertTextFormat.Snippet;
      item.textEdit = { range, newText: n.builtin!.maxArgs > 0 ? `${n.name}($1)` : `${n.name}()` };
    } else if (n.kind === 'env-namespace') {
      item.textEdit = { range, newText: `${n.name}.` };
      // Open the list again for the names after `env.`.
      item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
    }
    return item;
  });
  // In the order the editor shows them.
  return items.sort((x, y) => (x.sortText! < y.sortText! ? -1 : 1));
}

const KIND: Record<TemplateName['kind'], CompletionItemKind> = {
  'var': CompletionItemKind.Variable,
  'extract': CompletionItemKind.Variable,
  'data': CompletionItemKind.Field,
  'builtin-value': CompletionItemKind.Constant,
  'builtin-function': CompletionItemKind.Function,
  'env-namespace': CompletionItemKind.Module,
};

export function hoverTemplate(a: Analysis, td: TextDocument, offset: number, env: EnvView): Hover | null | undefined {
  const s = templateStringAt(a, offset);
  if (!s) return undefined;
  const at = nameAt(s);
  if (!at) return null;
  const range = { start: td.positionAt(at.span.start), end: td.positionAt(at.span.end) };
  let value: string;
  if (at.kind === 'env') value = envMarkdown(at.name, env);
  else {
    const n = namesOf(a).byName.get(at.name);
    if (!n) return null;
    value = nameMarkdown(a, td, n);
  }
  return { contents: { kind: MarkupKind.Markdown, value }, range };
}

export function definitionTemplate(a: Analysis, td: TextDocument, offset: number, env: EnvView): Location[] | undefined {
  const s = templateStringAt(a, offset);
  if (!s) return undefined;
  const at = nameAt(s);
  if (!at) return [];
  if (at.kind === 'env') {
    const line = env.file?.names.get(at.name);
    if (line === undefined) return [];
    const p = { line, character: 0 };
    return [{ uri: pathToFileURL(env.file!.file).toString(), range: { start: p, end: p } }];
  }
  const n = namesOf(a).byName.get(at.name);
  const out: Location[] = [];
  for (const d of n?.definitions ?? []) {
    if (d.span) out.push({ uri: td.uri, range: spanRange(td, d.span) });
    else if (d.external) {
      const { file, line, start, end } = d.external;
      out.push({ uri: pathToFileURL(file).toString(), range: { start: { line, character: start }, end: { line, character: end } } });
    }
  }
  return out;
}

function spanRange(td: TextDocument, s: Span) {
  return { start: td.positionAt(s.start), end: td.positionAt(s.end) };
}

function nameMarkdown(a: Analysis, td: TextDocument, n: TemplateName): string {
  const where = (d: NameDefinition) => d.span ? `line ${td.positionAt(d.span.start).line + 1}` : d.external ? `${d.external.file}:${d.external.line + 1}` : '';
  switch (n.kind) {
    case 'var':
      return `**${n.name}**: \`[vars]\` entry (${where(n.definitions[0]!)})\n\nValue: ${code(n.detail)}${n.secret ? ' (secret: never shown, written as *** in every output)' : ''}`;
    case 'extract':
    case 'data':
      return `**${n.name}**: ${n.kind === 'extract' ? 'extracted value' : 'data column'}, set while the run goes\n\n`
        + n.definitions.map((d) => `- ${d.label} (${where(d)})`).join('\n')
        + (n.secret ? '\n\nSecret: written as *** in every output.' : '');
    case 'builtin-value':
    case 'builtin-function': {
      const b = n.builtin!;
      return `**${b.signature}**: built-in ${b.kind === 'function' ? 'function' : 'value'}\n\n${b.summary}\n\nExample:\n\`\`\`toml\n${b.example}\n\`\`\``;
    }
    case 'env-namespace':
      return `**env.NAME**: an environment variable of the run (\`z6 run --env NAME=…\`, \`--env-file\`, or the workspace .env from the editor). Values are secret: never shown, written as *** in every output.`;
  }
}

/** Inline code that survives backticks in the text (Markdown: a longer fence, padded). */
function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function envMarkdown(name: string, env: EnvView): string {
  const where: string[] = [];
  const line = env.file?.names.get(name);
  if (line !== undefined) where.push(`set in \`${env.file!.file}\` (line ${line + 1})`);
  if (env.process.has(name)) where.push("set in the editor's environment");
  const status = where.length ? where.join('; ') : `not set in ${env.file ? `\`${env.file.file}\`` : 'a workspace .env'} nor in the editor's environment: a run needs it (--env, --env-file or the environment)`;
  return `**env.${name}**: environment variable\n\n${status}\n\nThe value is secret: never shown here, written as *** in every output.`;
}
