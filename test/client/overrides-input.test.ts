import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOverrides } from '../../client/run/overrides-input';

test('Run with Overrides turns vus=, duration=, seed= into z6 run options, and says what is wrong', () => {
  assert.deepEqual(parseOverrides('vus=10 duration=30 seed=42'), { args: ['--vus', '10', '--duration', '30', '--seed', '42'] });
  assert.deepEqual(parseOverrides(' seed = 0, vus=1 '), { args: ['--seed', '0', '--vus', '1'] });
  assert.deepEqual(parseOverrides(''), { args: [] });
  assert.match(parseOverrides('vus=0').error!, /vus must be between 1 and 100000/);
  assert.match(parseOverrides('threads=4').error!, /"threads=4": write vus=N/);
  assert.match(parseOverrides('vus=ten').error!, /write vus=N/);
});
