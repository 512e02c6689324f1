/**
 * What the controller must remember between reconcile steps, because Kubernetes keeps it in memory
 * (failed-pod backoff) or because everynode's extensions need history (progress deadline, auto-revert).
 * Stored beside the DaemonSet status and written with the same version condition.
 */
export type FailedPodBackoff = Readonly<{
  /**
   * DaemonSet generation the entry belongs to. Kubernetes keys backoff by
   * `<uid>/<status.observedGeneration>/<node>`: its first sync after a spec change still consults the old
   * entry, and the status write that follows re-syncs at once under a fresh one. Keying by `generation`
   * starts the fresh entry one sync earlier; at most one failed-pod deletion is timed differently.
   */
  generation: number;
  /** Current backoff delay in milliseconds (1 s doubling to 15 min). */
  delayMs: number;
  /** Epoch milliseconds of the last failed-pod deletion on this node. */
  lastUpdate: number;
}>;

export type RolloutProgress = Readonly<{
  /** The revision hash being rolled out. */
  revisionHash: string;
  /** Epoch ms when this revision became current. */
  startedAt: number;
  /** Epoch ms of the last time a pod of this revision became available (or the rollout started). */
  lastProgressAt: number;
  /** Nodes that were NotReady before the rollout reached them (notReadyAware). */
  notReadyAtStart: readonly string[];
}>;

export type ControllerMemory = Readonly<{
  failedPodBackoff: Readonly<Record<string, FailedPodBackoff>>;
  rollout?: RolloutProgress;
  /** Hash of the last revision that was fully rolled out and available on every desired node. */
  lastCompleteRevisionHash?: string;
}>;

export const EMPTY_CONTROLLER_MEMORY: ControllerMemory = { failedPodBackoff: {} };
