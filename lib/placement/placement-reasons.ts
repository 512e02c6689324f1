import type { Node, Taint } from '../model/node.js';
import { compareStrings } from '../model/order.js';
import type { PlacementSpec, Toleration } from '../model/pod-spec.js';
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
  return (
    compareStrings(a.key, b.key) || compareStrings(a.effect, b.effect) || compareStrings(a.value ?? '', b.value ?? '')
  );
}

/**
 * Renders a taint as kubectl does: `key=value:Effect`, or `key:Effect` without a value.
 *
 * @example
 * formatTaint({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }); // 'dedicated=gpu:NoSchedule'
 */
export function formatTaint(taint: Taint): string {
  const value = taint.value ? `=${taint.value}` : '';
  return `${taint.key}${value}:${taint.effect}`;
}
