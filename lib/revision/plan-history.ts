import type { DaemonSet } from '../model/daemon-set.js';
import type { Pod } from '../model/pod.js';
import type { ControllerRevision } from '../model/revision.js';
import type { RevisionChange } from '../reconcile/reconcile-step.js';

/** The outcome of Kubernetes' constructHistory + cleanupHistory for one step. */
export type HistoryPlan = Readonly<{
  /** The revision matching the DaemonSet's template (created by `changes` if it did not exist). */
  current: ControllerRevision;
  /** Every other revision that remains after cleanup. */
  old: readonly ControllerRevision[];
  changes: readonly RevisionChange[];
  /** `status.collisionCount` after resolving hash clashes. */
  collisionCount: number;
}>;

/** STUB (issue 3, placement/revisions work): constructHistory, dedup and cleanupHistory as Kubernetes does. */
export function planHistory(
  _daemonSet: DaemonSet,
  _revisions: readonly ControllerRevision[],
  _pods: readonly Pod[],
  _collisionCount: number,
  _now: number,
): HistoryPlan {
  throw new Error('not implemented');
}
