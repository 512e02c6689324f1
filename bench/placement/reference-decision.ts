import type { Node, Taint } from '../../lib/model/node.js';
import type { PlacementSpec } from '../../lib/model/pod-spec.js';
import { daemonPodTolerations } from '../../lib/placement/daemon-pod-tolerations.js';
import { nodeSelectorMismatches } from '../../lib/placement/node-selector-mismatches.js';
import { nodeSelectorTermsMatch } from '../../lib/placement/node-selector-terms-match.js';
import type { PlacementDecision } from '../../lib/placement/node-should-run-daemon-pod.js';
import { formatTaint } from '../../lib/placement/placement-reasons.js';
import { toleratesTaint } from '../../lib/placement/tolerates-taint.js';

/**
 * `nodeShouldRunDaemonPod` as it was first written (commit 703d08f): reasons first, answers derived from
 * them, tolerations merged on every call. Kept here so every run shows the optimisation's effect on the
 * same machine, at the same moment.
 */
export function referenceDecision(node: Node, placement: PlacementSpec): PlacementDecision {
  const nodeNameReasons =
    placement.nodeName && placement.nodeName !== node.name ? [`spec.nodeName is ${placement.nodeName}`] : [];
  const selectorReasons = nodeSelectorMismatches(placement.nodeSelector, node.labels);
  const affinityReasons = affinityMismatches(placement, node);
  const blocking = untoleratedTaints(node.taints, placement);
  const fits = nodeNameReasons.length === 0 && selectorReasons.length === 0 && affinityReasons.length === 0;
  return {
    shouldRun: fits && blocking.length === 0,
    shouldContinueRunning: fits && !blocking.some((taint) => taint.effect === 'NoExecute'),
    reasons: [
      ...nodeNameReasons,
      ...selectorReasons,
      ...affinityReasons,
      ...blocking.map((taint) => `taint ${formatTaint(taint)} is not tolerated`),
    ],
  };
}

function affinityMismatches(placement: PlacementSpec, node: Node): readonly string[] {
  if (placement.requiredNodeAffinity === undefined) return [];
  const { matches, termMismatches } = nodeSelectorTermsMatch(placement.requiredNodeAffinity, node);
  if (matches) return [];
  const why = termMismatches.length > 0 ? termMismatches.join('; ') : 'there are no terms';
  return [`node affinity: no nodeSelectorTerm matches (${why})`];
}

function untoleratedTaints(taints: readonly Taint[], placement: PlacementSpec): readonly Taint[] {
  const tolerations = daemonPodTolerations(placement);
  return taints
    .filter((taint) => taint.effect === 'NoSchedule' || taint.effect === 'NoExecute')
    .filter((taint) => !tolerations.some((toleration) => toleratesTaint(toleration, taint)))
    .toSorted(byKeyEffectValue);
}

function byKeyEffectValue(a: Taint, b: Taint): number {
  return compare(a.key, b.key) || compare(a.effect, b.effect) || compare(a.value ?? '', b.value ?? '');
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
