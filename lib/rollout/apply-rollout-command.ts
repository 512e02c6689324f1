/**
 * Invariants (asserted by test/property/rollout-commands.property.test.ts):
 * - pause/resume/freeze/unfreeze change only their control and its annotation, present exactly when the control is on.
 * - undo and restart change only the template: undo to the template of a known revision (or it throws).
 * - Applying a command twice gives what applying it once gives, so a redelivered command changes nothing.
 */
import { FROZEN_ANNOTATION, PAUSED_ANNOTATION } from '../manifest/everynode-annotations.js';
/** The template annotation `kubectl rollout restart` sets. */
import { RESTARTED_AT_ANNOTATION } from '../manifest/unset-rollout-switches.js';
import type { ControllerRevision, DaemonSet, PodTemplate, RolloutControls } from '../model/daemon-set.js';
import type { RolloutCommandName } from '../ports/rollout-command.js';
import { RevisionNotFoundError } from '../revision/history-errors.js';
import { rollbackTemplate } from '../revision/rollback-template.js';

export { RESTARTED_AT_ANNOTATION };

/** One `everynode rollout <verb>`: the verb, `--to-revision` for undo, and when it was issued (RFC 3339). */
export type RolloutCommand = Readonly<{
  command: RolloutCommandName;
  toRevision?: number;
  /** For undo: the hash of the revision resolved when the command was issued; wins over `toRevision`. */
  revisionHash?: string;
  at: string;
}>;

/**
 * The DaemonSet after a rollout command, as the CLI and the ingest handler apply it (the store then bumps
 * the generation if the spec changed):
 *
 * - `pause`/`resume`, `freeze`/`unfreeze`: set `rollout.paused`/`rollout.frozen` and the matching
 *   `everynode.io/paused`/`everynode.io/frozen` annotation (removed when off), so the manifest written
 *   back reads the same.
 * - `undo`: the template of revision `toRevision`, or of the previous revision (kubectl's
 *   `DaemonSetRollbacker`, via `rollbackTemplate`, which throws when there is nothing to go back to).
 * - `restart`: the template annotation `kubectl.kubernetes.io/restartedAt` = `at` to the second, as
 *   `kubectl rollout restart` writes it, so every pod is replaced by the rolling update.
 *
 * @example
 * applyRolloutCommand(daemonSet, revisions, { command: 'undo', toRevision: 2, at: '2026-01-02T03:04:05Z' });
 */
export function applyRolloutCommand(
  daemonSet: DaemonSet,
  revisions: readonly ControllerRevision[],
  command: RolloutCommand,
): DaemonSet {
  switch (command.command) {
    case 'pause':
      return withControl(daemonSet, PAUSED_ANNOTATION, { paused: true });
    case 'resume':
      return withControl(daemonSet, PAUSED_ANNOTATION, { paused: false });
    case 'freeze':
      return withControl(daemonSet, FROZEN_ANNOTATION, { frozen: true });
    case 'unfreeze':
      return withControl(daemonSet, FROZEN_ANNOTATION, { frozen: false });
    case 'undo':
      return { ...daemonSet, template: undoTemplate(revisions, command) };
    case 'restart':
      return { ...daemonSet, template: restarted(daemonSet.template, command.at) };
  }
}

function undoTemplate(revisions: readonly ControllerRevision[], command: RolloutCommand): PodTemplate {
  if (command.revisionHash === undefined) return rollbackTemplate(revisions, command.toRevision);
  const target = revisions.find((revision) => revision.hash === command.revisionHash);
  if (target === undefined) throw new RevisionNotFoundError(command.toRevision ?? 0);
  return target.template;
}

function withControl(
  daemonSet: DaemonSet,
  annotation: string,
  control: Readonly<{ paused: boolean }> | Readonly<{ frozen: boolean }>,
): DaemonSet {
  const on = Object.values(control)[0] === true;
  const { [annotation]: _previous, ...others } = daemonSet.annotations;
  const rollout: RolloutControls = { ...daemonSet.rollout, ...control };
  return { ...daemonSet, annotations: on ? { ...others, [annotation]: 'true' } : others, rollout };
}

function restarted(template: PodTemplate, at: string): PodTemplate {
  const time = new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');
  const annotations = { ...template.metadata.annotations, [RESTARTED_AT_ANNOTATION]: time };
  return { ...template, metadata: { ...template.metadata, annotations } };
}
