import { fromPod } from '../../lib/manifest/from-pod.js';
import { type DaemonSetKey, fromDaemonSetKey, type JsonObject, type PodTemplate } from '../../lib/model/daemon-set.js';
import type { Pod } from '../../lib/model/pod.js';
import type { ClusterStore } from '../../lib/ports/cluster-store.js';

/**
 * A DaemonSet pod as `kubectl get pod -o json` prints it, with the owner reference Kubernetes sets (it
 * tells an agent which DaemonSet to name in its status reports) and, when its revision is known, the
 * whole spec that revision's template gives it.
 */
export function toPodObject(pod: Pod, daemonSet: DaemonSetKey, template?: PodTemplate): JsonObject {
  const object = fromPod(pod, template);
  const metadata = object['metadata'] as JsonObject;
  const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: fromDaemonSetKey(daemonSet).name, controller: true };
  return { ...object, metadata: { ...metadata, ownerReferences: [owner] } };
}

/** The template of each revision hash of the given DaemonSets: one revision read per DaemonSet, at read time. */
export async function revisionTemplates(
  store: Pick<ClusterStore, 'listRevisions'>,
  keys: Iterable<DaemonSetKey>,
): Promise<(key: DaemonSetKey, hash: string) => PodTemplate | undefined> {
  const byKey = new Map<DaemonSetKey, Map<string, PodTemplate>>();
  await Promise.all(
    [...new Set(keys)].map(async (key) => {
      const revisions = await store.listRevisions(key);
      byKey.set(key, new Map(revisions.map((revision) => [revision.hash, revision.template])));
    }),
  );
  return (key, hash) => byKey.get(key)?.get(hash);
}
