/**
 * Invariants (asserted by test/property/rollout.property.test.ts and rollout-simulation.property.test.ts):
 * - The step does not depend on the order of nodes, pods or revisions.
 * - Once every desired node runs one available pod of the current revision, re-planning does nothing.
 * - When every new pod turns ready at once, a rollout takes ceil(N / maxUnavailable) waves (maxSurge with surge).
 * - Without surge, no node ever runs two pods, whatever happens between steps.
 * - A healthy rollout never leaves more than maxUnavailable nodes without an available pod (none with surge).
 * - A step's status is the one the next step plans from the state it leaves, when nothing else changed.
 */
import type { Pod } from '../model/pod.js';
import type { DaemonSetStatus } from '../model/status.js';
import { placementAnswers } from '../placement/placement-answers.js';
import type { ClusterSnapshot } from '../ports/cluster-snapshot.js';
import type { ReconcileStep } from '../ports/reconcile-step.js';
import { planHistory } from '../revision/plan-history.js';
import { beginRollout } from '../rollout/begin-rollout.js';
import { collectIdleBackoff } from '../rollout/failed-pod-backoff.js';
import { templateGeneration } from '../rollout/is-pod-updated.js';
import { type NodeViews, toNodeViews } from '../rollout/node-view.js';
import { planProgress } from '../rollout/plan-progress.js';
import {
  countStatus,
  countUnavailableOnNotReadyNodes,
  type StatusCounters,
  secondsUntilNextAvailable,
} from '../rollout/plan-status.js';
import { planSync } from '../rollout/plan-sync.js';
import { planUpdateScope, rolloutNodes } from '../rollout/plan-update-scope.js';
import { planDaemonSetDeletion, planSelectingAll } from './plan-daemon-set-deletion.js';
import { snapshotAfterStep } from './snapshot-after-step.js';
import { toPodActions } from './to-pod-actions.js';

/**
 * One Kubernetes DaemonSet sync (`syncDaemonSet`) as a pure function; iterating it walks the steps the
 * Kubernetes controller walks.
 *
 * 1. A DaemonSet being deleted only has its pods deleted; an empty selector only gets a `SelectingAll` warning.
 * 2. History first (`constructHistory`/`cleanupHistory`): the current revision's hash marks updated pods.
 * 3. The manage loop; only if it changed nothing, the rolling update (see `planSync`), capped at
 *    `burstReplicas` creates and deletes with deterministic pod names (see `toPodActions`).
 * 4. Status from each node's oldest pod, with `observedGeneration`, `updateRevision`, `collisionCount` and,
 *    with progress tracking, a `Progressing` condition; controller memory (failed-pod backoff, rollout
 *    progress) and the time to look again (minReadySeconds, backoff, progress deadline).
 * 5. The status as of after the step's own creates and deletions (`snapshotAfterStep`), so the next pass over an
 *    unchanged cluster does not write status again.
 *
 * Nodes and pods are sorted before any decision, so the step does not depend on input order.
 */
export function planReconcile(snapshot: ClusterSnapshot, now: number): ReconcileStep {
  const { step, statusAfter } = planOnce(snapshot, now);
  // 5. The status counts the step's own pods (issue 11: no second status write by the next pass). Kubernetes
  // counts from its informer, which catches up with the creates a moment later and writes status again; the
  // status written here is the one that sync would reach, in one write: the next pass over the state this step
  // leaves plans the same status. Only a step that creates or deletes pods needs the second look.
  if (step.actions.length === 0 || statusAfter === undefined) return step;
  const after = snapshotAfterStep(snapshot, step, now);
  return after === undefined ? step : { ...step, status: statusAfter(after.pods) };
}

type Planned = Readonly<{
  step: ReconcileStep;
  /** The step's status recounted over other pods (the node decisions and the rest kept). */
  statusAfter?: (pods: readonly Pod[]) => DaemonSetStatus;
}>;

function planOnce(snapshot: ClusterSnapshot, now: number): Planned {
  const { daemonSet, memory } = snapshot;
  if (daemonSet.deletionTimestamp !== undefined) return { step: planDaemonSetDeletion(snapshot, now) };
  const { matchLabels = {}, matchExpressions = [] } = daemonSet.selector;
  if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) {
    return { step: planSelectingAll(snapshot, now) };
  }

  const history = planHistory(daemonSet, snapshot.revisions, snapshot.pods, snapshot.status?.collisionCount ?? 0, now);
  const hash = history.current.hash;
  const { minReadySeconds } = daemonSet;
  const views = toNodeViews(snapshot.nodes, snapshot.pods, (node) => placementAnswers(node, daemonSet.placement));
  const tracking = beginRollout(memory.rollout, hash, views.nodes, daemonSet.rollout.notReadyAware, now);
  const exempt = new Set(tracking.notReadyAtStart);
  const counters = countStatus(views.nodes, hash, minReadySeconds, now, templateGeneration(daemonSet));
  const desired = counters.desiredNumberScheduled;
  const scope = planUpdateScope(daemonSet, hash, rolloutNodes(views.nodes), desired);

  const sync = planSync({
    daemonSet,
    hash,
    nodes: views.nodes,
    orphans: views.orphans,
    desiredNumberScheduled: desired,
    scope,
    exempt,
    failedPodBackoff: memory.failedPodBackoff,
    now,
  });
  const progress = planProgress({
    daemonSet,
    current: history.current,
    old: history.old,
    nodes: views.nodes,
    tracking,
    lastCompleteRevisionHash: memory.lastCompleteRevisionHash,
    counters,
    previousConditions: snapshot.status?.conditions ?? [],
    scope,
    exempt,
    now,
  });
  const pods = toPodActions({
    daemonSet,
    hash,
    version: snapshot.version,
    createOn: sync.createOn,
    deletions: sync.deletions,
    now,
  });

  const statusOver = (nodes: NodeViews['nodes'], counted: StatusCounters): DaemonSetStatus => ({
    observedGeneration: daemonSet.generation,
    ...counted,
    ...(history.collisionCount > 0 ? { collisionCount: history.collisionCount } : {}),
    ...(daemonSet.rollout.notReadyAware
      ? { numberUnavailableOnNotReadyNodes: countUnavailableOnNotReadyNodes(nodes, exempt, minReadySeconds, now) }
      : {}),
    updateRevision: hash,
    conditions: progress.conditions,
  });
  const status = statusOver(views.nodes, counters);
  const statusAfter = (pods: readonly Pod[]): DaemonSetStatus => {
    const decisions = new Map(views.nodes.map((view) => [view.name, view.decision]));
    const after = toNodeViews(
      snapshot.nodes,
      pods,
      (node) => decisions.get(node.name) ?? placementAnswers(node, daemonSet.placement),
    ).nodes;
    return statusOver(after, countStatus(after, hash, minReadySeconds, now, templateGeneration(daemonSet)));
  };
  const recheckAfterSeconds = soonest([
    secondsUntilNextAvailable(views.nodes, minReadySeconds, now),
    toSeconds(sync.recheckAfterMs),
    toSeconds(progress.recheckAfterMs),
  ]);
  const step: ReconcileStep = {
    actions: pods.actions,
    revisions: history.changes,
    status,
    memory: { failedPodBackoff: collectIdleBackoff(sync.failedPodBackoff, now), ...progress.memory },
    events: [...sync.events, ...pods.events, ...progress.events],
    ...(progress.revertTemplate === undefined ? {} : { revertTemplate: progress.revertTemplate }),
    ...(recheckAfterSeconds === undefined ? {} : { recheckAfterSeconds }),
  };
  return { step, statusAfter };
}

function toSeconds(milliseconds: number | undefined): number | undefined {
  return milliseconds === undefined ? undefined : Math.max(1, Math.ceil(milliseconds / 1000));
}

function soonest(candidates: readonly (number | undefined)[]): number | undefined {
  const defined = candidates.filter((value): value is number => value !== undefined);
  return defined.length === 0 ? undefined : Math.min(...defined);
}
