/**
 * Invariants (asserted by test/property/reconcile-deletion.property.test.ts):
 * - At most burstReplicas creates and at most burstReplicas deletes: the first ones planned, creates first.
 * - One event per action, in the same order: SuccessfulCreate or SuccessfulDelete, naming the action's pod.
 */
import type { DaemonSet } from '../model/daemon-set.js';
import type { Action, PodDeletion } from '../model/pod.js';
import type { DaemonSetEvent } from '../model/status.js';
import { podName } from './pod-name.js';

export type PodActionsInput = Readonly<{
  daemonSet: DaemonSet;
  hash: string;
  version: number;
  createOn: readonly string[];
  deletions: readonly PodDeletion[];
  now: number;
}>;

/**
 * Kubernetes' `syncNodes` for a pure planner: at most `rollout.burstReplicas` creates and as many deletes
 * (the first ones, in the order planned), creates first, each with a `SuccessfulCreate` or
 * `SuccessfulDelete` event as Kubernetes' pod control records.
 *
 * Slow start: Kubernetes issues creates in batches of 1, 2, 4, … and skips the rest after a batch with an
 * error. Here the creates are listed in that order; a store applying them in chunks applies them in this
 * order and stops at the first chunk that fails, and the next step (from a fresh snapshot) plans the rest
 * again, exactly like the skipped creates of a Kubernetes sync.
 */
export function toPodActions(
  input: PodActionsInput,
): Readonly<{ actions: readonly Action[]; events: readonly DaemonSetEvent[] }> {
  const burst = input.daemonSet.rollout.burstReplicas;
  const time = new Date(input.now).toISOString();
  const creates = input.createOn.slice(0, burst).map(
    (nodeName): Action => ({
      kind: 'createPod',
      podName: podName(input.daemonSet.name, nodeName, input.hash, input.version),
      nodeName,
      revisionHash: input.hash,
    }),
  );
  const deletes = input.deletions
    .slice(0, burst)
    .map(({ pod, reason }): Action => ({ kind: 'deletePod', podName: pod.name, nodeName: pod.nodeName, reason }));
  const actions = [...creates, ...deletes];
  const events = actions.map(
    (action): DaemonSetEvent =>
      action.kind === 'createPod'
        ? { type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${action.podName}`, time }
        : { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${action.podName}`, time },
  );
  return { actions, events };
}
