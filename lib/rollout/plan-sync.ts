/**
 * Invariants (asserted by test/property/rollout.property.test.ts):
 * - A step is either manage actions or rolling-update actions, never both (Kubernetes runs rollingUpdate
 *   only once the manage loop's expectations are satisfied).
 * - Frozen: no creates and no deletes but those of pods whose node is gone.
 * - Paused or OnDelete: no rolling-update actions.
 */
import type { FailedPodBackoff } from '../model/controller-memory.js';
import type { DaemonSet } from '../model/daemon-set.js';
import type { Pod, PodDeletion } from '../model/pod.js';
import type { DaemonSetEvent } from '../model/status.js';
import type { NodeView } from './node-view.js';
import { planManage } from './plan-manage.js';
import { planRollingUpdate } from './plan-rolling-update.js';
import { rolloutNodes } from './plan-update-scope.js';
import { rolloutBudget } from './rollout-budget.js';

export type SyncInput = Readonly<{
  daemonSet: DaemonSet;
  hash: string;
  nodes: readonly NodeView[];
  orphans: readonly Pod[];
  desiredNumberScheduled: number;
  scope: ReadonlySet<string> | undefined;
  exempt: ReadonlySet<string>;
  failedPodBackoff: Readonly<Record<string, FailedPodBackoff>>;
  now: number;
}>;

export type SyncPlan = Readonly<{
  phase: 'manage' | 'rollingUpdate' | 'idle';
  /** Nodes to create a current-revision pod on, in the order they should be created. */
  createOn: readonly string[];
  deletions: readonly PodDeletion[];
  events: readonly DaemonSetEvent[];
  failedPodBackoff: Readonly<Record<string, FailedPodBackoff>>;
  recheckAfterMs?: number;
}>;

/**
 * The pod decisions of one Kubernetes sync: the manage loop, with pods whose node is gone collected as
 * Kubernetes' pod garbage collector does (even when frozen: they run nowhere); then, only if that changed
 * nothing, the rolling update (not for OnDelete, not while paused). Frozen skips both.
 */
export function planSync(input: SyncInput): SyncPlan {
  const { daemonSet } = input;
  const orphaned = input.orphans.map((pod): PodDeletion => ({ pod, reason: 'orphaned' }));
  const untouched = { createOn: [], events: [], failedPodBackoff: input.failedPodBackoff };
  if (daemonSet.rollout.frozen) {
    return orphaned.length > 0
      ? { ...untouched, phase: 'manage', deletions: orphaned }
      : { ...untouched, phase: 'idle', deletions: [] };
  }
  const manage = planManage({
    daemonSet,
    hash: input.hash,
    nodes: input.nodes,
    failedPodBackoff: input.failedPodBackoff,
    now: input.now,
  });
  const manageDeletions = [...manage.deletions, ...orphaned];
  const idle = manage.createOn.length === 0 && manageDeletions.length === 0;
  if (!idle || daemonSet.updateStrategy.type !== 'RollingUpdate' || daemonSet.rollout.paused) {
    return { ...manage, phase: idle ? 'idle' : 'manage', deletions: manageDeletions };
  }
  const update = planRollingUpdate({
    daemonSet,
    hash: input.hash,
    nodes: rolloutNodes(input.nodes),
    budget: rolloutBudget(daemonSet.updateStrategy, input.desiredNumberScheduled),
    desiredNumberScheduled: input.desiredNumberScheduled,
    scope: input.scope,
    exempt: input.exempt,
    now: input.now,
  });
  const acted = update.createOn.length > 0 || update.deletions.length > 0;
  return { ...manage, phase: acted ? 'rollingUpdate' : 'idle', createOn: update.createOn, deletions: update.deletions };
}
