/**
 * Invariants (asserted by test/property/placement.property.test.ts):
 * - `shouldRun` implies `shouldContinueRunning`.
 * - `reasons` is empty exactly when `shouldRun` is true.
 * - `PreferNoSchedule` taints never change the decision.
 * - Adding a toleration never turns a true answer into false.
 * - The decision does not depend on the order of taints or tolerations.
 * - An `Exists` toleration with empty key and effect makes every taint irrelevant.
 */
import type { Node, Taint } from '../model/node.js';
import type { PlacementSpec } from '../model/pod-spec.js';
import { daemonPodTolerations } from './daemon-pod-tolerations.js';
import { formatTaint } from './format-taint.js';
import { nodeSelectorMismatches } from './node-selector-mismatches.js';
import { nodeSelectorTermsMatch } from './node-selector-terms-match.js';
import { toleratesTaint } from './tolerates-taint.js';

/** Kubernetes' `NodeShouldRunDaemonPod` answer, with readable reasons for every "no". */
export type PlacementDecision = Readonly<{
  shouldRun: boolean;
  shouldContinueRunning: boolean;
  /** Why not (empty when both are true), e.g. `taint node-role.kubernetes.io/control-plane:NoSchedule is not tolerated`. */
  reasons: readonly string[];
}>;

/**
 * Kubernetes' `NodeShouldRunDaemonPod`: may a DaemonSet pod be placed on this node (`shouldRun`), and
 * may one already there stay (`shouldContinueRunning`)?
 *
 * - Template `spec.nodeName` naming another node, `spec.nodeSelector` or required node affinity not
 *   matching: neither.
 * - A `NoSchedule` or `NoExecute` taint the pod does not tolerate (template tolerations plus the
 *   DaemonSet defaults, see {@link daemonPodTolerations}): not `shouldRun`; an untolerated `NoExecute`
 *   also ends `shouldContinueRunning`. `PreferNoSchedule` is ignored.
 * - Node conditions, `spec.unschedulable`, resources and host ports are not consulted.
 *
 * Unlike Kubernetes, which stops at the first failing rule, `reasons` lists every failure, in the
 * order nodeName, nodeSelector (by key), node affinity, taints (by key, effect, value).
 *
 * @example
 * nodeShouldRunDaemonPod(controlPlane, placement);
 * // { shouldRun: false, shouldContinueRunning: true,
 * //   reasons: ['taint node-role.kubernetes.io/control-plane:NoSchedule is not tolerated'] }
 */
export function nodeShouldRunDaemonPod(node: Node, placement: PlacementSpec): PlacementDecision {
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
