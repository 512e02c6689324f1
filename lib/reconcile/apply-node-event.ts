import type { DaemonSetKey } from '../model/daemon-set.js';
import type { Node } from '../model/node.js';
import type { ClusterStore } from '../ports/cluster-store.js';
import { VersionConflictError } from '../ports/errors.js';
import { planNodeStep } from './plan-node-step.js';

/** How many DaemonSets the node path looks at side by side. */
const CONCURRENCY = 16;

export type NodeEventDeps = Readonly<{
  store: ClusterStore;
  /** Epoch milliseconds: the planner's clock. */
  now: () => number;
  /** Steps tried per DaemonSet when its version moves under us, before the DaemonSet's pass takes over. @default 3 */
  maxAttempts?: number;
}>;

/**
 * The node path: after a node fact is stored, decide that one node's pods against every DaemonSet and write
 * them, each under its DaemonSet's version like any reconcile step (see docs/decisions/0005-node-path.md). It
 * reads the stored node once and, per DaemonSet, its record and its pods on the node: O(DaemonSets) small
 * reads, whatever the fleet's size. Returns the DaemonSets whose own pass must still run (their status
 * counts this node, or the node path left a decision to them).
 */
export async function applyNodeEvent(nodeName: string, deps: NodeEventDeps): Promise<readonly DaemonSetKey[]> {
  const [node, keys] = await Promise.all([deps.store.getNode(nodeName), deps.store.listDaemonSetKeys()]);
  const needsPass = new Array<boolean>(keys.length).fill(false);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < keys.length; index = next++) {
      const key = keys[index];
      if (key !== undefined) needsPass[index] = await placeOnNode(key, nodeName, node, deps);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, keys.length) }, worker));
  return keys.filter((_, index) => needsPass[index]);
}

async function placeOnNode(
  key: DaemonSetKey,
  nodeName: string,
  node: Node | undefined,
  deps: NodeEventDeps,
): Promise<boolean> {
  const maxAttempts = deps.maxAttempts ?? 3;
  for (let attempt = 1; ; attempt += 1) {
    const snapshot = await deps.store.loadNodeSnapshot(key, nodeName);
    if (snapshot === undefined) return false;
    const plan = planNodeStep(snapshot, node, deps.now());
    if (plan.step === undefined) return plan.needsPass;
    try {
      await deps.store.applyStep(key, plan.step, snapshot.version);
      return plan.needsPass;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      // The DaemonSet keeps moving (a rollout pass is writing): its own pass decides for this node instead.
      if (attempt >= maxAttempts) return true;
    }
  }
}
