import { describe, expect, it } from 'vitest';
import type { UpdateStrategy } from '../../../lib/model/daemon-set.js';
import { allowsSurge, rolloutBudget } from '../../../lib/rollout/rollout-budget.js';

const unavailable = (maxUnavailable: number | { percent: number }): UpdateStrategy => ({
  type: 'RollingUpdate',
  maxUnavailable,
  maxSurge: 0,
});
const surge = (maxSurge: number | { percent: number }): UpdateStrategy => ({
  type: 'RollingUpdate',
  maxUnavailable: 0,
  maxSurge,
});

describe('rolloutBudget', () => {
  it.each([
    ['no nodes', unavailable(0), 0, { maxSurge: 0, maxUnavailable: 0 }],
    ['two nodes, maxUnavailable 1', unavailable(1), 2, { maxSurge: 0, maxUnavailable: 1 }],
    ['two nodes, maxUnavailable 0: falls back to 1', unavailable(0), 2, { maxSurge: 0, maxUnavailable: 1 }],
    ['two nodes, maxSurge 0: falls back to 1', surge(0), 2, { maxSurge: 0, maxUnavailable: 1 }],
    ['maxUnavailable 50% of 2', unavailable({ percent: 50 }), 2, { maxSurge: 0, maxUnavailable: 1 }],
    ['maxUnavailable 50% of 3 rounds up', unavailable({ percent: 50 }), 3, { maxSurge: 0, maxUnavailable: 2 }],
    ['maxSurge 50% of 2', surge({ percent: 50 }), 2, { maxSurge: 1, maxUnavailable: 0 }],
    ['maxSurge 100% of 2', surge({ percent: 100 }), 2, { maxSurge: 2, maxUnavailable: 0 }],
    ['an integer is not capped by the node count', unavailable(7), 3, { maxSurge: 0, maxUnavailable: 7 }],
    ['OnDelete', { type: 'OnDelete' } as const, 4, { maxSurge: 0, maxUnavailable: 1 }],
  ])('%s', (_name, strategy, desired, budget) => {
    expect(rolloutBudget(strategy, desired)).toEqual(budget);
  });
});

describe('allowsSurge', () => {
  it.each([
    [surge(1), true],
    [surge({ percent: 1 }), true],
    [surge(0), false],
    [surge({ percent: 0 }), false],
    [{ type: 'OnDelete' } as const, false],
  ])('answers %o with %s', (strategy, expected) => {
    expect(allowsSurge(strategy)).toBe(expected);
  });
});
