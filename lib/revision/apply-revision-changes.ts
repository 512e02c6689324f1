import type { ControllerRevision } from '../model/daemon-set.js';
import type { RevisionChange } from '../ports/reconcile-step.js';

/**
 * The revisions that exist after `changes` are applied in order, as a store would apply them.
 * Creating an existing name replaces it; renumbering or deleting a missing name changes nothing.
 *
 * @example
 * const after = applyRevisionChanges(snapshot.revisions, planHistory(...).changes);
 */
export function applyRevisionChanges(
  revisions: readonly ControllerRevision[],
  changes: readonly RevisionChange[],
): readonly ControllerRevision[] {
  let result = revisions;
  for (const change of changes) result = applyRevisionChange(result, change);
  return result;
}

function applyRevisionChange(
  revisions: readonly ControllerRevision[],
  change: RevisionChange,
): readonly ControllerRevision[] {
  switch (change.kind) {
    case 'createRevision':
      return [...revisions.filter((revision) => revision.name !== change.revision.name), change.revision];
    case 'renumberRevision':
      return revisions.map((revision) =>
        revision.name === change.name ? { ...revision, revision: change.revision } : revision,
      );
    case 'deleteRevision':
      return revisions.filter((revision) => revision.name !== change.name);
  }
}
