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

/** Whether the node is gated: it carries a taint keyed `everynode.io/startup`. */
export function isGated(node: Node): boolean {
  return node.taints.some((taint) => taint.key === STARTUP_TAINT_KEY);
}

/** The node's `everynode.io/StartupComplete` condition, if the gate has decided anything yet. */
export function startupCondition(node: Node): NodeCondition | undefined {
  return node.conditions.find((condition) => condition.type === STARTUP_COMPLETE_CONDITION);
}
