import { FROZEN_ANNOTATION, PAUSED_ANNOTATION } from '../../lib/manifest/everynode-annotations.js';
import { at, type KubeObject, listAt, nameOf, numberAt, stringAt } from '../output/kube-object.js';

/** Where a DaemonSet's rollout stands, as `rollout status` reports it. */
export type RolloutState = Readonly<{
  phase: 'waiting' | 'done' | 'failed';
  /** kubectl's sentence for this state. */
  message: string;
  desired: number;
  updated: number;
  available: number;
  /** Why it may not move on its own (paused, frozen), to show beside the progress. */
  note?: string;
}>;

/**
 * kubectl's `DaemonSetStatusViewer`, plus everynode's failure signal: `Progressing=False` (the progress
 * deadline was exceeded, possibly followed by an automatic revert) fails the rollout, where kubectl would
 * wait forever.
 */
export function rolloutState(daemonSet: KubeObject): RolloutState {
  const name = nameOf(daemonSet);
  const count = (field: string) => numberAt(daemonSet, 'status', field) ?? 0;
  const desired = count('desiredNumberScheduled');
  const updated = count('updatedNumberScheduled');
  const available = count('numberAvailable');
  const counts = { desired, updated, available, ...noteOf(daemonSet) };
  const generation = numberAt(daemonSet, 'metadata', 'generation') ?? 0;
  const observed = numberAt(daemonSet, 'status', 'observedGeneration') ?? 0;
  if (generation > observed) {
    return { phase: 'waiting', message: 'Waiting for daemon set spec update to be observed...', ...counts };
  }
  const reverted = revertOf(daemonSet);
  if (reverted !== undefined) {
    return { phase: 'failed', message: `daemon set "${name}" ${reverted}`, ...counts };
  }
  // A condition from before the latest spec change says nothing about it: checked only once observed.
  const stalled = listAt(daemonSet, 'status', 'conditions').find(
    (condition) => stringAt(condition, 'type') === 'Progressing' && stringAt(condition, 'status') === 'False',
  );
  if (stalled !== undefined) {
    const reason = stringAt(stalled, 'reason') ?? 'Failed';
    const detail = stringAt(stalled, 'message');
    const what = reason === 'ProgressDeadlineExceeded' ? 'exceeded its progress deadline' : `failed (${reason})`;
    return { phase: 'failed', message: `daemon set "${name}" ${what}${detail ? `: ${detail}` : ''}`, ...counts };
  }
  if (updated < desired) {
    const message = `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`;
    return { phase: 'waiting', message, ...counts };
  }
  if (available < desired) {
    const message = `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`;
    return { phase: 'waiting', message, ...counts };
  }
  return { phase: 'done', message: `daemon set "${name}" successfully rolled out`, ...counts };
}

const REVERTED = /^Rolled back to revision (\d+) \("([^"]+)"\).*?after (.+)$/s;

/**
 * `rolled back to revision N: <why>` when the DaemonSet runs the template an automatic revert put back: its
 * newest `RolloutReverted` event names the revision that is current now. A later apply makes another
 * revision current, and the rollout of that one is watched as usual.
 */
function revertOf(daemonSet: KubeObject): string | undefined {
  const events = listAt(daemonSet, 'events');
  const revert = events.findLast((event) => stringAt(event, 'reason') === 'RolloutReverted');
  const match = REVERTED.exec(stringAt(revert, 'message') ?? '');
  if (match === null) return undefined;
  const [, revision, revisionName, why] = match;
  const current = listAt(daemonSet, 'revisions')
    .map((entry) => ({ name: stringAt(entry, 'metadata', 'name'), number: numberAt(entry, 'revision') ?? 0 }))
    .reduce<{ name?: string | undefined; number: number } | undefined>(
      (newest, entry) => (newest === undefined || entry.number > newest.number ? entry : newest),
      undefined,
    );
  if (current?.name !== revisionName) return undefined;
  return `rolled back to revision ${revision}: ${why}`;
}

/** True when the DaemonSet uses the OnDelete strategy (kubectl refuses `rollout status` for it). */
export function isOnDelete(daemonSet: KubeObject): boolean {
  return stringAt(daemonSet, 'spec', 'updateStrategy', 'type') === 'OnDelete';
}

function noteOf(daemonSet: KubeObject): { note?: string } {
  const annotations = (key: string) => stringAt(daemonSet, 'metadata', 'annotations', key) === 'true';
  if (annotations(FROZEN_ANNOTATION)) return { note: 'frozen: nothing changes until `rollout unfreeze`' };
  const kruisePaused = at(daemonSet, 'spec', 'updateStrategy', 'rollingUpdate', 'paused') === true;
  if (annotations(PAUSED_ANNOTATION) || kruisePaused) return { note: 'paused: continue with `rollout resume`' };
  return {};
}

/**
 * One short line for a terminal: a bar where `█` is updated and available, `▓` updated but not yet
 * available, `░` still to update, then the counts (and why it is not moving, when paused or frozen).
 *
 * @example
 * formatProgress(state, 12); // '[████▓▓░░░░░░] 2/3 updated · 1/3 available'
 */
export function formatProgress(state: RolloutState, width = 24): string {
  const { desired, updated, available } = state;
  const scale = (count: number) => (desired === 0 ? width : Math.round((Math.min(count, desired) / desired) * width));
  const done = scale(Math.min(updated, available));
  const pending = Math.max(0, scale(updated) - done);
  const bar = '█'.repeat(done) + '▓'.repeat(pending) + '░'.repeat(Math.max(0, width - done - pending));
  const note = state.note === undefined ? '' : ` (${state.note})`;
  return `[${bar}] ${updated}/${desired} updated · ${available}/${desired} available${note}`;
}
