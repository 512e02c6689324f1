import { describe, expect, it } from 'vitest';
import { parseBooleanFlag, parseDuration } from '../../../cli/input/parse-duration.js';

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['90', 90_000],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5s', 1500],
  ])('reads %s as %i ms', (text, milliseconds) => {
    const parsed = parseDuration(text);

    expect(parsed).toBe(milliseconds);
  });

  it.each(['soon', '5 minutes', '5mx', ''])('refuses %j', (text) => {
    const parse = () => parseDuration(text);

    expect(parse).toThrow(/invalid duration/);
  });
});

describe('parseBooleanFlag', () => {
  it.each([
    [undefined, true],
    [true, true],
    ['true', true],
    ['=false', false],
    ['false', false],
    ['0', false],
  ] as const)('reads %j as %s', (value, expected) => {
    const parsed = parseBooleanFlag(value, true);

    expect(parsed).toBe(expected);
  });

  it('refuses anything else', () => {
    const parse = () => parseBooleanFlag('maybe', true);

    expect(parse).toThrow(/invalid boolean/);
  });
});
