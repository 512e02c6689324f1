import { describe, expect, it } from 'vitest';
import { parseInt64 } from '../../../lib/placement/parse-int64.js';

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
