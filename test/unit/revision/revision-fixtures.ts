import type { ControllerRevision, DaemonSet } from '../../../lib/model/daemon-set.js';
import { computeRevisionHash, revisionName } from '../../../lib/revision/compute-revision-hash.js';

/** The revision a DaemonSet's current template would get, numbered `revision`. */
export function revisionOf(daemonSet: DaemonSet, revision: number, collisionCount = 0): ControllerRevision {
  const hash = computeRevisionHash(daemonSet.template, collisionCount);
  return {
    name: revisionName(daemonSet.name, hash),
    hash,
    revision,
    template: daemonSet.template,
    creationTimestamp: new Date(Date.UTC(2024, 0, revision)).toISOString(),
  };
}
