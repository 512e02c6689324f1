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
  /**
   * When given, the node path keeps the pending-reconcile marker itself (docs/decisions/0004-coalesced-reconcile.md,
   * "The node path's own marker"), instead of naming every DaemonSet whose pass must run: a DaemonSet whose marker
   * it read fresh is left to that pending pass (its step, if any, written only while the marker is unchanged); one
   * whose marker was absent or timed out gets it set in the step's own write and is told to `marked` (enqueue it,
   * without marking); `coalesced` hears of those left to a pending pass. Never for a redelivered fact: its first
   * attempt may have set a marker and not enqueued.
   */
  pendingMarks?: Readonly<{
    timeoutSeconds: number;
    marked: (key: DaemonSetKey) => void;
    coalesced?: (key: DaemonSetKey) => void;
  }>;
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
  const marks = deps.pendingMarks;
  for (let attempt = 1; ; attempt += 1) {
    const snapshot = await deps.store.loadNodeSnapshot(key, nodeName);
    if (snapshot === undefined) return false;
    const now = deps.now();
    const plan = planNodeStep(snapshot, node, now);
    // A marker read fresh after the fact was stored: its pass has not cleared it yet, so it loads after this read.
    const pending = snapshot.pendingSince;
    const fresh = marks !== undefined && pending !== undefined && pending >= now - marks.timeoutSeconds * 1000;
    if (plan.step === undefined) {
      if (plan.needsPass && fresh) marks?.coalesced?.(key);
      return plan.needsPass && !fresh;
    }
    const mark = marks === undefined || !plan.needsPass ? undefined : fresh ? { expect: pending } : { set: now };
    try {
      await deps.store.applyStep(
        key,
        mark === undefined ? plan.step : { ...plan.step, pendingMark: mark },
        snapshot.version,
      );
      if (mark === undefined) return plan.needsPass;
      if ('set' in mark) marks?.marked(key);
      else marks?.coalesced?.(key);
      return false;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      // The DaemonSet keeps moving (a rollout pass is writing): its own pass decides for this node instead.
      if (attempt >= maxAttempts) return true;
    }
  }
}
