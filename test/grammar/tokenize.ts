/**
 * Test helper: tokenizes text with the real syntaxes/z6.tmLanguage.json through vscode-textmate and the
 * Oniguruma WASM build VS Code itself uses, so the tests see exactly the scopes the editor would.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const GRAMMAR_PATH = join(root, 'syntaxes', 'z6.tmLanguage.json');
export const FIXTURES = join(root, 'test', 'grammar', 'fixtures');

export interface Token {
  text: string;
  scopes: string[];
  line: number;
}

let grammarPromise: Promise<textmate.IGrammar> | undefined;
let onigPromise: Promise<textmate.IOnigLib> | undefined;

/** The grammar, loaded once per test file. */
export function z6Grammar(): Promise<textmate.IGrammar> {
  grammarPromise ??= loadGrammar();
  return grammarPromise;
}

/** Oniguruma's WASM can be loaded once per process. */
function onigLib(): Promise<textmate.IOnigLib> {
  onigPromise ??= (async () => {
    const wasmPath = join(dirname(createRequire(import.meta.url).resolve('vscode-oniguruma')), 'onig.wasm');
    const wasm = readFileSync(wasmPath);
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return {
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    };
  })();
  return onigPromise;
}

/**
 * The grammar in a registry of its own; with a theme, tokenizeLine2 gives each token the colour
 * VS Code would paint it in (the theme's rules matched by vscode-textmate, as in the editor).
 */
export async function loadGrammar(theme?: textmate.IRawTheme): Promise<textmate.IGrammar & { colorMap: string[] }> {
  const registry = new textmate.Registry({
    onigLib: onigLib(),
    theme,
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.z6' ? textmate.parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) : null,
  });
  const grammar = await registry.loadGrammar('source.z6');
  if (!grammar) throw new Error('source.z6 did not load');
  return Object.assign(grammar, { colorMap: registry.getColorMap() });
}

/**
 * Tokenizes a whole document line by line, carrying the rule stack from one line to the next
 * (as the editor does), so multi-line strings, arrays and inline tables are seen whole.
 */
export async function tokenize(text: string): Promise<Token[][]> {
  const grammar = await z6Grammar();
  let stack = textmate.INITIAL;
  return text.split(/\r?\n/).map((line, lineNo) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return result.tokens
      .map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes, line: lineNo }))
      .filter((t) => t.text.length > 0);
  });
}

/** The n-th (0-based) token whose text is exactly `text`; throws with the whole line set if absent. */
export function tokenOf(lines: Token[][], text: string, nth = 0): Token {
  const hits = lines.flat().filter((t) => t.text === text);
  const hit = hits[nth];
  if (!hit) throw new Error(`no token #${nth} with text ${JSON.stringify(text)} in:\n${dump(lines)}`);
  return hit;
}

/** True if some scope on the token starts with `prefix` (TextMate selectors match by dotted prefix). */
export function hasScope(token: Token, prefix: string): boolean {
  return token.scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));
}

/** Readable listing of tokens, used in failure messages. */
export function dump(lines: Token[][]): string {
  return lines
    .map((ts, i) => `${i}: ` + ts.map((t) => `${JSON.stringify(t.text)} [${t.scopes.slice(1).join(' ')}]`).join('  '))
    .join('\n');
}

/** Asserts that the n-th token with this text carries `scope` (by dotted prefix); the message shows all tokens. */
export function assertScope(lines: Token[][], text: string, scope: string, nth = 0): void {
  const token = tokenOf(lines, text, nth);
  if (!hasScope(token, scope)) {
    throw new Error(`token ${JSON.stringify(text)} #${nth} has [${token.scopes.join(' ')}], expected ${scope}\n${dump(lines)}`);
  }
}

/** Asserts that the n-th token with this text does NOT carry `scope`. */
export function assertNoScope(lines: Token[][], text: string, scope: string, nth = 0): void {
  const token = tokenOf(lines, text, nth);
  if (hasScope(token, scope)) {
    throw new Error(`token ${JSON.stringify(text)} #${nth} has [${token.scopes.join(' ')}], did not expect ${scope}\n${dump(lines)}`);
  }
}
