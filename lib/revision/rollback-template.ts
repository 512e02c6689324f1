import type { ControllerRevision, PodTemplate } from '../model/daemon-set.js';
import { byRevision } from '../model/order.js';
import { NoPreviousRevisionError, NoRolloutHistoryError, RevisionNotFoundError } from './history-errors.js';

/**
 * The template `rollout undo [--to-revision N]` writes back into the DaemonSet, as kubectl's
 * `DaemonSetRollbacker`: revision `toRevision`, or by default (absent or 0) the previous revision,
 * the second highest number. The controller then finds that revision current and renumbers it.
 *
 * @throws {NoRolloutHistoryError} there are no revisions and no `toRevision` was given.
 * @throws {NoPreviousRevisionError} only one revision exists and no `toRevision` was given.
 * @throws {RevisionNotFoundError} `toRevision` is negative or no revision has that number.
 *
 * @example
 * daemonSet = { ...daemonSet, template: rollbackTemplate(revisions) }; // undo the last rollout
 */
export function rollbackTemplate(revisions: readonly ControllerRevision[], toRevision?: number): PodTemplate {
  return rollbackRevision(revisions, toRevision).template;
}

/**
 * The revision `rollout undo [--to-revision N]` goes back to (see `rollbackTemplate`). The API resolves it
 * when the command is issued and sends its hash, so a redelivered undo goes to the same revision instead
 * of one further back.
 */
export function rollbackRevision(revisions: readonly ControllerRevision[], toRevision?: number): ControllerRevision {
  if (toRevision !== undefined && toRevision < 0) throw new RevisionNotFoundError(toRevision);
  if (toRevision === undefined || toRevision === 0) {
    if (revisions.length === 0) throw new NoRolloutHistoryError();
    const previous = revisions.toSorted(byRevision).at(-2);
    if (previous === undefined) throw new NoPreviousRevisionError();
    return previous;
  }
  const found = revisions.find((revision) => revision.revision === toRevision);
  if (found === undefined) throw new RevisionNotFoundError(toRevision);
  return found;
}
