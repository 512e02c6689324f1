import { type ControllerRevision, type DaemonSetKey, fromDaemonSetKey } from '../../model/daemon-set.js';
import { byRevision, compareStrings } from '../../model/order.js';
import type { Pod } from '../../model/pod.js';
import { type DesiredPod, mergePod, type PodStatusRecord } from '../plan/stored-records.js';
import {
  DAEMON_SET_SK,
  DAEMON_SET_STATE_SK,
  type DaemonSetItems,
  fromDaemonSetItems,
  fromPodItem,
  fromPodStatusItem,
  fromRevisionItem,
  type Item,
  isRemovedItem,
  POD_STATUS_SUFFIX,
  PODS_AND_STATUSES_PREFIX,
  podNameOfSortKey,
  REVISION_PREFIX,
  sortKeyOf,
} from './table.js';

// How the items of one `DS#` partition become a DaemonSet's record, revisions and pods: all at once from a query
// (`readPartition`), or kept up to date item by item for a warm cache (`partition-model.ts`). Both parse an item
// and merge a pod with its status through the memos below, so they agree on every object they hand out.

/** The revisions and pods of a partition, pods merged with their statuses and sorted by name. */
export type PartitionContents = Readonly<{
  revisions: readonly ControllerRevision[];
  pods: readonly Pod[];
}>;

/** A DaemonSet partition read back: its record (both items), revisions and pods merged with their statuses. */
export type DaemonSetPartition = PartitionContents & Readonly<{ record?: DaemonSetItems }>;

/** Sorts the items of one `DS#` partition query (or part of it) into records. */
export function readPartition(key: DaemonSetKey, items: readonly Item[]): DaemonSetPartition {
  let spec: Item | undefined;
  let state: Item | undefined;
  const revisions: ControllerRevision[] = [];
  const desired: DesiredPod[] = [];
  const statuses = new Map<string, PodStatusRecord>();
  for (const item of items) {
    const sortKey = sortKeyOf(item);
    if (isRemovedItem(item)) continue;
    if (sortKey === DAEMON_SET_SK) spec = item;
    else if (sortKey === DAEMON_SET_STATE_SK) state = item;
    else if (sortKey.startsWith(REVISION_PREFIX)) revisions.push(parsed(item, fromRevisionItem));
    else if (sortKey.startsWith(PODS_AND_STATUSES_PREFIX)) {
      if (sortKey.endsWith(POD_STATUS_SUFFIX)) {
        // By node and name: a status filed under another node must not stand in for the pod's own.
        const status = parsed(item, fromPodStatusItem);
        statuses.set(podPair(status.nodeName, podNameOfSortKey(sortKey)), status);
      } else desired.push(parsed(item, fromPodItem));
    }
  }
  const record = fromDaemonSetItems(spec, state);
  const { namespace } = fromDaemonSetKey(key);
  const pods = desired
    .sort((a, b) => compareStrings(a.name, b.name))
    .map((pod) => merged(namespace, pod, statuses.get(podPair(pod.nodeName, pod.name))));
  return { ...(record === undefined ? {} : { record }), revisions: revisions.sort(byRevision), pods };
}

/** How a status finds its pod: by node and pod name. */
export const podPair = (nodeName: string, podName: string): string => `${nodeName}/${podName}`;

/**
 * What each item parsed to, by the item itself (items are never changed once read): a `PartitionModel` given the
 * same item object again at a sort key gets the same parse back, and so sees that nothing changed there.
 */
const parsedItems = new WeakMap<Item, unknown>();

export function parsed<T>(item: Item, parse: (item: Item) => T): T {
  if (parsedItems.has(item)) return parsedItems.get(item) as T;
  const value = parse(item);
  parsedItems.set(item, value);
  return value;
}

/** The pod merged from a parsed desired pod and the status it was merged with (the pods snapshots share). */
const mergedPods = new WeakMap<DesiredPod, Readonly<{ status: PodStatusRecord | undefined; pod: Pod }>>();

export function merged(namespace: string, desired: DesiredPod, status: PodStatusRecord | undefined): Pod {
  const known = mergedPods.get(desired);
  // A desired pod belongs to one partition, so to one namespace: the status alone can differ.
  if (known !== undefined && known.status === status) return known.pod;
  const pod = mergePod(namespace, desired, status);
  mergedPods.set(desired, { status, pod });
  return pod;
}
