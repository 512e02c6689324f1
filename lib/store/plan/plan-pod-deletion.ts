import type { PodDeletionRequest } from '../../model/pod.js';
import type { DesiredPod } from './stored-records.js';

/** What a user's pod deletion writes: nothing, the `deletionTimestamp`, or (grace period 0) the pod's removal. */
export type PodDeletionWrite = Readonly<
  { outcome: 'stale' | 'unchanged'; write: 'none' } | { outcome: 'stored'; write: 'markDeleted' | 'remove' }
>;

/**
 * Plans `deletePod` (`kubectl delete pod`), as the API server handles a pod's graceful deletion:
 *
 * - The request names the pod by name and creation time (what its uid is derived from). A pod that is gone, or
 *   that is not the one named (a replacement can never share a name, but a record could be restored), is
 *   `stale`: a redelivered or late deletion never touches the pod that replaced the one it was about.
 * - A pod already terminating stays as it is (`unchanged`): the first `deletionTimestamp` holds, so a
 *   redelivery does not restart its agent's grace period.
 * - A grace period of 0 (`kubectl delete --force --grace-period=0`) removes the pod at once, without waiting
 *   for its agent, as the API server does for a forced deletion. It also ends a pod already terminating.
 * - Otherwise the pod is marked terminating; its agent stops it and reports it gone, which removes it.
 */
export function planPodDeletion(stored: DesiredPod | undefined, request: PodDeletionRequest): PodDeletionWrite {
  if (stored === undefined || stored.creationTimestamp !== request.creationTimestamp) {
    return { outcome: 'stale', write: 'none' };
  }
  if (request.gracePeriodSeconds === 0) return { outcome: 'stored', write: 'remove' };
  if (stored.deletionTimestamp !== undefined) return { outcome: 'unchanged', write: 'none' };
  return { outcome: 'stored', write: 'markDeleted' };
}
