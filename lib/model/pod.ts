/** Kubernetes pod phases, as node agents report them. */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/**
 * A DaemonSet pod as the planner sees it: the desired record the controller wrote, merged with the
 * latest status its node agent reported.
 */
export type Pod = Readonly<{
  name: string;
  namespace: string;
  nodeName: string;
  /** The `controller-revision-hash` label: the revision this pod runs. */
  revisionHash: string;
  labels: Readonly<Record<string, string>>;
  creationTimestamp: string;
  /** Set when the controller asked for deletion; the pod is terminating until its agent confirms. */
  deletionTimestamp?: string;
  /** False until a node has accepted the pod (Kubernetes: no PodScheduled=True / no nodeName). */
  scheduled: boolean;
  phase: PodPhase;
  ready: boolean;
  /** lastTransitionTime of the Ready condition; availability is measured from here. */
  readySince?: string;
}>;
