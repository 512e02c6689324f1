/** Kubernetes pod phases, as node agents report them. */
export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;

export type PodPhase = (typeof POD_PHASES)[number];

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
  /**
   * Created while its DaemonSet was startup-critical: its spec carries the `everynode.io/startup` toleration. Like
   * Kubernetes' default tolerations, it is fixed when the pod is created and stored with it, so rendering a pod
   * reads nothing more than the pod and its revision.
   */
  startupCritical?: boolean;
  phase: PodPhase;
  ready: boolean;
  /** lastTransitionTime of the Ready condition; availability is measured from here. */
  readySince?: string;
  /** As its agent last reported (absent from simulated agents and older reports). */
  restartCount?: number;
  reason?: string;
  message?: string;
}>;

/** Why a pod is deleted, as shown to users and recorded in events. */
export type DeleteReason =
  | 'ineligible' // shouldContinueRunning is false on its node
  | 'duplicate' // more than one pod on a node outside surge
  | 'failed' // phase Failed
  | 'succeeded' // phase Succeeded
  | 'outdated' // rolling update replaces it
  | 'orphaned' // its node no longer exists
  | 'daemonSetDeleted' // the DaemonSet itself is being deleted (its pods are garbage-collected)
  | 'drained'; // its node is being drained (`everynode node drain`, an Auto Scaling terminate hook)

/**
 * What one reconcile step does to pods. Planners return these; only the store applies them.
 * Pod names are derived deterministically (see `podName` in `lib/reconcile/to-pod-actions.ts`) so a repeated
 * step is idempotent.
 */
export type Action =
  | Readonly<{ kind: 'createPod'; podName: string; nodeName: string; revisionHash: string }>
  | Readonly<{ kind: 'deletePod'; podName: string; nodeName: string; reason: DeleteReason }>;

/** What a node agent reports about one pod (the `PodStatusReported` event). */
export type PodStatusReport = Readonly<{
  namespace: string;
  daemonSet: string;
  podName: string;
  nodeName: string;
  revisionHash: string;
  phase: PodPhase;
  ready: boolean;
  /** lastTransitionTime of Ready, RFC 3339. */
  readySince?: string;
  /** When the agent observed this state, RFC 3339. Older reports than the stored one change nothing. */
  observedAt: string;
  /** The agent confirms the pod is gone from the node (ends a terminating pod). */
  gone?: boolean;
  /** Restarts of the pod's containers so far (kubectl's RESTARTS column). */
  restartCount?: number;
  /** Why the pod is not running as asked, in one CamelCase word (`CrashLoopBackOff`, `UnsupportedVolume`). */
  reason?: string;
  /** The details of `reason`, for people. */
  message?: string;
}>;

/**
 * A user's deletion of one pod (`kubectl delete pod`, the `PodDeleted` fact). The pod is named by its name and
 * its creation time, from which its uid is derived: a late or repeated deletion of a pod the DaemonSet has
 * already replaced does not touch the replacement.
 */
export type PodDeletionRequest = Readonly<{
  name: string;
  nodeName: string;
  creationTimestamp: string;
  /** 0 removes the pod at once (a forced deletion); absent or positive marks it terminating for its agent. */
  gracePeriodSeconds?: number;
}>;

/** A pod a planner wants gone, and why. */
export type PodDeletion = Readonly<{ pod: Pod; reason: DeleteReason }>;
