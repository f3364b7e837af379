// `npm run package`: the production bundle, then the .vsix (dist/z6.vsix) with vsce from
// node_modules, so packaging works on a fresh clone without a global vsce. The editor tests
// install this package (scripts/test.mjs), as a user would, instead of the development folder.
import { spawnSync } from 'node:child_process';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

run(process.execPath, ['scripts/build.mjs', '--production']);
run(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--readme-path', 'docs/extension-readme.md',
  '--no-rewrite-relative-links', '--allow-missing-repository', '-o', 'dist/z6.vsix']);
