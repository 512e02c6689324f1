import type { ControllerMemory } from '../model/controller-memory.js';
import type { ControllerRevision, DaemonSet } from '../model/daemon-set.js';
import type { Node } from '../model/node.js';
import type { Pod } from '../model/pod.js';
import type { DaemonSetStatus } from '../model/status.js';

/** Everything one reconcile step decides from, read consistently from the store. */
export type ClusterSnapshot = Readonly<{
  daemonSet: DaemonSet;
  /** Optimistic-concurrency version of the DaemonSet record; a step is applied only if it is unchanged. */
  version: number;
  revisions: readonly ControllerRevision[];
  /** Every node that exists (removed nodes are absent). */
  nodes: readonly Node[];
  /** This DaemonSet's pods, terminating ones included. */
  pods: readonly Pod[];
  status?: DaemonSetStatus;
  memory: ControllerMemory;
  /**
   * A step of another writer is being written (the DynamoDB store's claimed step): nothing may be decided from this
   * snapshot, which may hold part of it. Look again after `recheckAfterSeconds`; the claimer's own next pass usually
   * comes first.
   */
  stepInProgress?: Readonly<{ recheckAfterSeconds: number }>;
}>;

/**
 * What a node-scoped step decides from (the node path: a node joined, changed or left): the DaemonSet record
 * and its pods on that one node, read consistently, never the fleet. The node itself is read once per node
 * event by the caller and passed beside it.
 */
export type NodeSnapshot = Readonly<{
  daemonSet: DaemonSet;
  /** The DaemonSet record's version, as in `ClusterSnapshot`: the step is written only if it is unchanged. */
  version: number;
  /** This DaemonSet's pods whose `nodeName` is the node, terminating ones included. */
  pods: readonly Pod[];
  status?: DaemonSetStatus;
  memory: ControllerMemory;
  /** The pending-reconcile marker (epoch ms) as read with the record, when one is set. */
  pendingSince?: number;
}>;
