import type { Node, Taint } from '../model/node.js';
import type { PlacementSpec, Toleration } from '../model/pod-spec.js';
import { formatTaint } from './format-taint.js';
import { nodeSelectorMismatches } from './node-selector-mismatches.js';
import { nodeSelectorTermsMatch } from './node-selector-terms-match.js';
import { toleratesTaint } from './tolerates-taint.js';

/**
 * Every reason a DaemonSet pod may not be placed on a node, in the order nodeName, nodeSelector (by key),
 * node affinity, taints (by key, effect, value); empty when it may. `tolerations` are the pod's real ones
 * (see `daemonPodTolerations`).
 */
export function placementReasons(node: Node, placement: PlacementSpec, tolerations: readonly Toleration[]): string[] {
  const nodeNameReasons =
    placement.nodeName && placement.nodeName !== node.name ? [`spec.nodeName is ${placement.nodeName}`] : [];
  return [
    ...nodeNameReasons,
    ...nodeSelectorMismatches(placement.nodeSelector, node.labels),
    ...affinityMismatches(placement, node),
    ...untoleratedTaints(node.taints, tolerations).map((taint) => `taint ${formatTaint(taint)} is not tolerated`),
  ];
}

function affinityMismatches(placement: PlacementSpec, node: Node): readonly string[] {
  if (placement.requiredNodeAffinity === undefined) return [];
  const { matches, termMismatches } = nodeSelectorTermsMatch(placement.requiredNodeAffinity, node);
  if (matches) return [];
  const why = termMismatches.length > 0 ? termMismatches.join('; ') : 'there are no terms';
  return [`node affinity: no nodeSelectorTerm matches (${why})`];
}

function untoleratedTaints(taints: readonly Taint[], tolerations: readonly Toleration[]): readonly Taint[] {
  return taints
    .filter((taint) => taint.effect === 'NoSchedule' || taint.effect === 'NoExecute')
    .filter((taint) => !tolerations.some((toleration) => toleratesTaint(toleration, taint)))
    .toSorted(byKeyEffectValue);
}

function byKeyEffectValue(a: Taint, b: Taint): number {
  return compare(a.key, b.key) || compare(a.effect, b.effect) || compare(a.value ?? '', b.value ?? '');
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
