import { describe, expect, it } from 'vitest';
import { isValidLabelKey, isValidLabelValue } from '../../../lib/placement/label-syntax.js';
import { parseInt64 } from '../../../lib/placement/parse-int64.js';

describe('isValidLabelKey', () => {
  it.each([
    ['zone', true],
    ['topology.kubernetes.io/zone', true],
    ['node-role.kubernetes.io/control-plane', true],
    ['a_b.c-d', true],
    ['', false],
    ['-zone', false],
    ['zone-', false],
    ['has space', false],
    ['/zone', false],
    ['Example.com/zone', false],
    ['example.com/', false],
    [`${'a'.repeat(63)}`, true],
    [`${'a'.repeat(64)}`, false],
  ])('judges %j valid: %s', (key, expected) => {
    expect(isValidLabelKey(key)).toBe(expected);
  });
});

describe('isValidLabelValue', () => {
  it.each([
    ['', true],
    ['ssd', true],
    ['v1.2_3-x', true],
    ['-5', false],
    ['a/b', false],
    [`${'a'.repeat(64)}`, false],
  ])('judges %j valid: %s', (value, expected) => {
    expect(isValidLabelValue(value)).toBe(expected);
  });
});

describe('parseInt64', () => {
  it.each<[string, bigint | undefined]>([
    ['0', 0n],
    ['42', 42n],
    ['-42', -42n],
    ['+42', 42n],
    ['007', 7n],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
    ['9223372036854775808', undefined],
    ['-9223372036854775809', undefined],
    ['', undefined],
    ['-', undefined],
    [' 1', undefined],
    ['1 ', undefined],
    ['1.0', undefined],
    ['1e3', undefined],
    ['0x10', undefined],
    ['1_000', undefined],
  ])('parses %j as %s', (text, expected) => {
    expect(parseInt64(text)).toBe(expected);
  });
});
