// The one test command (`npm test`): build, type-check, then every test file under test/ with
// node's own test runner, which prints the pass/fail counts at the end.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

// `npm test -- test/engine` runs only the files under the given paths.
const only = process.argv.slice(2);
const files = (only.length ? only : ['test']).flatMap((p) => (statSync(p).isDirectory() ? findTests(p) : [p]));

const e2e = files.some((f) => /e2e/.test(f));
const env = { ...process.env };
// The editor tests run the packaged extension, as users install it: package it first (the
// production bundle), unless Z6_E2E_VSIX names a package already. The development build below
// then replaces dist/ for the other tests; the .vsix keeps its own copy.
if (e2e && !env.Z6_E2E_VSIX) {
  run(process.execPath, ['scripts/package.mjs']);
  env.Z6_E2E_VSIX = resolve('dist/z6.vsix');
}
run(process.execPath, ['scripts/build.mjs']);
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']);
// The editor tests (test/e2e/, *e2e*.test.ts) need code-server and chromium; the setup script installs
// them once into .cache/vscode-e2e/ and returns at once when they are there.
if (e2e) run('bash', ['scripts/setup-e2e.sh']);
run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { env });
