import { describe, expect, it } from 'vitest';
import type { Taint } from '../../../lib/model/node.js';
import type { Toleration } from '../../../lib/model/pod-spec.js';
import { toleratesTaint } from '../../../lib/placement/tolerates-taint.js';

const gpu: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('toleratesTaint', () => {
  it.each<[string, Toleration, Taint, boolean]>([
    [
      'tolerates an Equal toleration with the same key, value and effect',
      { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      gpu,
      true,
    ],
    ['treats an empty operator as Equal', { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, gpu, true],
    [
      'rejects Equal with another value',
      { key: 'dedicated', operator: 'Equal', value: 'cpu', effect: 'NoSchedule' },
      gpu,
      false,
    ],
    [
      'rejects Equal without a value when the taint has one',
      { key: 'dedicated', operator: 'Equal', effect: 'NoSchedule' },
      gpu,
      false,
    ],
    [
      'treats an absent and an empty value as equal',
      { key: 'k', operator: 'Equal', value: '' },
      { key: 'k', effect: 'NoExecute' },
      true,
    ],
    [
      'ignores the value with Exists',
      { key: 'dedicated', operator: 'Exists', value: 'cpu', effect: 'NoSchedule' },
      gpu,
      true,
    ],
    ['rejects another key', { key: 'other', operator: 'Exists', effect: 'NoSchedule' }, gpu, false],
    ['rejects another effect', { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, gpu, false],
    [
      'matches every effect when the effect is empty',
      { key: 'dedicated', operator: 'Exists', effect: '' },
      { ...gpu, effect: 'NoExecute' },
      true,
    ],
    [
      'matches every effect when the effect is absent',
      { key: 'dedicated', operator: 'Exists' },
      { ...gpu, effect: 'PreferNoSchedule' },
      true,
    ],
    ['matches every key with an empty key and Exists', { operator: 'Exists', effect: 'NoSchedule' }, gpu, true],
    [
      'matches everything with a bare Exists',
      { operator: 'Exists' },
      { key: 'any', value: 'thing', effect: 'NoExecute' },
      true,
    ],
    [
      'compares values for an empty key without Exists, as Kubernetes does',
      { operator: 'Equal', value: 'gpu' },
      gpu,
      true,
    ],
    ['ignores tolerationSeconds', { key: 'dedicated', operator: 'Exists', tolerationSeconds: 0 }, gpu, true],
    [
      'tolerates PreferNoSchedule with a matching effect',
      { key: 'k', operator: 'Exists', effect: 'PreferNoSchedule' },
      { key: 'k', effect: 'PreferNoSchedule' },
      true,
    ],
    ['rejects an unknown operator', { key: 'dedicated', operator: 'Gt' as 'Exists', value: '1' }, gpu, false],
  ])('%s', (_name, toleration, taint, expected) => {
    const tolerated = toleratesTaint(toleration, taint);

    expect(tolerated).toBe(expected);
  });
});
