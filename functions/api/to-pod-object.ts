import { fromPod } from '../../lib/manifest/from-pod.js';
import { type DaemonSetKey, fromDaemonSetKey, type JsonObject } from '../../lib/model/daemon-set.js';
import type { Pod } from '../../lib/model/pod.js';

/**
 * A DaemonSet pod as `kubectl get pod -o json` prints it, with the owner reference Kubernetes sets:
 * it tells an agent which DaemonSet to name in its status reports.
 */
export function toPodObject(pod: Pod, daemonSet: DaemonSetKey): JsonObject {
  const object = fromPod(pod);
  const metadata = object['metadata'] as JsonObject;
  const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: fromDaemonSetKey(daemonSet).name, controller: true };
  return { ...object, metadata: { ...metadata, ownerReferences: [owner] } };
}
