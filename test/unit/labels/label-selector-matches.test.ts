import { describe, expect, it } from 'vitest';
import { labelSelectorMatches } from '../../../lib/labels/label-selector-matches.js';
import type { LabelSelector } from '../../../lib/model/daemon-set.js';

const labels = { zone: 'a', tier: 'web', empty: '' };

describe('labelSelectorMatches', () => {
  it.each<[string, LabelSelector, boolean]>([
    ['the empty selector', {}, true],
    ['an equal pair', { matchLabels: { zone: 'a' } }, true],
    ['a pair with another value', { matchLabels: { zone: 'b' } }, false],
    ['a pair on an absent key', { matchLabels: { gpu: '' } }, false],
    ['a pair with an empty value', { matchLabels: { empty: '' } }, true],
    ['In with the value', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db', 'web'] }] }, true],
    ['In without the value', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] }, false],
    ['In on an absent key', { matchExpressions: [{ key: 'gpu', operator: 'In', values: ['a'] }] }, false],
    ['NotIn without the value', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, true],
    ['NotIn with the value', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, false],
    ['NotIn on an absent key', { matchExpressions: [{ key: 'gpu', operator: 'NotIn', values: ['a'] }] }, true],
    ['Exists on a present key', { matchExpressions: [{ key: 'empty', operator: 'Exists' }] }, true],
    ['Exists on an absent key', { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }, false],
    ['DoesNotExist on an absent key', { matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }, true],
    ['DoesNotExist on a present key', { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, false],
    [
      'pairs and expressions that all hold',
      { matchLabels: { zone: 'a' }, matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] },
      true,
    ],
    [
      'pairs and expressions where one fails',
      {
        matchLabels: { zone: 'a' },
        matchExpressions: [
          { key: 'tier', operator: 'Exists' },
          { key: 'zone', operator: 'NotIn', values: ['a'] },
        ],
      },
      false,
    ],
  ])('answers %s', (_name, selector, expected) => {
    const matches = labelSelectorMatches(selector, labels);

    expect(matches).toBe(expected);
  });

  it('does not read keys from the object prototype', () => {
    const selector: LabelSelector = { matchExpressions: [{ key: 'toString', operator: 'Exists' }] };

    const matches = labelSelectorMatches(selector, {});

    expect(matches).toBe(false);
  });
});
