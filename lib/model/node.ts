import type { LifecycleAction, NodeDrain } from './node-lifecycle.js';

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
