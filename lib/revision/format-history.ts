import type { ControllerRevision } from '../model/daemon-set.js';
import { byRevision } from '../model/order.js';

/** The annotation `kubectl rollout history` shows as CHANGE-CAUSE. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/** One line of `rollout history`: the REVISION and CHANGE-CAUSE columns. */
export type HistoryRow = Readonly<{ revision: number; changeCause: string }>;

/**
 * The rows of `rollout history`, as kubectl prints them for a DaemonSet: ascending by revision, one row
 * per revision number, CHANGE-CAUSE from the revision's recorded change cause, else the template's
 * `kubernetes.io/change-cause` annotation, else `<none>`. An empty result means "No rollout history found."
 *
 * @example
 * formatHistory(revisions); // [{ revision: 1, changeCause: '<none>' }, { revision: 2, changeCause: 'bump to 1.2' }]
 */
export function formatHistory(revisions: readonly ControllerRevision[]): readonly HistoryRow[] {
  const byNumber = new Map<number, ControllerRevision>();
  for (const revision of revisions.toSorted(byRevision)) byNumber.set(revision.revision, revision);
  return [...byNumber.values()].map((revision) => ({
    revision: revision.revision,
    changeCause: revision.changeCause || revision.template.metadata.annotations[CHANGE_CAUSE_ANNOTATION] || '<none>',
  }));
}
