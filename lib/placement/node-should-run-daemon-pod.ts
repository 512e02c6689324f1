import type { Node } from '../model/node.js';
import type { PlacementSpec } from '../model/pod-spec.js';

/** Kubernetes' `NodeShouldRunDaemonPod` answer, with readable reasons for every "no". */
export type PlacementDecision = Readonly<{
  shouldRun: boolean;
  shouldContinueRunning: boolean;
  /** Why not (empty when both are true), e.g. `taint node-role.kubernetes.io/control-plane:NoSchedule is not tolerated`. */
  reasons: readonly string[];
}>;

/** STUB: to be implemented by the placement work (issue 2). */
export function nodeShouldRunDaemonPod(_node: Node, _placement: PlacementSpec): PlacementDecision {
  throw new Error('not implemented');
}
