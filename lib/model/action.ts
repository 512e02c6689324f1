/** Why a pod is deleted, as shown to users and recorded in events. */
export type DeleteReason =
  | 'ineligible' // shouldContinueRunning is false on its node
  | 'duplicate' // more than one pod on a node outside surge
  | 'failed' // phase Failed
  | 'succeeded' // phase Succeeded
  | 'outdated' // rolling update replaces it
  | 'orphaned' // its node no longer exists
  | 'daemonSetDeleted'; // the DaemonSet itself is being deleted (its pods are garbage-collected)

/**
 * What one reconcile step does to pods. Planners return these; only the store applies them.
 * Pod names are derived deterministically (see `lib/reconcile/pod-name.ts`) so a repeated step is idempotent.
 */
export type Action =
  | Readonly<{ kind: 'createPod'; podName: string; nodeName: string; revisionHash: string }>
  | Readonly<{ kind: 'deletePod'; podName: string; nodeName: string; reason: DeleteReason }>;
