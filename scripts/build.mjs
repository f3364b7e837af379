// Bundles the extension, the language server and the engine CLI with esbuild (see docs/architecture.md).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = {
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: !production,
  minify: production, logLevel: 'warning', legalComments: 'none',
};
/** Leaves an import of the matching module to run time, as `require(bundlePath)` next to the bundle. */
function separateBundle(filter, bundlePath) {
  return { name: 'separate-bundle', setup: (b) => b.onResolve({ filter }, () => ({ path: bundlePath, external: true })) };
}

const entries = [
  // The extension runs in VS Code's extension host: `vscode` is provided by it.
  { entryPoints: ['client/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['server/main.ts'], outfile: 'dist/server.js' },
  // The OpenTelemetry SDK (z6 run --otlp) is its own bundle, dist/otlp.js, loaded only when asked
  // for: inlined, it added ~35 ms (about 10 %) to the start of every z6 command.
  // tsx/cjs: resolved only when the engine runs from its sources (engine/workers/pool.ts), never in the bundle.
  { entryPoints: ['engine/cli/main.ts'], outfile: 'dist/cli.js', external: ['tsx/cjs'], plugins: [separateBundle(/live-metrics\/otlp$/, './otlp.js')] },
  { entryPoints: ['engine/live-metrics/otlp.ts'], outfile: 'dist/otlp.js' },
  // z6 run --workers: each worker thread loads this bundle (the engine without the CLI's commands).
  { entryPoints: ['engine/workers/worker.ts'], outfile: 'dist/worker.js' },
  // The results renderer runs in a browser (HTML report, editor webview): an IIFE that sets the
  // global Z6Renderer; its CSS (ours + uPlot's) lands next to it as dist/renderer.css. Always
  // minified and without a source map, because the HTML report inlines it.
  {
    entryPoints: ['engine/report/renderer/index.ts'], outfile: 'dist/renderer.js', platform: 'browser', format: 'iife',
    globalName: 'Z6Renderer', target: 'es2020', minify: true, sourcemap: false,
    banner: { js: '/* Z6 renderer. Includes uPlot, (c) 2025 Leon Sorokin, MIT License, https://github.com/leeoniya/uPlot */' },
  },
];
await Promise.all(entries.filter((e) => existsSync(e.entryPoints[0])).map((e) => esbuild.build({ ...common, ...e })));
