import type { ControllerMemory } from '../model/controller-memory.js';
import type { ControllerRevision, PodTemplate } from '../model/daemon-set.js';
import type { Action } from '../model/pod.js';
import type { DaemonSetEvent, DaemonSetStatus } from '../model/status.js';

/** Changes to ControllerRevisions decided by one step (constructHistory and cleanupHistory). */
export type RevisionChange =
  | Readonly<{ kind: 'createRevision'; revision: ControllerRevision }>
  | Readonly<{ kind: 'renumberRevision'; name: string; revision: number }>
  | Readonly<{ kind: 'deleteRevision'; name: string }>;

/**
 * The pure result of one reconcile step: what to write, and when to look again.
 * `planReconcile(snapshot, now)` returns it; `ClusterStore.applyStep` writes it atomically per chunk
 * under the snapshot's version.
 */
export type ReconcileStep = Readonly<{
  actions: readonly Action[];
  revisions: readonly RevisionChange[];
  status: DaemonSetStatus;
  memory: ControllerMemory;
  events: readonly DaemonSetEvent[];
  /**
   * Set when the step changes the DaemonSet's own template (auto-revert). The store writes it as a
   * spec change (generation + 1).
   */
  revertTemplate?: Readonly<{ template: PodTemplate; toRevision: number }>;
  /** Look again after this many seconds (minReadySeconds, failed-pod backoff, progress deadline). */
  recheckAfterSeconds?: number;
  /**
   * The node path's hold on the DaemonSet's pending-reconcile marker (docs/decisions/0004-coalesced-reconcile.md),
   * written with the step's first chunk: `set` stores the marker (epoch ms) whatever it holds; `expect` writes the
   * step only if the marker is still the one read (epoch ms), and leaves it. Planners never set it.
   */
  pendingMark?: PendingMark;
}>;

/** See `ReconcileStep.pendingMark`. */
export type PendingMark = Readonly<{ set: number }> | Readonly<{ expect: number }>;
