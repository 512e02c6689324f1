/**
 * Invariants (asserted by test/property/rollout.property.test.ts):
 * - Without surge, a step never leaves more nodes unavailable than max(maxUnavailable, the number already
 *   unavailable), counted as Kubernetes counts them (nodes exempted by notReadyAware left out).
 * - Without surge the plan only deletes old pods; with surge it never deletes the last available pod of a
 *   node that should run one.
 * - With surge, at most max(0, maxSurge − surging) available old pods get a new pod beside them.
 * - Nodes outside the update scope (partition, canary selector) never get a replacement started.
 * - The plan does not depend on the order of nodes or pods.
 */
import type { DaemonSet } from '../model/daemon-set.js';
import type { PodDeletion } from '../model/pod.js';
import { templateGeneration } from './is-pod-updated.js';
import { findUpdatedPodsOnNode, type NodeView } from './node-view.js';
import { isPodAvailable } from './pod-availability.js';
import type { RolloutBudget } from './rollout-budget.js';

export type RollingUpdateInput = Readonly<{
  daemonSet: DaemonSet;
  hash: string;
  /** {@link rolloutNodes}: desired nodes plus nodes still holding pods, sorted by name. */
  nodes: readonly NodeView[];
  budget: RolloutBudget;
  desiredNumberScheduled: number;
  /** Nodes a replacement may start on; `undefined` = every node (see `planUpdateScope`). */
  scope: ReadonlySet<string> | undefined;
  /** NotReady nodes that do not count against the budget and get no budgeted replacement (notReadyAware). */
  exempt: ReadonlySet<string>;
  now: number;
}>;

export type RollingUpdatePlan = Readonly<{ createOn: readonly string[]; deletions: readonly PodDeletion[] }>;

/**
 * Kubernetes' `rollingUpdate`, candidates taken in node-name order where Kubernetes takes map order.
 *
 * Without surge: nodes with excess pods, no pod, or an old and a new pod count as unavailable, as does a
 * new pod that is not available; an old pod that is not available is deleted at once (and counts); then
 * `min(candidates, max(0, maxUnavailable − unavailable))` available old pods are deleted, and the manage
 * loop of a later step creates their replacements.
 *
 * With surge: excess pods and new pods not yet available count as surging; a node whose old pod is not
 * available gets its new pod at once (or loses the old pod if it should no longer run there); an old pod
 * beside an available new one is deleted; old pods on nodes that should no longer run them are deleted
 * only while more nodes are available than desired; then `min(candidates, max(0, maxSurge − surging))`
 * nodes with an available old pod get a new pod beside it.
 */
export function planRollingUpdate(input: RollingUpdateInput): RollingUpdatePlan {
  return input.budget.maxSurge === 0 ? planWithoutSurge(input) : planWithSurge(input);
}

function planWithoutSurge(input: RollingUpdateInput): RollingUpdatePlan {
  const { hash, now, exempt } = input;
  const minReadySeconds = input.daemonSet.minReadySeconds;
  const generation = templateGeneration(input.daemonSet);
  let numUnavailable = 0;
  const replacements: PodDeletion[] = [];
  const candidates: PodDeletion[] = [];
  const countUnavailable = (nodeName: string): void => {
    if (!exempt.has(nodeName)) numUnavailable += 1;
  };
  for (const view of input.nodes) {
    const inScope = input.scope === undefined || input.scope.has(view.name);
    const found = findUpdatedPodsOnNode(view, hash, generation);
    if (!found.ok) {
      countUnavailable(view.name);
      continue;
    }
    const { newPod, oldPod } = found;
    if ((newPod === undefined) === (oldPod === undefined)) {
      countUnavailable(view.name);
    } else if (newPod !== undefined) {
      if (!isPodAvailable(newPod, minReadySeconds, now)) countUnavailable(view.name);
    } else if (oldPod !== undefined) {
      if (!isPodAvailable(oldPod, minReadySeconds, now)) {
        if (inScope) replacements.push({ pod: oldPod, reason: 'outdated' });
        countUnavailable(view.name);
      } else if (inScope && !exempt.has(view.name)) {
        candidates.push({ pod: oldPod, reason: 'outdated' });
      }
    }
  }
  const allowed = Math.min(candidates.length, Math.max(0, input.budget.maxUnavailable - numUnavailable));
  return { createOn: [], deletions: [...replacements, ...candidates.slice(0, allowed)] };
}

function planWithSurge(input: RollingUpdateInput): RollingUpdatePlan {
  const { hash, now, exempt } = input;
  const minReadySeconds = input.daemonSet.minReadySeconds;
  const generation = templateGeneration(input.daemonSet);
  const available = (pod: Parameters<typeof isPodAvailable>[0]): boolean => isPodAvailable(pod, minReadySeconds, now);
  const deletions: PodDeletion[] = [];
  const shouldNotRunDeletions: PodDeletion[] = [];
  const allowedNewNodes: string[] = [];
  const candidateNewNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const view of input.nodes) {
    const inScope = input.scope === undefined || input.scope.has(view.name);
    const found = findUpdatedPodsOnNode(view, hash, generation);
    if (!found.ok) {
      if (!exempt.has(view.name)) numSurge += 1;
      continue;
    }
    const { newPod, oldPod } = found;
    // Availability is counted on every node, including the ones being sunset by placement changes.
    if (oldPod !== undefined ? available(oldPod) : newPod !== undefined && available(newPod)) numAvailable += 1;
    if (oldPod === undefined) continue;
    if (newPod === undefined) {
      if (!inScope) continue;
      if (!available(oldPod)) {
        if (!view.decision.shouldRun) deletions.push({ pod: oldPod, reason: 'outdated' });
        else allowedNewNodes.push(view.name);
      } else if (!view.decision.shouldRun) {
        shouldNotRunDeletions.push({ pod: oldPod, reason: 'outdated' });
      } else if (!exempt.has(view.name)) {
        candidateNewNodes.push(view.name);
      }
      continue;
    }
    if (!available(newPod)) {
      if (!exempt.has(view.name)) numSurge += 1;
      continue;
    }
    deletions.push({ pod: oldPod, reason: 'outdated' });
  }
  // With surge the owner expects full availability: a node losing placement gives up its pod only once
  // another node's pod has become available.
  const deletable = Math.min(shouldNotRunDeletions.length, numAvailable - input.desiredNumberScheduled);
  if (deletable > 0) deletions.push(...shouldNotRunDeletions.slice(0, deletable));
  const allowed = Math.min(candidateNewNodes.length, Math.max(0, input.budget.maxSurge - numSurge));
  return { createOn: [...allowedNewNodes, ...candidateNewNodes.slice(0, allowed)], deletions };
}
