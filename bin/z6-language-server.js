#!/usr/bin/env node
// The standalone language server for any LSP editor: `z6-language-server --stdio`.
try {
  require.resolve('../dist/server.js');
} catch {
  console.error('z6-language-server: not built yet; run `npm run build` in the z6 folder first.');
  process.exit(3);
}
// V8 flags can only be set when Node starts: run the server in a child with a larger young
// generation (big scenarios validate ~1.5x faster, see docs/performance-language-server.md).
// The child inherits stdin/stdout, so the editor talks to it directly.
const FLAG = '--max-semi-space-size=64';
if (!process.execArgv.includes(FLAG) && !process.env.Z6_LS_NO_REEXEC) {
  const { spawn } = require('node:child_process');
  const child = spawn(process.execPath, [FLAG, __filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  require('../dist/server.js').main();
}
