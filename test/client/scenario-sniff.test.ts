/**
 * Which plain `.toml` files get the "treat as a Z6 scenario" offer (decisions §1): those with both
 * `[target]` and `[[requests]]`, never the well-known files of other tools, never `*.z6.toml` (already
 * a scenario by name).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isOfferableTomlName, looksLikeScenario } from '../../client/scenarioSniff';

test('a scenario needs both [target] and [[requests]]', () => {
  assert.equal(looksLikeScenario('[target]\nbase_url = "http://127.0.0.1"\n\n[[requests]]\npath = "/"\n'), true);
  assert.equal(looksLikeScenario('  [[ requests ]]\n[ target ]\n'), true, 'spaces inside headers are valid TOML');
  assert.equal(looksLikeScenario('[target]\nbase_url = "x"\n'), false);
  assert.equal(looksLikeScenario('[[requests]]\npath = "/"\n'), false);
  // A header mentioned in a comment or a string is not a header.
  assert.equal(looksLikeScenario('# [target]\n[[requests]]\n'), false);
  assert.equal(looksLikeScenario('note = "[target]"\n[[requests]]\n'), false);
  // Other tools' TOML.
  assert.equal(looksLikeScenario('[package]\nname = "x"\n\n[dependencies]\nserde = "1"\n'), false);
  assert.equal(looksLikeScenario('[project]\nname = "x"\n[tool.ruff]\nline-length = 100\n'), false);
});

test('only the first 64 KiB are read', () => {
  const filler = `# ${'x'.repeat(100)}\n`.repeat(700); // ~71 KB of comments
  assert.equal(looksLikeScenario(`[target]\n[[requests]]\n${filler}`), true);
  assert.equal(looksLikeScenario(`${filler}[target]\n[[requests]]\n`), false);
});

test('file names that may be offered', () => {
  assert.equal(isOfferableTomlName('load.toml'), true);
  assert.equal(isOfferableTomlName('Checkout-Flow.TOML'), true);
  for (const name of ['Cargo.toml', 'pyproject.toml', 'rust-toolchain.toml', '.rustfmt.toml', 'netlify.toml', 'config.toml']) {
    assert.equal(isOfferableTomlName(name), false, name);
  }
  assert.equal(isOfferableTomlName('smoke.z6.toml'), false, '*.z6.toml is a scenario by name, nothing to offer');
  assert.equal(isOfferableTomlName('scenario.json'), false);
  assert.equal(isOfferableTomlName('toml'), false);
});

test('the corpus: full scenarios are recognised, fragments are not', () => {
  const corpus = (f: string) => readFileSync(join(__dirname, '..', 'fixtures', 'corpus', f), 'utf8');
  for (const f of ['complex.toml', 'fixture-simple.toml']) assert.equal(looksLikeScenario(corpus(f)), true, f);
  for (const f of ['only_metadata.toml', 'empty.toml', 'partial.toml']) assert.equal(looksLikeScenario(corpus(f)), false, f);
});
