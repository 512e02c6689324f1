import type { DaemonSetKey } from '../../model/daemon-set.js';
import { fromDaemonSetKey } from '../../model/daemon-set.js';
import type { Pod } from '../../model/pod.js';
import type { ControllerRevision } from '../../model/revision.js';
import { byRevision } from '../../revision/by-revision.js';
import type { DaemonSetRecord, DesiredPod, PodStatusRecord } from '../stored-records.js';
import { byName, toPod } from '../to-pod.js';
import { fromDaemonSetItem, fromPodItem, fromPodStatusItem, fromRevisionItem, type Item, sortKeyOf } from './codec.js';
import { DAEMON_SET_SK, POD_PREFIX, POD_STATUS_PREFIX, REVISION_PREFIX } from './keys.js';

/** A DaemonSet partition read back: its record, revisions and pods merged with their statuses. */
export type DaemonSetPartition = Readonly<{
  record?: DaemonSetRecord;
  revisions: readonly ControllerRevision[];
  pods: readonly Pod[];
}>;

/** Sorts the items of one `DS#` partition query (or part of it) into records. */
export function readPartition(key: DaemonSetKey, items: readonly Item[]): DaemonSetPartition {
  let record: DaemonSetRecord | undefined;
  const revisions: ControllerRevision[] = [];
  const desired: DesiredPod[] = [];
  const statuses = new Map<string, PodStatusRecord>();
  for (const item of items) {
    const sortKey = sortKeyOf(item);
    if (sortKey === DAEMON_SET_SK) record = fromDaemonSetItem(item);
    else if (sortKey.startsWith(REVISION_PREFIX)) revisions.push(fromRevisionItem(item));
    else if (sortKey.startsWith(POD_STATUS_PREFIX))
      statuses.set(sortKey.slice(POD_STATUS_PREFIX.length), fromPodStatusItem(item));
    else if (sortKey.startsWith(POD_PREFIX)) desired.push(fromPodItem(item));
  }
  const { namespace } = fromDaemonSetKey(key);
  const pods = desired.sort(byName).map((pod) => toPod(namespace, pod, statuses.get(pod.name)));
  return { ...(record === undefined ? {} : { record }), revisions: revisions.sort(byRevision), pods };
}
