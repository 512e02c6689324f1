/**
 * Invariants (asserted by test/property/reconcile-deletion.property.test.ts):
 * - The step creates no pod and writes no revision; status (empty when there is none) and memory are unchanged.
 * - It deletes only pods not yet terminating or whose node is gone, `orphaned` exactly when the node is gone.
 * - It deletes at most burstReplicas pods, and every such pod when there are no more than that.
 * - The step does not depend on the order of nodes or pods.
 */
import { compareStrings } from '../model/order.js';
import type { PodDeletion } from '../model/pod.js';
import { type DaemonSetStatus, emptyDaemonSetStatus } from '../model/status.js';
import type { ClusterSnapshot } from '../ports/cluster-snapshot.js';
import type { ReconcileStep } from '../ports/reconcile-step.js';
import { toPodActions } from './to-pod-actions.js';

/**
 * A step for a DaemonSet being deleted: no history, no rollout, no status change (Kubernetes returns
 * without a status write); every pod not yet terminating is deleted, as the garbage collector deletes a
 * deleted owner's dependents, within the burst limit. Pods whose node is gone are `orphaned` (removed
 * outright); the store removes the DaemonSet's remaining records once no pod is left.
 */
export function planDaemonSetDeletion(snapshot: ClusterSnapshot, now: number): ReconcileStep {
  const existing = new Set(snapshot.nodes.map((node) => node.name));
  const deletions = snapshot.pods
    .filter((pod) => !existing.has(pod.nodeName) || pod.deletionTimestamp === undefined)
    .toSorted((a, b) => compareStrings(a.nodeName, b.nodeName) || compareStrings(a.name, b.name))
    .map((pod): PodDeletion => ({ pod, reason: existing.has(pod.nodeName) ? 'daemonSetDeleted' : 'orphaned' }));
  const { actions, events } = toPodActions({
    daemonSet: snapshot.daemonSet,
    hash: '',
    version: snapshot.version,
    createOn: [],
    deletions,
    now,
  });
  return { actions, revisions: [], status: unchangedStatus(snapshot), memory: snapshot.memory, events };
}

/**
 * Kubernetes refuses a DaemonSet whose selector is empty (it would select every pod): a `SelectingAll`
 * Warning and nothing else, status untouched.
 */
export function planSelectingAll(snapshot: ClusterSnapshot, now: number): ReconcileStep {
  const event = {
    type: 'Warning',
    reason: 'SelectingAll',
    message: 'This daemon set is selecting all pods. A non-empty selector is required.',
    time: new Date(now).toISOString(),
  } as const;
  return { actions: [], revisions: [], status: unchangedStatus(snapshot), memory: snapshot.memory, events: [event] };
}

function unchangedStatus(snapshot: ClusterSnapshot): DaemonSetStatus {
  return snapshot.status ?? emptyDaemonSetStatus();
}
