/**
 * Finds the browser renderer bundle (dist/renderer.js + dist/renderer.css, built by
 * scripts/build.mjs). The same files serve the HTML report (inlined) and the editor's panel
 * (loaded by URI), so there is exactly one renderer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RendererAssets {
  js: string;
  css: string;
  dir: string;
}

/**
 * Where the bundle lives: next to the running bundle when we are dist/cli.js or
 * dist/extension.js; in <repo>/dist when running from source (tsx, tests).
 */
export function rendererDirCandidates(): string[] {
  return [__dirname, join(__dirname, '..', '..', 'dist'), join(__dirname, '..', 'dist')];
}

let cached: RendererAssets | undefined;

export function loadRendererAssets(): RendererAssets {
  if (cached) return cached;
  for (const dir of rendererDirCandidates()) {
    const jsPath = join(dir, 'renderer.js');
    const cssPath = join(dir, 'renderer.css');
    if (existsSync(jsPath) && existsSync(cssPath)) {
      // A `</script` inside the bundle would end the inline <script> early; the bundle is ours
      // and minified, but make it impossible rather than unlikely.
      const js = readFileSync(jsPath, 'utf8').replace(/<\/(script)/gi, '<\\/$1');
      const css = readFileSync(cssPath, 'utf8').replace(/<\/(style)/gi, '<\\/$1');
      cached = { js, css, dir };
      return cached;
    }
  }
  throw new Error(
    `the report renderer (renderer.js, renderer.css) was not found in ${rendererDirCandidates().join(', ')}; run \`node scripts/build.mjs\` first`,
  );
}
