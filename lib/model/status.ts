import type { ConditionStatus } from './node.js';

export type DaemonSetCondition = Readonly<{
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastTransitionTime: string;
  lastUpdateTime?: string;
}>;

/** apps/v1 DaemonSetStatus plus everynode's extra counters. */
export type DaemonSetStatus = Readonly<{
  observedGeneration: number;
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
  collisionCount?: number;
  /** Desired nodes that were NotReady before the rollout reached them (only with notReadyAware). */
  numberUnavailableOnNotReadyNodes?: number;
  /** The hash of the current revision (OpenKruise's `daemonSetHash`). */
  updateRevision?: string;
  conditions: readonly DaemonSetCondition[];
}>;
