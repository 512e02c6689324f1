import type { DaemonSetPod } from '../../../dashboard/build-dashboard-state.js';
import { EMPTY_CONTROLLER_MEMORY } from '../../../lib/model/controller-memory.js';
import type { DaemonSet } from '../../../lib/model/daemon-set.js';
import type { Pod } from '../../../lib/model/pod.js';
import type { DaemonSetStatus } from '../../../lib/model/status.js';
import type { StoredDaemonSet } from '../../../lib/ports/cluster-store.js';
import { computeRevisionHash } from '../../../lib/revision/compute-revision-hash.js';

/** A DaemonSet as stored, with an optional status. */
export function stored(daemonSet: DaemonSet, status?: DaemonSetStatus): StoredDaemonSet {
  return { daemonSet, version: 1, memory: EMPTY_CONTROLLER_MEMORY, ...(status === undefined ? {} : { status }) };
}

/** A pod of `daemonSet`, as the store lists it with its DaemonSet's key. */
export function podOf(daemonSet: DaemonSet, pod: Pod): DaemonSetPod {
  return { ...pod, namespace: daemonSet.namespace, daemonSet: `${daemonSet.namespace}/${daemonSet.name}` };
}

/** The revision hash of a DaemonSet's current template. */
export const currentOf = (daemonSet: DaemonSet): string => computeRevisionHash(daemonSet.template);
