import type { Node } from '../model/node.js';
import { isGated, STARTUP_TAINT_KEY } from '../model/node-lifecycle.js';
import type { PlacementSpec } from '../model/pod-spec.js';
import { placementAnswers } from './placement-answers.js';

/**
 * When a DaemonSet gets its pod on a gated node: `atOnce` (it tolerates the startup taint: a startup-critical
 * DaemonSet, or one whose template tolerates `everynode.io/startup`), or `afterGate` (the taint is all that keeps
 * it off: it gets its pod once the gate opens).
 */
export type StartupGatePlacement = 'atOnce' | 'afterGate';

/**
 * For a gated node (one carrying the `everynode.io/startup` taint), when this DaemonSet gets its pod there;
 * undefined for a node that is not gated, or one the DaemonSet does not run on even after the gate opens
 * (another taint, its node selector or affinity).
 *
 * @example
 * startupGatePlacement(gatedNode, loggingPlacement); // 'afterGate'
 * startupGatePlacement(gatedNode, { ...cniPlacement, startupCritical: true }); // 'atOnce'
 */
export function startupGatePlacement(node: Node, placement: PlacementSpec): StartupGatePlacement | undefined {
  if (!isGated(node)) return undefined;
  if (placementAnswers(node, placement).shouldRun) return 'atOnce';
  const opened: Node = { ...node, taints: node.taints.filter((taint) => taint.key !== STARTUP_TAINT_KEY) };
  return placementAnswers(opened, placement).shouldRun ? 'afterGate' : undefined;
}
