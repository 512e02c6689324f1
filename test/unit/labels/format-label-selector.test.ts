import { describe, expect, it } from 'vitest';
import { formatLabelSelector } from '../../../lib/labels/format-label-selector.js';
import type { LabelSelector } from '../../../lib/model/daemon-set.js';

describe('formatLabelSelector', () => {
  it.each<[LabelSelector, string]>([
    [{}, ''],
    [{ matchLabels: { zone: 'a', tier: 'web' } }, 'tier=web,zone=a'],
    [{ matchLabels: { zone: '' } }, 'zone='],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['x', 'y'] }] }, 'tier in (x,y)'],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }] }, 'tier!=x'],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: [''] }] }, 'tier!='],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x', 'y'] }] }, 'tier notin (x,y)'],
    [{ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }, 'gpu'],
    [{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }, '!gpu'],
    [{ matchLabels: { zone: 'a' }, matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }, 'zone=a,!gpu'],
  ])('renders %j as %j', (selector, expected) => {
    const text = formatLabelSelector(selector);

    expect(text).toBe(expected);
  });
});
