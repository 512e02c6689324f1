/**
 * Invariants (asserted by test/property/revision.property.test.ts):
 * - Exactly one revision carries the DaemonSet's template afterwards, and its number is the highest.
 * - At most `revisionHistoryLimit` old revisions remain, unless more are still run by pods.
 * - An old revision whose hash a pod carries (terminating pods included) is never deleted.
 * - Re-planning after applying `changes` yields no changes (a fixpoint).
 * - The plan does not depend on the order of `revisions` or `pods`.
 */
import type { ControllerRevision, DaemonSet } from '../model/daemon-set.js';
import { byRevision } from '../model/order.js';
import type { Pod } from '../model/pod.js';
import type { RevisionChange } from '../ports/reconcile-step.js';
import { templatesEqual } from './canonical-json.js';
import { computeRevisionHash, revisionName } from './compute-revision-hash.js';
import { CHANGE_CAUSE_ANNOTATION } from './format-history.js';

/** The outcome of Kubernetes' constructHistory + cleanupHistory for one step. */
export type HistoryPlan = Readonly<{
  /** The revision matching the DaemonSet's template (created by `changes` if it did not exist). */
  current: ControllerRevision;
  /** Every other revision that remains after cleanup, oldest first. */
  old: readonly ControllerRevision[];
  changes: readonly RevisionChange[];
  /** `status.collisionCount` after resolving hash clashes. */
  collisionCount: number;
}>;

/**
 * Kubernetes' `constructHistory`, `dedupCurHistories` and `cleanupHistory` in one pure step.
 *
 * - The current revision is the one whose template equals the DaemonSet's. If there is none, one is
 *   created numbered max(old) + 1, named `<name>-<hash>`; while that name or hash is taken by another
 *   template, `collisionCount` is raised and the hash recomputed (Kubernetes does this over several syncs).
 * - An existing current revision numbered below max(old) + 1 is renumbered to it: this is how
 *   `rollout undo` reuses an old revision.
 * - Several current revisions: the highest-numbered (then last by name) is kept, the others deleted.
 * - Old revisions beyond `revisionHistoryLimit` are deleted oldest first, skipping any whose hash a pod
 *   still carries. Like Kubernetes (`includeDeletedTerminal`), terminating pods count too.
 *
 * @example
 * const plan = planHistory(daemonSet, snapshot.revisions, snapshot.pods, status.collisionCount ?? 0, now);
 * plan.current.hash; // the controller-revision-hash new pods get
 */
export function planHistory(
  daemonSet: DaemonSet,
  revisions: readonly ControllerRevision[],
  pods: readonly Pod[],
  collisionCount: number,
  now: number,
): HistoryPlan {
  const sorted = revisions.toSorted(byRevision);
  const matching = sorted.filter((revision) => templatesEqual(revision.template, daemonSet.template));
  const old = sorted.filter((revision) => !matching.includes(revision));
  const nextNumber = Math.max(0, ...old.map((revision) => revision.revision)) + 1;
  const kept = matching.at(-1);
  if (kept === undefined) {
    const created = snapshot(daemonSet, sorted, collisionCount, nextNumber, now);
    const cleanup = cleanupHistory(old, pods, daemonSet.revisionHistoryLimit);
    return {
      current: created.revision,
      old: cleanup.remaining,
      changes: [{ kind: 'createRevision', revision: created.revision }, ...cleanup.changes],
      collisionCount: created.collisionCount,
    };
  }
  const duplicates = matching.filter((revision) => revision !== kept);
  const renumber = kept.revision < nextNumber;
  const cleanup = cleanupHistory(old, pods, daemonSet.revisionHistoryLimit);
  return {
    current: renumber ? { ...kept, revision: nextNumber } : kept,
    old: cleanup.remaining,
    changes: [
      ...duplicates.map((revision): RevisionChange => ({ kind: 'deleteRevision', name: revision.name })),
      ...(renumber ? [{ kind: 'renumberRevision', name: kept.name, revision: nextNumber } as const] : []),
      ...cleanup.changes,
    ],
    collisionCount,
  };
}

function snapshot(
  daemonSet: DaemonSet,
  existing: readonly ControllerRevision[],
  collisionCount: number,
  revision: number,
  now: number,
): Readonly<{ revision: ControllerRevision; collisionCount: number }> {
  let count = collisionCount;
  for (;;) {
    const hash = computeRevisionHash(daemonSet.template, count);
    const name = revisionName(daemonSet.name, hash);
    // Every existing revision has another template here, so a taken name or hash is a collision.
    if (!existing.some((other) => other.name === name || other.hash === hash)) {
      const changeCause = daemonSet.annotations[CHANGE_CAUSE_ANNOTATION];
      const created: ControllerRevision = {
        name,
        hash,
        revision,
        template: daemonSet.template,
        creationTimestamp: new Date(now).toISOString(),
        ...(changeCause === undefined ? {} : { changeCause }),
      };
      return { revision: created, collisionCount: count };
    }
    count += 1;
  }
}

function cleanupHistory(
  old: readonly ControllerRevision[],
  pods: readonly Pod[],
  limit: number,
): Readonly<{ remaining: readonly ControllerRevision[]; changes: readonly RevisionChange[] }> {
  let toKill = old.length - limit;
  if (toKill <= 0) return { remaining: old, changes: [] };
  const liveHashes = new Set(pods.map((pod) => pod.revisionHash).filter((hash) => hash !== ''));
  const doomed = new Set<ControllerRevision>();
  for (const revision of old) {
    if (toKill <= 0) break;
    if (liveHashes.has(revision.hash)) continue;
    doomed.add(revision);
    toKill -= 1;
  }
  return {
    remaining: old.filter((revision) => !doomed.has(revision)),
    changes: [...doomed].map((revision) => ({ kind: 'deleteRevision', name: revision.name })),
  };
}
