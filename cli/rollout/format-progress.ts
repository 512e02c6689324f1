import type { RolloutState } from './rollout-state.js';

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
