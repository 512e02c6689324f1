import type { Node } from '../model/node.js';
import { comparePodsByAge, compareStrings } from '../model/order.js';
import type { Pod } from '../model/pod.js';
import type { PlacementAnswers } from '../placement/placement-answers.js';
import { isPodUpdated } from './is-pod-updated.js';

/** One existing node as a sync sees it: its placement answer and its DaemonSet pods. */
export type NodeView = Readonly<{
  name: string;
  node: Node;
  decision: PlacementAnswers;
  /**
   * The pods Kubernetes' `getNodesToDaemonPods(includeDeletedTerminal=false)` returns for the node:
   * terminating pods included, but terminal (Succeeded/Failed) pods that are being deleted left out.
   * Oldest first ({@link comparePodsByAge}).
   */
  pods: readonly Pod[];
}>;

export type NodeViews = Readonly<{
  /** Every existing node, sorted by name. */
  nodes: readonly NodeView[];
  /** Pods whose node does not exist (terminating ones included), sorted by node then name. */
  orphans: readonly Pod[];
}>;

/**
 * Groups pods by node the way every part of a Kubernetes sync does, with inputs sorted so that the
 * result, and every decision built on it, does not depend on input order.
 */
export function toNodeViews(
  nodes: readonly Node[],
  pods: readonly Pod[],
  decide: (node: Node) => PlacementAnswers,
): NodeViews {
  const byNode = new Map<string, Pod[]>();
  const orphans: Pod[] = [];
  const existing = new Set(nodes.map((node) => node.name));
  for (const pod of pods) {
    if (!existing.has(pod.nodeName)) {
      orphans.push(pod);
      continue;
    }
    if (isTerminal(pod) && pod.deletionTimestamp !== undefined) continue;
    const list = byNode.get(pod.nodeName) ?? [];
    list.push(pod);
    byNode.set(pod.nodeName, list);
  }
  return {
    nodes: nodes
      .toSorted((a, b) => compareStrings(a.name, b.name))
      .map((node) => ({
        name: node.name,
        node,
        decision: decide(node),
        pods: (byNode.get(node.name) ?? []).toSorted(comparePodsByAge),
      })),
    orphans: orphans.toSorted((a, b) => compareStrings(a.nodeName, b.nodeName) || compareStrings(a.name, b.name)),
  };
}

export function isTerminal(pod: Pod): boolean {
  return pod.phase === 'Succeeded' || pod.phase === 'Failed';
}

/** The node's pods that are not terminating. */
export function activePods(view: NodeView): readonly Pod[] {
  return view.pods.filter((pod) => pod.deletionTimestamp === undefined);
}

export type UpdatedPodsOnNode =
  | Readonly<{ ok: false }>
  | Readonly<{ ok: true; newPod: Pod | undefined; oldPod: Pod | undefined }>;

/**
 * Kubernetes' `findUpdatedPodsOnNode`: the node's one updated pod (`isPodUpdated`: current hash, or the
 * DaemonSet's template generation when given) and one old pod, ignoring terminating pods; not `ok` when
 * there are two of either (the manage loop prunes those first).
 */
export function findUpdatedPodsOnNode(
  view: NodeView,
  hash: string,
  templateGeneration?: string | undefined,
): UpdatedPodsOnNode {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of activePods(view)) {
    if (isPodUpdated(pod, hash, templateGeneration)) {
      if (newPod !== undefined) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod !== undefined) return { ok: false };
      oldPod = pod;
    }
  }
  return { ok: true, newPod, oldPod };
}
