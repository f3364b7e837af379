// Z6-specific highlighting (known sections) and whole scenario files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'smol-toml';
import { SCHEMA } from '../../engine/scenario/schema';
import { assertNoScope, assertScope, dump, FIXTURES, GRAMMAR_PATH, hasScope, tokenize, type Token } from './tokenize';

const KNOWN = 'support.class.section.z6';
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** Section names the grammar lists in its two "known section" rules, read back out of the JSON. */
function grammarSections(rule: 'table-header' | 'array-table-header'): string[] {
  const grammar = JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8'));
  const match: string = grammar.repository[rule].patterns[0].match;
  const group = /\\G\\s\*\((.*)\)\\s\*\(\?=/.exec(match);
  assert.ok(group, `could not read the known-section list from ${rule}: ${match}`);
  return group[1].split('|').map((n) => n.replaceAll('\\s*\\.\\s*', '.')).sort();
}

/** Tokens that are text but carry no scope of their own (only source.z6 and meta.* wrappers). */
function unclassified(lines: Token[][]): Token[] {
  return lines.flat().filter((t) => t.text.trim() !== '' && t.scopes.every((s) => s === 'source.z6' || s.startsWith('meta.')));
}

describe('known Z6 sections', () => {
  it('lists exactly the sections of engine/scenario/schema.ts, by kind', () => {
    const byKind = (kind: 'table' | 'array') => SCHEMA.filter((s) => s.kind === kind).map((s) => s.name).sort();
    assert.deepEqual(grammarSections('table-header'), byKind('table'));
    assert.deepEqual(grammarSections('array-table-header'), byKind('array'));
  });

  it('marks every SCHEMA section in a header of its own kind, also with spaces around dots', async () => {
    for (const section of SCHEMA) {
      const spaced = section.name.replaceAll('.', ' . ');
      const header = section.kind === 'table' ? `[${section.name}]\n[ ${spaced} ]` : `[[${section.name}]]\n[[ ${spaced} ]]`;
      const t = await tokenize(header);
      const names = t.flat().filter((x) => hasScope(x, 'entity.name.section'));
      assert.equal(names.length, 2 * section.name.split('.').length, dump(t));
      for (const name of names) assert.ok(hasScope(name, KNOWN), `${section.name}: ${dump(t)}`);
    }
  });

  it('leaves unknown, misspelt, wrong-kind and partial sections as plain TOML sections', async () => {
    const t = await tokenize(
      '[unknown_section]\n[runtimes]\n[[metadata]]\n[requests]\n[schedule.steps]\n[target.extra]\n["metadata"]\n[[requests.headers]]',
    );
    for (const [text, nth] of [
      ['unknown_section', 0], ['runtimes', 0], ['metadata', 0], ['requests', 0], ['schedule', 0], ['steps', 0],
      ['target', 0], ['extra', 0], ['metadata', 1], ['requests', 1], ['headers', 0],
    ] as const) {
      assertNoScope(t, text, KNOWN, nth);
      assert.ok(hasScope(t.flat().filter((x) => x.text === text)[nth]!, 'entity.name.section'), `${text}#${nth}\n${dump(t)}`);
    }
  });

  it('does not mark known names used as keys', async () => {
    const t = await tokenize('runtime = 1\n[target]\nrequests = { schedule = 2 }');
    assertNoScope(t, 'runtime', KNOWN);
    assertScope(t, 'requests', 'variable.other.key.toml');
    assertNoScope(t, 'schedule', KNOWN);
  });
});

describe('a realistic scenario', () => {
  const text = fixture('checkout.z6.toml');

  it('is valid TOML (so the checks below are about a real scenario)', () => {
    assert.doesNotThrow(() => parse(text));
  });

  it('has no invalid and no unclassified tokens', async () => {
    const t = await tokenize(text);
    const invalid = t.flat().filter((x) => hasScope(x, 'invalid'));
    assert.deepEqual(invalid.map((x) => `${x.line}: ${x.text}`), [], dump(t));
    assert.deepEqual(unclassified(t).map((x) => `${x.line}: ${x.text}`), [], dump(t));
  });

  it('marks every header as a known section and every key as a key', async () => {
    const t = await tokenize(text);
    const source = text.split('\n');
    for (const line of t) {
      const first = line.find((x) => x.text.trim() !== '');
      if (!first) continue;
      const raw = source[first.line]!;
      if (/^\s*\[/.test(raw)) {
        for (const name of line.filter((x) => hasScope(x, 'entity.name.section'))) assert.ok(hasScope(name, KNOWN), raw);
      } else if (/^\s*[A-Za-z"]/.test(raw) && raw.includes('=') && !hasScope(first, 'string')) {
        assert.ok(hasScope(first, 'variable.other.key'), `line ${first.line}: ${raw}\n${dump([line])}`);
      }
    }
  });

  it('reads the multi-line strings, inline tables and values as the author meant', async () => {
    const t = await tokenize(text);
    assertScope(t, 'Ramps to 50 VUs against the staging checkout service, ', 'string.quoted.double.block.toml');
    assertScope(t, '\\', 'constant.character.escape.line-continuation.toml');
    assertScope(t, 'then holds for a minute.', 'string.quoted.double.block.toml');
    assertScope(t, ' shown in reports', 'comment.line.number-sign.toml');
    assertScope(t, '0x2A', 'constant.numeric.integer.hex.toml');
    assertScope(t, 'Content-Type', 'variable.other.key.quoted.double.toml');
    assertScope(t, 'Accept', 'meta.inline-table.toml');
    assertScope(t, 'z6-${seed}', 'string.quoted.single.toml');
    assertScope(t, '  "note": "C:\\no\\escapes\\here"', 'string.quoted.single.block.toml');
    assertScope(t, 'weight', 'variable.other.key.toml', 2);
    assertScope(t, '5e2', 'constant.numeric.float.toml');
    assertScope(t, 'false', 'constant.language.boolean.toml');
  });
});

describe('TOML specification samples', () => {
  for (const name of ['toml-1.0.toml', 'toml-1.1.toml']) {
    it(`${name}: valid TOML, no invalid and no unclassified tokens`, async () => {
      const text = fixture(name);
      assert.doesNotThrow(() => parse(text));
      const t = await tokenize(text);
      assert.deepEqual(t.flat().filter((x) => hasScope(x, 'invalid')).map((x) => `${x.line}: ${x.text}`), [], dump(t));
      assert.deepEqual(unclassified(t).map((x) => `${x.line}: ${x.text}`), [], dump(t));
    });
  }

  it('every top-level line of toml-1.0.toml ends outside any string, array or inline table', async () => {
    // If a string or bracket leaked, the header lines after it would carry meta.entry/meta.array scopes.
    const t = await tokenize(fixture('toml-1.0.toml'));
    const headers = t.flat().filter((x) => x.text === '[' || x.text === '[[').filter((x) => hasScope(x, 'punctuation.definition.table'));
    assert.equal(headers.length, 12, dump(t));
    for (const h of headers) {
      assert.ok(!h.scopes.some((s) => /^meta\.(entry|array|inline-table)\.toml$/.test(s)), `line ${h.line}: [${h.scopes.join(' ')}]`);
    }
  });
});
