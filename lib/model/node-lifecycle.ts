import type { Node, NodeCondition } from './node.js';

/**
 * The startup gate's taint. A node that carries a taint with this key (any value; everynode writes it with
 * `NoSchedule`) is gated: only startup-critical DaemonSets tolerate it, so their pods start first.
 */
export const STARTUP_TAINT_KEY = 'everynode.io/startup';

/** The node condition that tells whether (and how fast) the startup gate opened. */
export const STARTUP_COMPLETE_CONDITION = 'everynode.io/StartupComplete';

/** How a startup-critical DaemonSet gates its nodes (the `everynode.io/startup-critical` annotation). */
export type StartupGateMode =
  /** The gate opens once, when the node's critical pods are first available. */
  | 'bootstrap'
  /** As `bootstrap`, and the taint comes back whenever a critical pod becomes unavailable, until it recovers. */
  | 'continuous';

/** What makes a DaemonSet startup-critical: its mode, and the longest a node may wait for it. */
export type StartupGate = Readonly<{ mode: StartupGateMode; timeoutSeconds?: number }>;

/** An EC2 Auto Scaling lifecycle hook transition everynode completes. */
export type LifecycleTransition = 'launch' | 'terminate';

/** The result `CompleteLifecycleAction` is called with. */
export type LifecycleResult = 'CONTINUE' | 'ABANDON';

/**
 * One EC2 Auto Scaling lifecycle action received for a node (its token, hook and group are the event's), with
 * everynode's decision about it. The decision is written once, with the node fact that motivates it (the gate's
 * opening, its deadline, the end of a drain); `completedAt` records that `CompleteLifecycleAction` was accepted
 * (or found the action already closed), so a redelivered check never calls it again.
 */
export type LifecycleAction = Readonly<{
  transition: LifecycleTransition;
  autoScalingGroupName: string;
  lifecycleHookName: string;
  lifecycleActionToken: string;
  /** RFC 3339: when the lifecycle action started (the event's time). */
  receivedAt: string;
  result?: LifecycleResult;
  decidedAt?: string;
  completedAt?: string;
  /** The last `RecordLifecycleActionHeartbeat`, RFC 3339. */
  heartbeatAt?: string;
}>;

/**
 * A drain in progress (`everynode node drain`, or an Auto Scaling terminate lifecycle action): the node gets no new
 * DaemonSet pods; its pods are deleted non-critical first, startup-critical last, each waited for until its agent
 * reports it gone or its `terminationGracePeriodSeconds` passed; then the node is removed, or kept cordoned.
 */
export type NodeDrain = Readonly<{
  /** RFC 3339: when the drain was asked for (the fact's time). */
  requestedAt: string;
  /** The drain ends (and the node goes) after this long whatever is left. Absent: no limit. */
  timeoutSeconds?: number;
  /** Keep the node, cordoned, instead of removing it. */
  keep: boolean;
  /** RFC 3339: when a kept node's drain ended. */
  completedAt?: string;
}>;

/** Whether a drain is under way on the node (asked for, not finished). */
export function isDraining(node: Node): boolean {
  return node.drain !== undefined && node.drain.completedAt === undefined;
}

/** Whether the node is gated: it carries a taint keyed `everynode.io/startup`. */
export function isGated(node: Node): boolean {
  return node.taints.some((taint) => taint.key === STARTUP_TAINT_KEY);
}

/** The node's `everynode.io/StartupComplete` condition, if the gate has decided anything yet. */
export function startupCondition(node: Node): NodeCondition | undefined {
  return node.conditions.find((condition) => condition.type === STARTUP_COMPLETE_CONDITION);
}
