/**
 * Invariants (asserted by test/property/rollout.property.test.ts):
 * - numberAvailable ≤ numberReady ≤ currentNumberScheduled ≤ desiredNumberScheduled, and
 *   updatedNumberScheduled ≤ currentNumberScheduled.
 * - numberUnavailable = desiredNumberScheduled − numberAvailable.
 * - The counters do not depend on the order of nodes or pods.
 */
import type { DaemonSetStatus } from '../model/status.js';
import { isPodUpdated } from './is-pod-updated.js';
import { activePods, type NodeView } from './node-view.js';
import { isPodAvailable, secondsUntilAvailable } from './pod-availability.js';

export type StatusCounters = Pick<
  DaemonSetStatus,
  | 'desiredNumberScheduled'
  | 'currentNumberScheduled'
  | 'numberMisscheduled'
  | 'numberReady'
  | 'updatedNumberScheduled'
  | 'numberAvailable'
  | 'numberUnavailable'
>;

/**
 * Kubernetes' `updateDaemonSetStatus` counters over every existing node: desired (`shouldRun`), current
 * (desired with a pod), misscheduled (not desired but holding a pod) and, from each desired node's oldest
 * pod, ready, available and updated (`isPodUpdated`: carrying `hash`, or the template generation when given).
 * Terminating pods count; terminal ones being deleted do not.
 */
export function countStatus(
  nodes: readonly NodeView[],
  hash: string,
  minReadySeconds: number,
  now: number,
  templateGeneration?: string | undefined,
): StatusCounters {
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const view of nodes) {
    const oldest = view.pods[0];
    if (!view.decision.shouldRun) {
      if (oldest !== undefined) misscheduled += 1;
      continue;
    }
    desired += 1;
    if (oldest === undefined) continue;
    current += 1;
    if (oldest.ready) {
      ready += 1;
      if (isPodAvailable(oldest, minReadySeconds, now)) available += 1;
    }
    if (isPodUpdated(oldest, hash, templateGeneration)) updated += 1;
  }
  return {
    desiredNumberScheduled: desired,
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    numberReady: ready,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
  };
}

/** notReadyAware: desired nodes exempted as NotReady whose oldest pod is missing or not available. */
export function countUnavailableOnNotReadyNodes(
  nodes: readonly NodeView[],
  exempt: ReadonlySet<string>,
  minReadySeconds: number,
  now: number,
): number {
  return nodes.filter((view) => {
    if (!view.decision.shouldRun || !exempt.has(view.name)) return false;
    const oldest = view.pods[0];
    return oldest === undefined || !isPodAvailable(oldest, minReadySeconds, now);
  }).length;
}

/**
 * Seconds until the next ready pod crosses `minReadySeconds` and becomes available (Kubernetes requeues
 * after minReadySeconds while ready ≠ available; this looks again exactly when it changes).
 */
export function secondsUntilNextAvailable(
  nodes: readonly NodeView[],
  minReadySeconds: number,
  now: number,
): number | undefined {
  let soonest: number | undefined;
  for (const view of nodes) {
    for (const pod of activePods(view)) {
      const seconds = secondsUntilAvailable(pod, minReadySeconds, now);
      if (seconds !== undefined && (soonest === undefined || seconds < soonest)) soonest = seconds;
    }
  }
  return soonest;
}
