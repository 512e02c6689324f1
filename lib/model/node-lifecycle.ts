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
