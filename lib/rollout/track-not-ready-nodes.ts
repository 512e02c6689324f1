/**
 * Invariants (asserted by test/property/rollout-extensions.property.test.ts):
 * - Every node in the result is desired and its Ready condition is not True.
 * - A node that has a pod of the current revision is only in the result if it already was.
 */
import { nodeReadyStatus } from '../model/node.js';
import { activePods, type NodeView } from './node-view.js';

/**
 * notReadyAware (kubernetes#117204): the desired nodes that were NotReady before the rollout reached
 * them. `previous` is what the rollout recorded so far (at its start: every NotReady desired node). A node
 * is added when it is NotReady while still running only old pods, kept while it stays NotReady, and
 * dropped once Ready (it counts normally again). A node that turns NotReady after receiving the current
 * revision is not added: the new revision may be what broke it, so it uses up the budget.
 */
export function trackNotReadyNodes(
  previous: readonly string[],
  nodes: readonly NodeView[],
  hash: string,
): readonly string[] {
  const known = new Set(previous);
  return nodes
    .filter((view) => {
      if (!view.decision.shouldRun || nodeReadyStatus(view.node) === 'True') return false;
      if (known.has(view.name)) return true;
      const active = activePods(view);
      return active.length > 0 && active.every((pod) => pod.revisionHash !== hash);
    })
    .map((view) => view.name);
}

/** Desired nodes whose Ready condition is not True, recorded when a rollout starts. */
export function notReadyDesiredNodes(nodes: readonly NodeView[]): readonly string[] {
  return nodes
    .filter((view) => view.decision.shouldRun && nodeReadyStatus(view.node) !== 'True')
    .map((view) => view.name);
}
