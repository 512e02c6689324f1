/**
 * Invariants (asserted by test/property/placement.property.test.ts):
 * - `shouldRun` implies `shouldContinueRunning`.
 * - `reasons` is empty exactly when `shouldRun` is true.
 * - `PreferNoSchedule` taints never change the decision.
 * - Adding a toleration never turns a true answer into false.
 * - The decision does not depend on the order of taints or tolerations.
 * - An `Exists` toleration with empty key and effect makes every taint irrelevant.
 */
import type { Node } from '../model/node.js';
import type { PlacementSpec } from '../model/pod-spec.js';
import { compilePlacement } from './compile-placement.js';
import { type PlacementAnswers, placementAnswers } from './placement-answers.js';
import { placementReasons } from './placement-reasons.js';

/** Kubernetes' `NodeShouldRunDaemonPod` answer, with readable reasons for every "no". */
export type PlacementDecision = PlacementAnswers &
  Readonly<{
    /** Why not (empty when both are true), e.g. `taint node-role.kubernetes.io/control-plane:NoSchedule is not tolerated`. */
    reasons: readonly string[];
  }>;

const SHOULD_RUN: PlacementDecision = Object.freeze({
  shouldRun: true,
  shouldContinueRunning: true,
  reasons: Object.freeze([]),
});

/**
 * Kubernetes' `NodeShouldRunDaemonPod`: may a DaemonSet pod be placed on this node (`shouldRun`), and
 * may one already there stay (`shouldContinueRunning`)?
 *
 * - Template `spec.nodeName` naming another node, `spec.nodeSelector` or required node affinity not
 *   matching: neither.
 * - A `NoSchedule` or `NoExecute` taint the pod does not tolerate (template tolerations plus the
 *   DaemonSet defaults, see `daemonPodTolerations`): not `shouldRun`; an untolerated `NoExecute`
 *   also ends `shouldContinueRunning`. `PreferNoSchedule` is ignored.
 * - Node conditions, `spec.unschedulable`, resources and host ports are not consulted.
 *
 * Unlike Kubernetes, which stops at the first failing rule, `reasons` lists every failure, in the
 * order nodeName, nodeSelector (by key), node affinity, taints (by key, effect, value).
 *
 * The answers come from {@link placementAnswers} (a compiled placement, no strings); the reasons are
 * built only for a "no". Planners that never show reasons should call `placementAnswers` directly.
 *
 * @example
 * nodeShouldRunDaemonPod(controlPlane, placement);
 * // { shouldRun: false, shouldContinueRunning: true,
 * //   reasons: ['taint node-role.kubernetes.io/control-plane:NoSchedule is not tolerated'] }
 */
export function nodeShouldRunDaemonPod(node: Node, placement: PlacementSpec): PlacementDecision {
  const answers = placementAnswers(node, placement);
  if (answers.shouldRun) return SHOULD_RUN;
  return { ...answers, reasons: placementReasons(node, placement, compilePlacement(placement).tolerations) };
}
