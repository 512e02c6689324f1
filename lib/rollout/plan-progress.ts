/**
 * Invariants (asserted by test/property/rollout-extensions.property.test.ts):
 * - Without `progressDeadlineSeconds` there are no conditions, no events and no revert (Kubernetes).
 * - A revert is proposed only with `autoRevert`, after the deadline passed, towards the last revision that
 *   was available on every desired node, and never towards the current one.
 * - `lastProgressAt` never decreases within one rollout and never lies in the future.
 */
import type { ControllerMemory, RolloutProgress } from '../model/controller-memory.js';
import type { ControllerRevision, DaemonSet } from '../model/daemon-set.js';
import type { DaemonSetCondition, DaemonSetEvent } from '../model/status.js';
import type { ReconcileStep } from '../ports/reconcile-step.js';
import { activePods, type NodeView } from './node-view.js';
import type { StatusCounters } from './plan-status.js';
import { availableFrom, isPodAvailable } from './pod-availability.js';

export type ProgressInput = Readonly<{
  daemonSet: DaemonSet;
  current: ControllerRevision;
  old: readonly ControllerRevision[];
  nodes: readonly NodeView[];
  /** The rollout as tracked before this step (already restarted if the revision changed). */
  tracking: RolloutProgress;
  lastCompleteRevisionHash: string | undefined;
  counters: StatusCounters;
  previousConditions: readonly DaemonSetCondition[];
  scope: ReadonlySet<string> | undefined;
  exempt: ReadonlySet<string>;
  now: number;
}>;

export type ProgressPlan = Readonly<{
  memory: Pick<ControllerMemory, 'rollout' | 'lastCompleteRevisionHash'>;
  conditions: readonly DaemonSetCondition[];
  events: readonly DaemonSetEvent[];
  revertTemplate?: ReconcileStep['revertTemplate'];
  recheckAfterMs?: number;
}>;

const PROGRESSING = 'Progressing';
const TIMER_REASONS = new Set(['NewRevisionProgressing', 'ProgressDeadlineExceeded']);

/**
 * Rollout progress beyond Kubernetes, modelled on Deployments' `progressDeadlineSeconds`:
 *
 * - Progress is a pod of the current revision becoming available (its Ready time plus minReadySeconds).
 * - A rollout whose target is reached (every desired node in the update scope, NotReady-exempt nodes
 *   aside, runs only current pods and the oldest is available) is `Progressing=True/NewRevisionAvailable`;
 *   while paused or frozen it is `Unknown/RolloutPaused|RolloutFrozen`. In both the deadline clock stops
 *   and restarts when the target is left (a node joins, the rollout resumes).
 * - Otherwise `True/NewRevisionProgressing` until `progressDeadlineSeconds` pass without progress, then
 *   `False/ProgressDeadlineExceeded` with a Warning event; with `autoRevert` (RollingUpdate only) the step
 *   carries the template of `lastCompleteRevisionHash` and a `RolloutReverted` Warning.
 * - `lastCompleteRevisionHash` records the current revision whenever every desired node (at least one)
 *   runs it available as its oldest pod.
 */
export function planProgress(input: ProgressInput): ProgressPlan {
  const { daemonSet, current, now } = input;
  const { progressDeadlineSeconds } = daemonSet.rollout;
  const desired = input.counters.desiredNumberScheduled;
  const complete =
    desired > 0 && input.counters.updatedNumberScheduled === desired && input.counters.numberAvailable === desired;
  const lastCompleteRevisionHash = complete ? current.hash : input.lastCompleteRevisionHash;
  const progressedAt = Math.max(input.tracking.lastProgressAt, latestAvailability(input) ?? Number.NEGATIVE_INFINITY);
  const memoryOf = (lastProgressAt: number): ProgressPlan['memory'] => ({
    rollout: { ...input.tracking, lastProgressAt },
    ...(lastCompleteRevisionHash === undefined ? {} : { lastCompleteRevisionHash }),
  });
  if (progressDeadlineSeconds === undefined) return { memory: memoryOf(progressedAt), conditions: [], events: [] };

  const previous = input.previousConditions.find((condition) => condition.type === PROGRESSING);
  const time = new Date(now).toISOString();
  const condition = (status: DaemonSetCondition['status'], reason: string, message: string): DaemonSetCondition =>
    progressingCondition(previous, status, reason, message, time);
  const revision = `Revision "${current.name}"`;
  if (daemonSet.rollout.frozen || daemonSet.rollout.paused) {
    const reason = daemonSet.rollout.frozen ? 'RolloutFrozen' : 'RolloutPaused';
    const message = `Rollout is ${daemonSet.rollout.frozen ? 'frozen' : 'paused'}.`;
    return { memory: memoryOf(progressedAt), conditions: [condition('Unknown', reason, message)], events: [] };
  }
  if (targetReached(input)) {
    const available = condition('True', 'NewRevisionAvailable', `${revision} has successfully progressed.`);
    return { memory: memoryOf(progressedAt), conditions: [available], events: [] };
  }
  const clockRunning = previous !== undefined && TIMER_REASONS.has(previous.reason ?? '');
  const lastProgressAt = clockRunning ? progressedAt : Math.max(progressedAt, now);
  const deadline = lastProgressAt + progressDeadlineSeconds * 1000;
  if (now <= deadline) {
    const progressing = condition('True', 'NewRevisionProgressing', `${revision} is progressing.`);
    return {
      memory: memoryOf(lastProgressAt),
      conditions: [progressing],
      events: [],
      recheckAfterMs: deadline - now + 1,
    };
  }
  const exceeded = condition('False', 'ProgressDeadlineExceeded', `${revision} has timed out progressing.`);
  const events: DaemonSetEvent[] = [];
  if (previous?.status !== 'False' || previous.reason !== 'ProgressDeadlineExceeded') {
    const message = `${revision} made no progress for ${progressDeadlineSeconds}s`;
    events.push({ type: 'Warning', reason: 'ProgressDeadlineExceeded', message, time });
  }
  // Under OnDelete the user replaces pods, so a stalled rollout is not the template's fault: report, never revert.
  const reverts = daemonSet.rollout.autoRevert && daemonSet.updateStrategy.type === 'RollingUpdate';
  const target = reverts ? revertTarget(input, lastCompleteRevisionHash) : undefined;
  if (target === undefined) return { memory: memoryOf(lastProgressAt), conditions: [exceeded], events };
  events.push({
    type: 'Warning',
    reason: 'RolloutReverted',
    message: `Rolled back to revision ${target.revision} ("${target.name}"), the last revision available on every node, after ${revision} made no progress for ${progressDeadlineSeconds}s`,
    time,
  });
  return {
    memory: memoryOf(lastProgressAt),
    conditions: [exceeded],
    events,
    revertTemplate: { template: target.template, toRevision: target.revision },
  };
}

/** The latest moment a current-revision pod on a desired node became available, when known. */
function latestAvailability(input: ProgressInput): number | undefined {
  const { minReadySeconds } = input.daemonSet;
  let latest: number | undefined;
  for (const view of input.nodes) {
    if (!view.decision.shouldRun) continue;
    for (const pod of activePods(view)) {
      if (pod.revisionHash !== input.current.hash || !isPodAvailable(pod, minReadySeconds, input.now)) continue;
      const from = availableFrom(pod, minReadySeconds);
      if (from !== undefined && (latest === undefined || from > latest)) latest = from;
    }
  }
  return latest;
}

function targetReached(input: ProgressInput): boolean {
  return input.nodes.every((view) => {
    if (!view.decision.shouldRun || input.exempt.has(view.name)) return true;
    if (input.scope !== undefined && !input.scope.has(view.name)) return true;
    const active = activePods(view);
    const first = active[0];
    return (
      first !== undefined &&
      active.every((pod) => pod.revisionHash === input.current.hash) &&
      isPodAvailable(first, input.daemonSet.minReadySeconds, input.now)
    );
  });
}

function revertTarget(input: ProgressInput, hash: string | undefined): ControllerRevision | undefined {
  if (hash === undefined || hash === input.current.hash) return undefined;
  return input.old.find((revision) => revision.hash === hash);
}

function progressingCondition(
  previous: DaemonSetCondition | undefined,
  status: DaemonSetCondition['status'],
  reason: string,
  message: string,
  time: string,
): DaemonSetCondition {
  const sameStatus = previous?.status === status;
  const unchanged = sameStatus && previous?.reason === reason && previous.message === message;
  return {
    type: PROGRESSING,
    status,
    reason,
    message,
    lastTransitionTime: sameStatus && previous !== undefined ? previous.lastTransitionTime : time,
    lastUpdateTime: unchanged && previous?.lastUpdateTime !== undefined ? previous.lastUpdateTime : time,
  };
}
