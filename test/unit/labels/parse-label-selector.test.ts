import { describe, expect, it } from 'vitest';
import { LabelSelectorSyntaxError, parseLabelSelector } from '../../../lib/labels/parse-label-selector.js';
import type { LabelSelector } from '../../../lib/model/daemon-set.js';

describe('parseLabelSelector', () => {
  it.each<[string, LabelSelector]>([
    ['', {}],
    ['zone=a', { matchLabels: { zone: 'a' } }],
    ['zone==a', { matchLabels: { zone: 'a' } }],
    ['zone = a , tier = web', { matchLabels: { zone: 'a', tier: 'web' } }],
    ['zone=', { matchLabels: { zone: '' } }],
    ['zone!=a', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }],
    ['tier in (x,y)', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['x', 'y'] }] }],
    ['tier in ( x , y )', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['x', 'y'] }] }],
    ['tier notin (x)', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }] }],
    ['gpu', { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }],
    ['!gpu', { matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }],
    [
      'node-role.kubernetes.io/control-plane',
      { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] },
    ],
    [
      'zone=a,tier in (x,y)',
      { matchLabels: { zone: 'a' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['x', 'y'] }] },
    ],
    [
      'zone=a,zone=b',
      { matchLabels: { zone: 'a' }, matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
    ],
  ])('reads %j', (text, expected) => {
    const selector = parseLabelSelector(text);

    expect(selector).toEqual(expected);
  });

  it.each([
    ['tier in (x', 'invalid label selector "tier in (x": missing \')\''],
    [
      'tier in ()',
      `invalid label selector "tier in ()": for 'in', 'notin' operators, values set can't be empty in "tier in ()"`,
    ],
    ['zone=a,,tier=b', 'unable to parse an empty requirement'],
    ['zone=a b', 'unable to parse "zone=a b"'],
    ['zone>3', 'unable to parse "zone>3"'],
    ['Zone_=a', 'invalid label key "Zone_"'],
    ['zone=a b c', 'unable to parse "zone=a b c"'],
    ['zone=-a', 'invalid label value "-a"'],
  ])('refuses %j', (text, message) => {
    const parse = () => parseLabelSelector(text);

    expect(parse).toThrow(LabelSelectorSyntaxError);
    expect(parse).toThrow(message);
  });
});
