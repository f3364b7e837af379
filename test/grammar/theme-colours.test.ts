/**
 * Keys and string values must not look alike in VS Code's default themes (issue 10: in Light
 * Modern both were red, because `support.type.property-name` is red there, next to the dark red of
 * strings). The themes are the real ones code-server ships (scripts/setup-e2e.sh installs it),
 * resolved as VS Code does — each theme's `include` first, its own token rules after — and matched
 * by vscode-textmate against what our grammar produces, so the colours are the ones the editor paints.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import type { IRawTheme } from 'vscode-textmate';
import { E2E_HOME } from '../../e2e/install';
import { loadGrammar } from './tokenize';

const THEMES = join(E2E_HOME, 'node_modules', 'code-server', 'lib', 'vscode', 'extensions', 'theme-defaults', 'themes');

interface ThemeFile {
  include?: string;
  colors?: Record<string, string>;
  tokenColors?: IRawTheme['settings'];
}

/** A theme with its include chain flattened: the included theme's rules first, so the theme's own win. */
function resolveTheme(file: string): { rules: IRawTheme['settings']; colors: Record<string, string>; chain: string[] } {
  const theme = JSON.parse(readFileSync(file, 'utf8')) as ThemeFile;
  const base = theme.include ? resolveTheme(join(dirname(file), theme.include)) : { rules: [], colors: {}, chain: [] };
  return {
    rules: [...base.rules, ...(theme.tokenColors ?? [])],
    colors: { ...base.colors, ...theme.colors },
    chain: [...base.chain, file.split('/').pop()!],
  };
}

/**
 * The colour of each token of one line, as "text → #RRGGBB". Neighbours of one colour come as one
 * token (vscode-textmate merges them, as the editor does): a string with its quotes.
 */
async function colours(themeFile: string, line: string): Promise<Map<string, string>> {
  const theme = resolveTheme(join(THEMES, themeFile));
  // As VS Code does: the editor's foreground is the default for text no rule colours.
  const raw: IRawTheme = { settings: [{ settings: { foreground: theme.colors['editor.foreground'] ?? '#000000' } }, ...theme.rules] };
  const grammar = await loadGrammar(raw);
  const { tokens } = grammar.tokenizeLine2(line, null);
  const out = new Map<string, string>();
  for (let i = 0; i < tokens.length; i += 2) {
    const start = tokens[i]!;
    const end = i + 2 < tokens.length ? tokens[i + 2]! : line.length;
    // The foreground index in vscode-textmate's token metadata (EncodedTokenAttributes: bits 15–23).
    const fg = (tokens[i + 1]! & 0x00ff8000) >>> 15;
    out.set(line.slice(start, end), grammar.colorMap[fg]!);
  }
  return out;
}

/** Hue (degrees), saturation and lightness (0–1) of #RRGGBB. */
function hsl(hex: string): { h: number; s: number; l: number } {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  if (d === 0) return { h: 0, s: 0, l };
  const s = d / (1 - Math.abs(2 * l - 1));
  const h = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return { h: h * 60, s, l };
}

/**
 * Whether two colours are told apart at a glance: hues at least 45° apart (both coloured), or
 * lightness 30 points apart. #E50000 and #A31515, Light Modern's old key and string, are both red
 * (0° and 0°, lightness 45 and 36): different hex codes, the same colour to a reader.
 */
function distinct(a: string, b: string): boolean {
  const x = hsl(a);
  const y = hsl(b);
  const hue = Math.min(Math.abs(x.h - y.h), 360 - Math.abs(x.h - y.h));
  return (x.s > 0.25 && y.s > 0.25 && hue >= 45) || Math.abs(x.l - y.l) >= 0.3;
}

/** The colour of the token that holds `text`. */
function colourOf(c: Map<string, string>, text: string): string {
  const hit = [...c].find(([t]) => t.includes(text));
  assert.ok(hit, `no token holds ${JSON.stringify(text)}: ${[...c].map(([t, v]) => `${JSON.stringify(t)} ${v}`).join(', ')}`);
  return hit[1];
}

const LINE = `base_url = "http://127.0.0.1:8080"`;
const QUOTED = `headers = { "Content-Type" = "application/json" }`;

describe('key and string colours in VS Code\'s default themes', { skip: !existsSync(THEMES) && `code-server's themes are not installed (${THEMES}); run bash scripts/setup-e2e.sh` }, () => {
  test('Light Modern follows its include chain to Light+ and Light (Visual Studio)', () => {
    assert.deepEqual(resolveTheme(join(THEMES, 'light_modern.json')).chain, ['light_vs.json', 'light_plus.json', 'light_modern.json']);
  });

  for (const theme of ['light_modern.json', 'dark_modern.json', 'light_plus.json', 'dark_plus.json']) {
    test(`${theme}: a key and its string value look different`, async () => {
      const c = await colours(theme, LINE);
      const key = colourOf(c, 'base_url');
      const value = colourOf(c, 'http://127.0.0.1:8080');
      assert.ok(distinct(key, value), `key ${key} and string ${value} look alike`);
      // The theme has a rule for it: not left in the default text colour.
      const text = resolveTheme(join(THEMES, theme)).colors['editor.foreground']?.toUpperCase();
      assert.notEqual(key, text, `the key is painted in plain text colour ${text}`);

      const q = await colours(theme, QUOTED);
      assert.ok(distinct(colourOf(q, 'Content-Type'), colourOf(q, 'application/json')), 'a quoted key and a string look alike');
      assert.equal(colourOf(q, 'Content-Type'), key, 'a quoted key is coloured as a bare one');
    });
  }
});
