/**
 * Invariants (asserted by test/property/plan-node-step.property.test.ts):
 * - Every action of a node step concerns the one node: its pods, or a pod created on it.
 * - A node step never deletes a pod that `planReconcile` on the whole cluster would keep, and never creates
 *   a pod that it would not create: its actions are a subset of the full pass's manage actions for the node.
 * - A node step leaves status and memory as they were (the DaemonSet pass that follows recounts them).
 * - A node step creates at most one pod, and only on a node that holds no pod of the DaemonSet.
 */
import type { Node } from '../model/node.js';
import type { PodDeletion } from '../model/pod.js';
import { placementAnswers } from '../placement/placement-answers.js';
import type { NodeSnapshot } from '../ports/cluster-snapshot.js';
import type { ReconcileStep } from '../ports/reconcile-step.js';
import { toNodeViews } from '../rollout/node-view.js';
import { planManage } from '../rollout/plan-manage.js';
import { toPodActions } from './to-pod-actions.js';

/**
 * What the node path decided for one DaemonSet: a step to write under the snapshot's version (undefined:
 * nothing for this node), and whether the DaemonSet's own pass must run afterwards (its status counts the
 * node, or the node path left a decision to it).
 */
export type NodeStepPlan = Readonly<{ step?: ReconcileStep; needsPass: boolean }>;

/**
 * Placement for one node against one DaemonSet, as Kubernetes' `manage` loop decides it for that node, from
 * the DaemonSet record and its pods on the node alone: create the current revision's pod on a node that
 * should run it and holds none; mark deleted the pods on a node that may no longer run them
 * (`shouldContinueRunning` false: a selector or affinity that no longer matches, an untolerated `NoExecute`
 * taint); collect the pods of a node that is gone (`node` undefined), even when frozen.
 *
 * Everything that needs the fleet or history is left to the DaemonSet's pass, and `needsPass` says so:
 * rolling updates (they spend a budget counted over every node), failed and succeeded pods (backoff lives in
 * the controller's memory), duplicates, a DaemonSet being deleted, an empty selector, and a spec whose
 * revision the pass has not recorded yet (`status.observedGeneration` behind `generation`): the node path only
 * creates pods of the revision the last pass wrote as `status.updateRevision`.
 */
export function planNodeStep(snapshot: NodeSnapshot, node: Node | undefined, now: number): NodeStepPlan {
  const { daemonSet, status } = snapshot;
  const { matchLabels = {}, matchExpressions = [] } = daemonSet.selector;
  const selectsAll = Object.keys(matchLabels).length === 0 && matchExpressions.length === 0;
  const hash = status?.updateRevision;
  const settled = status?.observedGeneration === daemonSet.generation && hash !== undefined;
  if (daemonSet.deletionTimestamp !== undefined || selectsAll || !settled) return { needsPass: true };

  if (node === undefined) {
    const deletions = snapshot.pods.map((pod): PodDeletion => ({ pod, reason: 'orphaned' }));
    return { ...toStep(snapshot, hash, [], deletions, now), needsPass: snapshot.pods.length > 0 };
  }
  const views = toNodeViews([node], snapshot.pods, (each) => placementAnswers(each, daemonSet.placement));
  const [view] = views.nodes;
  if (view === undefined) return { needsPass: true };
  const counted = view.decision.shouldRun || view.decision.shouldContinueRunning || snapshot.pods.length > 0;
  if (daemonSet.rollout.frozen) return { needsPass: counted };

  const manage = planManage({
    daemonSet,
    hash,
    nodes: views.nodes,
    failedPodBackoff: snapshot.memory.failedPodBackoff,
    now,
  });
  const createOn = snapshot.pods.length === 0 ? manage.createOn : [];
  const deletions = manage.deletions.filter((deletion) => deletion.reason === 'ineligible');
  return { ...toStep(snapshot, hash, createOn, deletions, now), needsPass: counted };
}

function toStep(
  snapshot: NodeSnapshot,
  hash: string,
  createOn: readonly string[],
  deletions: readonly PodDeletion[],
  now: number,
): Readonly<{ step?: ReconcileStep }> {
  if (createOn.length === 0 && deletions.length === 0) return {};
  const { actions, events } = toPodActions({
    daemonSet: snapshot.daemonSet,
    hash,
    version: snapshot.version,
    createOn,
    deletions,
    now,
  });
  const status = snapshot.status;
  if (status === undefined) return {};
  return { step: { actions, revisions: [], status, memory: snapshot.memory, events } };
}
