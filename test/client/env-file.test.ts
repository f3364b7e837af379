/**
 * Which .env the editor uses for a scenario (z6.envFile): the candidates, the file Run Scenario
 * passes to the engine as --env-file, and the names (never values) the language server reads.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { envFileArgs, runEnvFile } from '../../client/run/env-file';
import { envFileCandidates, folderOf } from '../../engine/templates/env-file';
import { envFileNames, EnvFiles } from '../../server/env-files';

test('candidates: beside the scenario, then the workspace root; absolute as is; empty is off', () => {
  assert.deepEqual(envFileCandidates(undefined, '/w/api/s.z6.toml', '/w'), ['/w/api/.env', '/w/.env']);
  assert.deepEqual(envFileCandidates('.env', '/w/s.z6.toml', '/w'), ['/w/.env'], 'the same place once');
  assert.deepEqual(envFileCandidates('conf/local.env', '/w/api/s.z6.toml', '/w'), ['/w/api/conf/local.env', '/w/conf/local.env']);
  assert.deepEqual(envFileCandidates('/etc/z6.env', '/w/api/s.z6.toml', '/w'), ['/etc/z6.env']);
  assert.deepEqual(envFileCandidates('', '/w/api/s.z6.toml', '/w'), []);
  assert.deepEqual(envFileCandidates('  ', '/w/api/s.z6.toml'), []);
  assert.deepEqual(envFileCandidates(undefined, '/w/api/s.z6.toml'), ['/w/api/.env'], 'no workspace: beside the scenario only');
  assert.equal(folderOf('/w/api/s.z6.toml', ['/x', '/w', '/w/api']), '/w/api');
  assert.equal(folderOf('/wx/s.z6.toml', ['/w']), undefined, 'a folder is a whole path prefix');
});

test('the run gets the first candidate that is a regular file, as --env-file', () => {
  const root = mkdtempSync(join(tmpdir(), 'z6-envfile-'));
  mkdirSync(join(root, 'api'));
  const scenario = join(root, 'api', 's.z6.toml');
  assert.equal(runEnvFile(scenario, undefined, root), undefined);
  assert.deepEqual(envFileArgs(undefined), []);
  writeFileSync(join(root, '.env'), 'A=1\n');
  assert.equal(runEnvFile(scenario, undefined, root), join(root, '.env'));
  writeFileSync(join(root, 'api', '.env'), 'A=2\n');
  assert.equal(runEnvFile(scenario, undefined, root), join(root, 'api', '.env'));
  assert.deepEqual(envFileArgs(join(root, 'api', '.env')), ['--env-file', join(root, 'api', '.env')]);
  assert.equal(runEnvFile(scenario, '', root), undefined, 'empty setting: off');
  // A FIFO named like the setting is skipped (opening it would block the run).
  execFileSync('mkfifo', [join(root, 'api', 'fifo.env')]);
  writeFileSync(join(root, 'fifo.env'), 'B=1\n');
  assert.equal(runEnvFile(scenario, 'fifo.env', root), join(root, 'fifo.env'));
  // The server sees the same file, and a FIFO is never opened there either.
  const files = new EnvFiles();
  files.folders = [root];
  files.setting = 'fifo.env';
  assert.deepEqual(files.forScenario(scenario), { file: join(root, 'fifo.env'), names: new Map([['B', 0]]) });
});

test('names as `z6 run --env-file` reads them, with their lines; empty values are unset', () => {
  const text = '# comment\nA=1\nexport B="two words"\nEMPTY=\nQUOTED="multi\nline"\n  SPACED = x \nA=again\n';
  assert.deepEqual([...envFileNames(text)], [['A', 7], ['B', 2], ['QUOTED', 4], ['SPACED', 6]]);
});
