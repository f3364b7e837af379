// The editor behaviour in syntaxes/language-configuration.json: its regexes, and that its
// "notIn: string/comment" rules line up with the token types the grammar produces.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as textmate from 'vscode-textmate';
import { z6Grammar } from './tokenize';

interface Pair { open: string; close: string; notIn?: string[] }
const config = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'syntaxes', 'language-configuration.json'), 'utf8'));

describe('language configuration', () => {
  it('comments with # and pairs the brackets and quotes TOML uses', () => {
    assert.equal(config.comments.lineComment, '#');
    assert.deepEqual(config.brackets, [['[', ']'], ['{', '}']]);
    const pairs = new Map((config.autoClosingPairs as Pair[]).map((p) => [p.open, p]));
    assert.deepEqual([...pairs.keys()].sort(), ['"', "'", '[', '{']);
    for (const q of ['"', "'"]) assert.deepEqual(pairs.get(q)!.notIn?.sort(), ['comment', 'string'], `quote ${q}`);
    for (const b of ['[', '{']) assert.deepEqual(pairs.get(b)!.notIn, ['comment'], `bracket ${b}`);
    assert.deepEqual(config.surroundingPairs.map((p: string[]) => p.join('')).sort(), ['""', "''", '[]', '{}']);
  });

  it('takes whole TOML keys (with - and _) and numbers as words', () => {
    const word = new RegExp(config.wordPattern, 'g');
    const words = (s: string) => s.match(word);
    assert.deepEqual(words('ramp_duration_seconds = 30'), ['ramp_duration_seconds', '30']);
    assert.deepEqual(words('bare-key.p99_latency_ms = 2.5'), ['bare-key', 'p99_latency_ms', '2.5']);
    assert.deepEqual(words('[[schedule.steps]]'), ['schedule', 'steps']);
  });

  it('indents after an opening [ or { at the end of a line, not after headers or inside strings', () => {
    const inc = new RegExp(config.indentationRules.increaseIndentPattern);
    const dec = new RegExp(config.indentationRules.decreaseIndentPattern);
    for (const yes of ['tags = [', 'headers = {', 'a = [ # list', '  nested = [[']) assert.ok(inc.test(yes), yes);
    for (const no of ['[runtime]', '[[requests]]', 'a = "["', "b = '{'", '# see [', 'a = [1, 2]']) assert.ok(!inc.test(no), no);
    for (const yes of [']', '  }', '], # end']) assert.ok(dec.test(yes), yes);
    assert.ok(!dec.test('a = ]'));
  });

  it('folds #region / #endregion blocks', () => {
    const start = new RegExp(config.folding.markers.start);
    const end = new RegExp(config.folding.markers.end);
    assert.ok(start.test('# region requests') && start.test('#region'));
    assert.ok(end.test('  # endregion') && !end.test('# regional note'));
    assert.ok(!start.test('# regional note'));
  });

  it('continues a comment only when Enter splits it', () => {
    const [rule] = config.onEnterRules;
    const before = new RegExp(rule.beforeText);
    const after = new RegExp(rule.afterText);
    assert.ok(before.test('# ramp up slowly') && after.test('then hold'));
    assert.ok(!after.test(''), 'Enter at the end of a comment starts a plain line');
    assert.ok(!before.test('vus = 10 # trailing'), 'only whole-line comments continue');
    assert.equal(rule.action.appendText, '# ');
  });
});

describe('token types seen by auto-closing and bracket matching', () => {
  // VS Code's "notIn" checks the standard token type the grammar yields (bits 8-9 of the token metadata).
  const OTHER = 0, COMMENT = 1, STRING = 2;
  async function typeAt(line: string, index: number): Promise<number> {
    const grammar = await z6Grammar();
    const { tokens } = grammar.tokenizeLine2(line, textmate.INITIAL);
    let type = OTHER;
    for (let i = 0; i < tokens.length; i += 2) if (tokens[i]! <= index) type = (tokens[i + 1]! >>> 8) & 0b11;
    return type;
  }

  it('is string inside every kind of string value, comment inside comments, other for keys and numbers', async () => {
    const line = `a = "x" # c`;
    assert.equal(await typeAt(line, line.indexOf('x')), STRING);
    assert.equal(await typeAt(line, line.indexOf('c')), COMMENT);
    assert.equal(await typeAt(line, 0), OTHER);
    for (const s of [`b = 'lit'`, `b = """ml"""`, `b = '''ml'''`]) assert.equal(await typeAt(s, s.indexOf('l')), STRING, s);
    assert.equal(await typeAt('n = 42', 4), OTHER);
  });
});
