/** `rollout undo` on a DaemonSet that has no revisions at all. */
export class NoRolloutHistoryError extends Error {
  override readonly name = 'NoRolloutHistoryError';
  constructor(options?: ErrorOptions) {
    super('no rollout history found', options);
  }
}

/** `rollout undo` without `--to-revision` when only the current revision exists (kubectl's wording). */
export class NoPreviousRevisionError extends Error {
  override readonly name = 'NoPreviousRevisionError';
  constructor(options?: ErrorOptions) {
    super('no last revision to roll back to', options);
  }
}

/** `rollout undo --to-revision N` (or `rollout history --revision N`) for a revision that does not exist. */
export class RevisionNotFoundError extends Error {
  override readonly name = 'RevisionNotFoundError';
  readonly revision: number;
  constructor(revision: number, options?: ErrorOptions) {
    super(`unable to find specified revision ${revision} in history`, options);
    this.revision = revision;
  }
}
