import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DIAGNOSTIC_CODES, renderFormatReference } from '../../engine/scenario/format-reference';
import { SCHEMA } from '../../engine/scenario/schema';

const doc = readFileSync(join(__dirname, '../../docs/scenario-format.md'), 'utf8');

test('docs/scenario-format.md documents every key of the table', () => {
  for (const section of SCHEMA) {
    const title = section.kind === 'array' ? `## [[${section.name}]]` : `## [${section.name}]`;
    const start = doc.indexOf(`${title}\n`);
    assert.notEqual(start, -1, `section ${title} missing`);
    const end = doc.indexOf('\n## ', start + 1);
    const body = doc.slice(start, end === -1 ? undefined : end);
    for (const k of section.keys) assert.ok(body.includes(`| \`${k.key}\` |`), `${section.name}.${k.key} missing from the reference`);
  }
});

test('docs/scenario-format.md is up to date with the table (npm run docs)', () => {
  assert.equal(doc, renderFormatReference());
});

test('every diagnostic code the validator uses is documented', () => {
  const src = ['check-schema.ts', 'check-rules.ts', 'check-templates.ts', 'resolve-schedule.ts', 'validate.ts']
    .map((f) => readFileSync(join(__dirname, '../../engine/scenario', f), 'utf8')).join('\n');
  const used = new Set([...src.matchAll(/'(?:error|warning|info)', '([a-z0-9-]+)'/g)].map((m) => m[1]!));
  for (const m of src.matchAll(/problem\((?:\[[^\]]*\]|[^,[]+), '([a-z0-9-]+)'/g)) used.add(m[1]!);
  assert.ok(used.size > 15);
  for (const code of used) assert.ok(code in DIAGNOSTIC_CODES, `code ${code} is not documented`);
});
