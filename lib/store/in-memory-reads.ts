import { type DaemonSetKey, fromDaemonSetKey } from '../model/daemon-set.js';
import type { Pod } from '../model/pod.js';
import { groupOf, type InMemoryTables } from './in-memory-state.js';
import { byName, toPod } from './to-pod.js';

/** One DaemonSet's pods merged with their statuses, by name (not copied: callers copy). */
export function podsOf(tables: InMemoryTables, key: DaemonSetKey): Pod[] {
  const { namespace } = fromDaemonSetKey(key);
  const statuses = groupOf(tables.podStatuses, key);
  return [...groupOf(tables.pods, key).values()]
    .sort(byName)
    .map((pod) => toPod(namespace, pod, statuses.get(pod.name)));
}

/**
 * The pods desired on one node across DaemonSets. A status counts only if its agent reported it from this
 * node, as DynamoDB's byNode index finds it (not copied: callers copy).
 */
export function podsOnNode(tables: InMemoryTables, nodeName: string): (Pod & { daemonSet: DaemonSetKey })[] {
  return [...tables.pods.keys()].sort().flatMap((key) => {
    const statuses = groupOf(tables.podStatuses, key);
    const { namespace } = fromDaemonSetKey(key);
    return [...groupOf(tables.pods, key).values()]
      .filter((pod) => pod.nodeName === nodeName)
      .sort(byName)
      .map((pod) => {
        const status = statuses.get(pod.name);
        return { ...toPod(namespace, pod, status?.nodeName === nodeName ? status : undefined), daemonSet: key };
      });
  });
}
