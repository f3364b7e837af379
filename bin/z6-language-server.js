#!/usr/bin/env node
// The standalone language server for any LSP editor: `z6-language-server --stdio`.
try {
  require.resolve('../dist/server.js');
} catch {
  console.error('z6-language-server: not built yet; run `npm run build` in the z6 folder first.');
  process.exit(3);
}
require('../dist/server.js').main();
