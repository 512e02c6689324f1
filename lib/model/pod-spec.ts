import type { TaintEffect } from './node.js';

export type TolerationOperator = 'Exists' | 'Equal';

export type Toleration = Readonly<{
  key?: string;
  operator?: TolerationOperator;
  value?: string;
  /** Empty or absent matches every effect. */
  effect?: TaintEffect | '';
  tolerationSeconds?: number;
}>;

export type NodeSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

export type NodeSelectorRequirement = Readonly<{
  key: string;
  operator: NodeSelectorOperator;
  values?: readonly string[];
}>;

export type NodeSelectorTerm = Readonly<{
  matchExpressions?: readonly NodeSelectorRequirement[];
  matchFields?: readonly NodeSelectorRequirement[];
}>;

/**
 * The parts of a pod template's spec that decide where a DaemonSet pod may run.
 * The full template is kept as plain JSON on the DaemonSet; this is the typed view of it.
 */
export type PlacementSpec = Readonly<{
  /** Template `spec.nodeName`: when set, the DaemonSet runs only on that node. */
  nodeName?: string;
  nodeSelector: Readonly<Record<string, string>>;
  /** `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`; absent = no constraint. */
  requiredNodeAffinity?: readonly NodeSelectorTerm[];
  tolerations: readonly Toleration[];
  hostNetwork: boolean;
  /**
   * The DaemonSet is startup-critical (`everynode.io/startup-critical`): its pods also tolerate the startup
   * gate's taint, as they tolerate Kubernetes' defaults. Absent: false.
   */
  startupCritical?: boolean;
}>;
