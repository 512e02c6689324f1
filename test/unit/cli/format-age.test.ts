import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration } from '../../../cli/output/format-age.js';

describe('formatDuration', () => {
  it.each([
    [-5, '<invalid>'],
    [-0.5, '0s'],
    [45, '45s'],
    [119, '119s'],
    [120, '2m'],
    [330, '5m30s'],
    [600, '10m'],
    [179 * 60, '179m'],
    [3 * 3600 + 10 * 60, '3h10m'],
    [5 * 3600, '5h'],
    [30 * 3600, '30h'],
    [3 * 86_400 + 4 * 3600, '3d4h'],
    [12 * 86_400, '12d'],
    [3 * 365 * 86_400 + 20 * 86_400, '3y20d'],
    [9 * 365 * 86_400, '9y'],
  ])('prints %i seconds as %s, as kubectl does', (seconds, expected) => {
    const printed = formatDuration(seconds);

    expect(printed).toBe(expected);
  });
});

describe('formatAge', () => {
  it('measures from now', () => {
    const now = Date.parse('2026-01-01T00:10:00Z');

    const age = formatAge('2026-01-01T00:00:00Z', now);

    expect(age).toBe('10m');
  });

  it('prints <unknown> for a missing or unparseable time', () => {
    const ages = [formatAge(undefined, 0), formatAge('yesterday', 0)];

    expect(ages).toEqual(['<unknown>', '<unknown>']);
  });
});
