import type { IntOrPercent, UpdateStrategy } from '../model/daemon-set.js';

/** How far one rolling update may go: extra pods per node (surge) and nodes without an available pod. */
export type RolloutBudget = Readonly<{ maxSurge: number; maxUnavailable: number }>;

/**
 * Kubernetes' `updatedDesiredNodeCounts` arithmetic (`util.SurgeCount`, `util.UnavailableCount`):
 * both limits are scaled against `desiredNumberScheduled` rounding **up** (integers are not capped), a
 * non-RollingUpdate strategy allows neither, and a zero/zero configuration falls back to one node at a
 * time so an update can always finish.
 *
 * @example
 * rolloutBudget({ type: 'RollingUpdate', maxUnavailable: { percent: 30 }, maxSurge: 0 }, 5);
 * // { maxSurge: 0, maxUnavailable: 2 }  (ceil(1.5))
 */
export function rolloutBudget(strategy: UpdateStrategy, desiredNumberScheduled: number): RolloutBudget {
  const maxSurge = strategy.type === 'RollingUpdate' ? scaleUp(strategy.maxSurge, desiredNumberScheduled) : 0;
  const maxUnavailable =
    strategy.type === 'RollingUpdate' ? scaleUp(strategy.maxUnavailable, desiredNumberScheduled) : 0;
  const stalled = desiredNumberScheduled > 0 && maxSurge === 0 && maxUnavailable === 0;
  return { maxSurge, maxUnavailable: stalled ? 1 : maxUnavailable };
}

/** Kubernetes' `util.AllowsSurge`: `SurgeCount(ds, 1) > 0`, so any positive integer or percentage. */
export function allowsSurge(strategy: UpdateStrategy): boolean {
  return strategy.type === 'RollingUpdate' && scaleUp(strategy.maxSurge, 1) > 0;
}

/** `intstr.GetScaledValueFromIntOrPercent(value, total, roundUp=true)`. */
export function scaleUp(limit: IntOrPercent, total: number): number {
  return typeof limit === 'number' ? limit : Math.ceil((limit.percent * total) / 100);
}
