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

/** A status with every counter at zero and no conditions: what a DaemonSet has before its first sync. */
export function emptyDaemonSetStatus(observedGeneration = 0): DaemonSetStatus {
  return {
    observedGeneration,
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
    conditions: [],
  };
}

/** A Kubernetes-style event recorded against a DaemonSet (shown by `everynode describe`). */
export type DaemonSetEvent = Readonly<{
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** RFC 3339 */
  time: string;
}>;

/**
 * A Kubernetes-style event about a node (the startup gate opening, its deadline, continuous mode gating it again):
 * listed by `everynode get events`, `describe node` and the Kubernetes API's v1 events. One per node, time and
 * reason: recording it again changes nothing.
 */
export type NodeEvent = DaemonSetEvent & Readonly<{ node: string }>;

/** An event that was refused, kept where an operator can find it (`everynode get rejections`). */
export type Rejection = Readonly<{
  /** Stable id of the refused message (SQS message id or a hash of the body) so a redelivery records once. */
  id: string;
  /** Where it came from: queue name, `api`, `eventbridge`... */
  source: string;
  reason: string;
  /** The offending body, truncated to a safe size. */
  body: string;
  time: string;
}>;
