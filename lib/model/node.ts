/** The taint effects Kubernetes knows. `PreferNoSchedule` never affects DaemonSet placement. */
export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export type Taint = Readonly<{
  key: string;
  value?: string;
  effect: TaintEffect;
  timeAdded?: string;
}>;

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export type NodeCondition = Readonly<{
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}>;

/** An EC2 Auto Scaling lifecycle hook transition everynode completes. */
export type LifecycleTransition = 'launch' | 'terminate';

/** The result `CompleteLifecycleAction` is called with. */
export type LifecycleResult = 'CONTINUE' | 'ABANDON';

/**
 * One EC2 Auto Scaling lifecycle action received for a node (its token, hook and group are the event's), with
 * everynode's decision about it. The decision is written once, with the node fact that motivates it (the gate's
 * opening, its deadline, the end of a drain); `completedAt` records that `CompleteLifecycleAction` was accepted
 * (or found the action already closed), so a redelivered check never calls it again.
 */
export type LifecycleAction = Readonly<{
  transition: LifecycleTransition;
  autoScalingGroupName: string;
  lifecycleHookName: string;
  lifecycleActionToken: string;
  /** RFC 3339: when the lifecycle action started (the event's time). */
  receivedAt: string;
  result?: LifecycleResult;
  decidedAt?: string;
  completedAt?: string;
  /** The last `RecordLifecycleActionHeartbeat`, RFC 3339. */
  heartbeatAt?: string;
}>;

/**
 * A drain in progress (`everynode node drain`, or an Auto Scaling terminate lifecycle action): the node gets no new
 * DaemonSet pods; its pods are deleted non-critical first, startup-critical last, each waited for until its agent
 * reports it gone or its `terminationGracePeriodSeconds` passed; then the node is removed, or kept cordoned.
 */
export type NodeDrain = Readonly<{
  /** RFC 3339: when the drain was asked for (the fact's time). */
  requestedAt: string;
  /** The drain ends (and the node goes) after this long whatever is left. Absent: no limit. */
  timeoutSeconds?: number;
  /** Keep the node, cordoned, instead of removing it. */
  keep: boolean;
  /** RFC 3339: when a kept node's drain ended. */
  completedAt?: string;
}>;

/** A v1 Node, reduced to what placement, status and the dashboard use. */
export type Node = Readonly<{
  name: string;
  labels: Readonly<Record<string, string>>;
  taints: readonly Taint[];
  /** `spec.unschedulable` (cordoned). Not consulted by DaemonSet placement, shown to users. */
  unschedulable: boolean;
  conditions: readonly NodeCondition[];
  /** `status.allocatable` quantities as strings (`cpu: "4"`, `memory: "16Gi"`). Kept for later use. */
  allocatable: Readonly<Record<string, string>>;
  creationTimestamp?: string;
  /** Opaque version of the fact, used to drop stale node events (Kubernetes resourceVersion or event time). */
  resourceVersion?: string;
  /** The EC2 Auto Scaling lifecycle action this node waits on, when it joined or leaves through a hook. */
  lifecycleAction?: LifecycleAction;
  /** A drain asked for on this node (see `NodeDrain`). */
  drain?: NodeDrain;
}>;

/** The Ready condition's status, `Unknown` when the node has not reported one. */
export function nodeReadyStatus(node: Node): ConditionStatus {
  return node.conditions.find((condition) => condition.type === 'Ready')?.status ?? 'Unknown';
}
