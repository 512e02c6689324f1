/**
 * Invariants (asserted by test/property/rollout-manage.property.test.ts):
 * - A node gets a create only when it should run the pod and holds no pod that could still run; without
 *   surge, not even a terminating one.
 * - Without surge, no node is left with more than one running (non-terminating, non-terminal) pod.
 * - At most one failed pod per node is deleted per step, and only outside its backoff.
 * - The plan does not depend on the order of nodes or pods.
 */
import type { FailedPodBackoff } from '../model/controller-memory.js';
import type { DaemonSet } from '../model/daemon-set.js';
import type { Pod, PodDeletion } from '../model/pod.js';
import type { DaemonSetEvent } from '../model/status.js';
import { backoffRemainingMs, isInBackoff, nextBackoff } from './failed-pod-backoff.js';
import type { NodeView } from './node-view.js';
import { isPodAvailable } from './pod-availability.js';
import { allowsSurge } from './rollout-budget.js';

export type ManageInput = Readonly<{
  daemonSet: DaemonSet;
  /** The current revision's hash. */
  hash: string;
  nodes: readonly NodeView[];
  /** Failed-pod backoff by node name, for `daemonSet.generation`. */
  failedPodBackoff: Readonly<Record<string, FailedPodBackoff>>;
  now: number;
}>;

export type ManagePlan = Readonly<{
  /** Nodes that need a pod of the current revision, in node order. */
  createOn: readonly string[];
  deletions: readonly PodDeletion[];
  events: readonly DaemonSetEvent[];
  failedPodBackoff: Readonly<Record<string, FailedPodBackoff>>;
  /** Earliest moment (ms from now) a failed pod held back by its backoff may be deleted. */
  recheckAfterMs?: number;
}>;

/**
 * Kubernetes' `manage` loop (`podsShouldBeOnNode` for every node):
 *
 * - `shouldRun` and no pod → create.
 * - `shouldContinueRunning`: skip terminating pods; delete Succeeded pods; delete Failed pods unless in
 *   backoff (1 s doubling to 15 min per node and generation, Warning `FailedDaemonPod`). Without surge keep
 *   only the oldest remaining pod and never create while any pod, even terminating, exists. With surge
 *   create when no pod is left running, keep the oldest current and the oldest old pod, and delete the old
 *   one once it is not ready or the current one is available.
 * - not `shouldContinueRunning` → delete every non-terminating pod.
 */
export function planManage(input: ManageInput): ManagePlan {
  const surge = allowsSurge(input.daemonSet.updateStrategy);
  const backoff: Record<string, FailedPodBackoff> = { ...input.failedPodBackoff };
  const createOn: string[] = [];
  const deletions: PodDeletion[] = [];
  const events: DaemonSetEvent[] = [];
  let recheckAfterMs: number | undefined;
  const time = new Date(input.now).toISOString();
  const { generation, namespace } = input.daemonSet;

  for (const view of input.nodes) {
    const { shouldRun, shouldContinueRunning } = view.decision;
    if (shouldRun && view.pods.length === 0) {
      createOn.push(view.name);
      continue;
    }
    if (!shouldContinueRunning) {
      for (const pod of view.pods) {
        if (pod.deletionTimestamp === undefined) deletions.push({ pod, reason: 'ineligible' });
      }
      continue;
    }
    const running: Pod[] = [];
    for (const pod of view.pods) {
      if (pod.deletionTimestamp !== undefined) continue;
      if (pod.phase === 'Failed') {
        const entry = backoff[view.name];
        if (entry !== undefined && isInBackoff(entry, generation, input.now)) {
          const wait = backoffRemainingMs(entry, input.now);
          recheckAfterMs = recheckAfterMs === undefined ? wait : Math.min(recheckAfterMs, wait);
          continue;
        }
        backoff[view.name] = nextBackoff(entry, generation, input.now);
        events.push({
          type: 'Warning',
          reason: 'FailedDaemonPod',
          message: `Found failed daemon pod ${namespace}/${pod.name} on node ${view.name}, will try to kill it`,
          time,
        });
        deletions.push({ pod, reason: 'failed' });
      } else if (pod.phase === 'Succeeded') {
        events.push({
          type: 'Normal',
          reason: 'SucceededDaemonPod',
          message: `Found succeeded daemon pod ${namespace}/${pod.name} on node ${view.name}, will try to delete it`,
          time,
        });
        deletions.push({ pod, reason: 'succeeded' });
      } else {
        running.push(pod);
      }
    }
    if (!surge) {
      for (const extra of running.slice(1)) deletions.push({ pod: extra, reason: 'duplicate' });
      continue;
    }
    if (running.length <= 1) {
      if (running.length === 0 && shouldRun) createOn.push(view.name);
      continue;
    }
    deletions.push(...surgeDeletions(running, input));
  }
  return {
    createOn,
    deletions,
    events,
    failedPodBackoff: backoff,
    ...(recheckAfterMs === undefined ? {} : { recheckAfterMs }),
  };
}

/** With surge, two pods may share a node only while the old one is ready and the new one not yet available. */
function surgeDeletions(running: readonly Pod[], input: ManageInput): readonly PodDeletion[] {
  const deletions: PodDeletion[] = [];
  let oldestNew: Pod | undefined;
  let oldestOld: Pod | undefined;
  for (const pod of running) {
    if (pod.revisionHash === input.hash) {
      if (oldestNew === undefined) {
        oldestNew = pod;
        continue;
      }
    } else if (oldestOld === undefined) {
      oldestOld = pod;
      continue;
    }
    deletions.push({ pod, reason: 'duplicate' });
  }
  if (oldestNew !== undefined && oldestOld !== undefined) {
    const replaced = !oldestOld.ready || isPodAvailable(oldestNew, input.daemonSet.minReadySeconds, input.now);
    if (replaced) deletions.push({ pod: oldestOld, reason: 'outdated' });
  }
  return deletions;
}
