import { type ControllerRevision, type DaemonSetKey, fromDaemonSetKey } from '../../model/daemon-set.js';
import { byRevision } from '../../model/order.js';
import type { Pod } from '../../model/pod.js';
import type { DesiredPod, PodStatusRecord } from '../stored-records.js';
import { byName, toPod } from '../to-pod.js';
import { fromPodItem, fromPodStatusItem, fromRevisionItem, type Item, sortKeyOf } from './codec.js';
import { type DaemonSetItems, fromDaemonSetItems } from './daemon-set-items.js';
import {
  DAEMON_SET_SK,
  DAEMON_SET_STATE_SK,
  POD_STATUS_SUFFIX,
  PODS_AND_STATUSES_PREFIX,
  podNameOfSortKey,
  REVISION_PREFIX,
} from './keys.js';

/** A DaemonSet partition read back: its record (both items), revisions and pods merged with their statuses. */
export type DaemonSetPartition = Readonly<{
  record?: DaemonSetItems;
  revisions: readonly ControllerRevision[];
  pods: readonly Pod[];
}>;

/** Sorts the items of one `DS#` partition query (or part of it) into records. */
export function readPartition(key: DaemonSetKey, items: readonly Item[]): DaemonSetPartition {
  let spec: Item | undefined;
  let state: Item | undefined;
  const revisions: ControllerRevision[] = [];
  const desired: DesiredPod[] = [];
  const statuses = new Map<string, PodStatusRecord>();
  for (const item of items) {
    const sortKey = sortKeyOf(item);
    if (sortKey === DAEMON_SET_SK) spec = item;
    else if (sortKey === DAEMON_SET_STATE_SK) state = item;
    else if (sortKey.startsWith(REVISION_PREFIX)) revisions.push(fromRevisionItem(item));
    else if (sortKey.startsWith(PODS_AND_STATUSES_PREFIX)) {
      if (sortKey.endsWith(POD_STATUS_SUFFIX)) statuses.set(podNameOfSortKey(sortKey), fromPodStatusItem(item));
      else desired.push(fromPodItem(item));
    }
  }
  const record = fromDaemonSetItems(spec, state);
  const { namespace } = fromDaemonSetKey(key);
  const pods = desired.sort(byName).map((pod) => toPod(namespace, pod, statuses.get(pod.name)));
  return { ...(record === undefined ? {} : { record }), revisions: revisions.sort(byRevision), pods };
}
