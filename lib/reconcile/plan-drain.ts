/**
 * Invariants (asserted by test/unit/reconcile/drain.test.ts and the chaos-free drain scenarios):
 * - No startup-critical pod is deleted while a pod of a non-critical DaemonSet is still on the node, unless
 *   that pod's grace period has passed or the drain's timeout has.
 * - Only pods on the drained node are deleted, each once (a terminating pod is waited for, not deleted again).
 */
import type { DaemonSet, DaemonSetKey } from '../model/daemon-set.js';
import type { Node } from '../model/node.js';
import type { Pod } from '../model/pod.js';

/** Kubernetes' default `terminationGracePeriodSeconds`. */
export const DEFAULT_GRACE_SECONDS = 30;

/** One DaemonSet with its pods on the drained node. */
export type DrainedDaemonSet = Readonly<{
  key: DaemonSetKey;
  daemonSet: DaemonSet;
  critical: boolean;
  pods: readonly Pod[];
}>;

export type DrainPlan = Readonly<{
  /** The pods to delete now, by DaemonSet. */
  deletions: readonly Readonly<{ key: DaemonSetKey; pods: readonly Pod[] }>[];
  /** Which wave the drain is in: non-critical pods first, then critical ones. */
  phase: 'nonCritical' | 'critical' | 'done';
  /** Nothing is left to wait for (or the drain timed out): complete the lifecycle action, then remove or keep. */
  finished: boolean;
  timedOut: boolean;
  /** Look again after this many seconds (a grace period ending, the timeout). */
  recheckAfterSeconds?: number;
}>;

/**
 * The next step of a node's drain (`node.drain`), from its DaemonSets' pods on it: delete the non-critical pods;
 * once each is gone (its agent reported it) or its `terminationGracePeriodSeconds` passed, delete the
 * startup-critical ones, likewise; then the drain is finished. The drain's `timeoutSeconds` finishes it whatever
 * is left. A terminating pod is never deleted twice.
 */
export function planDrain(node: Node, daemonSets: readonly DrainedDaemonSet[], now: number): DrainPlan {
  const drain = node.drain;
  if (drain === undefined || drain.completedAt !== undefined) {
    return { deletions: [], phase: 'done', finished: false, timedOut: false };
  }
  const started = Date.parse(drain.requestedAt);
  const deadline = drain.timeoutSeconds === undefined ? undefined : started + drain.timeoutSeconds * 1000;
  if (deadline !== undefined && now >= deadline) {
    return { deletions: [], phase: 'done', finished: true, timedOut: true };
  }
  const sorted = [...daemonSets].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const phase of ['nonCritical', 'critical'] as const) {
    const wave = sorted.filter((each) => each.critical === (phase === 'critical'));
    const deletions = wave.flatMap((each) => {
      const live = each.pods.filter((pod) => pod.deletionTimestamp === undefined);
      return live.length === 0 ? [] : [{ key: each.key, pods: live }];
    });
    const waits = wave.flatMap((each) =>
      each.pods.flatMap((pod) => {
        if (pod.deletionTimestamp === undefined) return [graceOf(each.daemonSet)];
        const left = Date.parse(pod.deletionTimestamp) + graceOf(each.daemonSet) * 1000 - now;
        return left > 0 ? [left / 1000] : [];
      }),
    );
    if (deletions.length > 0 || waits.length > 0) {
      const untilDeadline = deadline === undefined ? [] : [(deadline - now) / 1000];
      const next = Math.min(...waits, ...untilDeadline);
      return {
        deletions,
        phase,
        finished: false,
        timedOut: false,
        recheckAfterSeconds: Math.max(1, Math.ceil(next)),
      };
    }
  }
  return { deletions: [], phase: 'done', finished: true, timedOut: false };
}

/** The pod template's `terminationGracePeriodSeconds`, Kubernetes' 30 s when unset. */
export function graceOf(daemonSet: DaemonSet): number {
  const value = daemonSet.template.spec['terminationGracePeriodSeconds'];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_GRACE_SECONDS;
}
