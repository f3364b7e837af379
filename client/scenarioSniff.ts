/**
 * Does a plain `.toml` file look like a Z6 scenario? Pure functions (no `vscode`), so the rule is
 * unit-tested on its own: test/client/scenario-sniff.test.ts.
 */

/** Files that belong to other tools, whatever they contain. Compared lower-case. */
export const FOREIGN_TOML: ReadonlySet<string> = new Set([
  'cargo.toml', 'pyproject.toml', 'rustfmt.toml', '.rustfmt.toml', 'clippy.toml', '.clippy.toml',
  'rust-toolchain.toml', 'config.toml', 'netlify.toml', 'wrangler.toml', 'fly.toml', 'taplo.toml',
  '.taplo.toml', 'deno.toml', 'hugo.toml', 'book.toml', 'dprint.toml', 'ruff.toml', '.ruff.toml',
  'mypy.toml', 'uv.toml', 'pixi.toml', 'starship.toml', 'alacritty.toml', 'gitleaks.toml', 'typos.toml',
  '_typos.toml', 'deny.toml', 'cross.toml', 'trunk.toml', 'samconfig.toml',
]);

const REQUESTS_HEADER = /^[ \t]*\[\[[ \t]*requests[ \t]*\]\]/m;
const TARGET_HEADER = /^[ \t]*\[[ \t]*target[ \t]*\]/m;
/** Enough to see both headers in any real scenario without scanning a huge file. */
const SNIFF_CHARS = 64 * 1024;

/**
 * A file name that may be offered: ends in `.toml`, is not already `*.z6.toml` (a scenario by name),
 * and is not a well-known file of another tool.
 */
export function isOfferableTomlName(fileName: string): boolean {
  const base = fileName.toLowerCase();
  if (!base.endsWith('.toml') || base.endsWith('.z6.toml')) return false;
  return !FOREIGN_TOML.has(base);
}

/** A scenario has requests to send and a target to send them to: both headers, each at a line start. */
export function looksLikeScenario(text: string): boolean {
  const head = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  return REQUESTS_HEADER.test(head) && TARGET_HEADER.test(head);
}
