#!/usr/bin/env node
// The `z6` command: the bundled engine CLI (build it with `npm run build`).
try {
  require.resolve('../dist/cli.js');
} catch {
  console.error('z6: the CLI is not built yet; run `npm run build` in the z6 folder first.');
  process.exit(3);
}
require('../dist/cli.js').runCli();
