/**
 * Invariants (asserted by test/property/rollout-extensions.property.test.ts):
 * - Without partition and canary selector every node is in scope (exactly Kubernetes).
 * - At most `total − partition` nodes are in scope, and nodes already running the current revision come first.
 * - With a canary selector, a node still running only an old revision is in scope only if its labels match.
 */

import { labelSelectorMatches } from '../labels/label-selector-matches.js';
import type { DaemonSet } from '../model/daemon-set.js';
import { compareStrings } from '../model/order.js';
import { templateGeneration } from './is-pod-updated.js';
import { findUpdatedPodsOnNode, type NodeView } from './node-view.js';
import { scaleUp } from './rollout-budget.js';

/**
 * The nodes a rolling update may start replacing pods on, after OpenKruise's `partition` and
 * `selector` (`filterDaemonPodsNodeToUpdate`); `undefined` when neither is set, meaning every node.
 *
 * Like Kruise, node names are walked from last to first and ranked: nodes already running the current
 * revision (or with excess pods), then nodes with no pod left to replace, then old nodes, kept only if
 * they match the canary selector when one is set. The first `total − partition` ranked nodes are in scope,
 * so the alphabetically *first* `partition` nodes keep their old revision. `total` counts the nodes a
 * rolling update looks at (desired nodes, plus other nodes that still hold pods); a percentage partition
 * is taken of `desiredNumberScheduled`, rounding up (more nodes held back, never fewer).
 */
export function planUpdateScope(
  daemonSet: DaemonSet,
  hash: string,
  rolloutNodes: readonly NodeView[],
  desiredNumberScheduled: number,
): ReadonlySet<string> | undefined {
  const { partition, canarySelector } = daemonSet.rollout;
  if (partition === undefined && canarySelector === undefined) return undefined;
  const updated: string[] = [];
  const updating: string[] = [];
  const selected: string[] = [];
  const rest: string[] = [];
  const generation = templateGeneration(daemonSet);
  for (const view of rolloutNodes.toSorted((a, b) => compareStrings(b.name, a.name))) {
    const found = findUpdatedPodsOnNode(view, hash, generation);
    if (!found.ok || found.newPod !== undefined) updated.push(view.name);
    else if (found.oldPod === undefined) updating.push(view.name);
    else if (canarySelector !== undefined && labelSelectorMatches(canarySelector, view.node.labels))
      selected.push(view.name);
    else rest.push(view.name);
  }
  const ranked = [...updated, ...updating, ...(canarySelector === undefined ? rest : selected)];
  const held = partition === undefined ? 0 : scaleUp(partition, desiredNumberScheduled);
  const maxUpdate = Math.max(0, rolloutNodes.length - held);
  return new Set(ranked.slice(0, maxUpdate));
}

/** The nodes a rolling update looks at: desired nodes, and any other node that still holds pods. */
export function rolloutNodes(nodes: readonly NodeView[]): readonly NodeView[] {
  return nodes.filter((view) => view.decision.shouldRun || view.pods.length > 0);
}
