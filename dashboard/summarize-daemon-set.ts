import type { DaemonSetStatus } from '../lib/model/status.js';
import type { StoredDaemonSet } from '../lib/ports/cluster-store.js';
import type { DashboardDaemonSet } from './dashboard-state.js';

/** The counts a DaemonSet's progress is read from. */
export type DaemonSetProgress = Readonly<{ desired: number; updated: number; available: number; ready: number }>;

/** The controller's counts from its status, as `kubectl get ds` reads them. */
export const progressOfStatus = (status: DaemonSetStatus): DaemonSetProgress => ({
  desired: status.desiredNumberScheduled,
  updated: status.updatedNumberScheduled,
  available: status.numberAvailable,
  ready: status.numberReady,
});

/**
 * A DaemonSet's row as both dashboard views show it: its name and strategy, `progress`, whether a rolling update
 * still has work left (`complete` false), its switches, and the warnings of a `Progressing=False` condition.
 */
export function summarizeDaemonSet(
  stored: StoredDaemonSet,
  key: string,
  currentRevision: string,
  progress: DaemonSetProgress,
  complete: boolean,
): DashboardDaemonSet {
  const { daemonSet, status } = stored;
  return {
    key,
    namespace: daemonSet.namespace,
    name: daemonSet.name,
    strategy: daemonSet.updateStrategy.type,
    currentRevision,
    ...progress,
    rolling: daemonSet.updateStrategy.type === 'RollingUpdate' && !complete,
    paused: daemonSet.rollout.paused,
    frozen: daemonSet.rollout.frozen,
    deleting: daemonSet.deletionTimestamp !== undefined,
    warnings: (status?.conditions ?? [])
      .filter((condition) => condition.type === 'Progressing' && condition.status === 'False')
      .map((condition) => `${condition.type}=False: ${condition.reason ?? ''} ${condition.message ?? ''}`.trim()),
  };
}
