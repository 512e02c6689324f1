/**
 * Invariants (asserted by test/property/rollout-commands.property.test.ts):
 * - The rollout is towards `hash`: a remembered one towards `hash` keeps its start and last progress, any other starts now.
 * - Without notReadyAware no node is recorded; with it, only desired nodes whose Ready condition is not True.
 */
import type { RolloutProgress } from '../model/controller-memory.js';
import type { NodeView } from './node-view.js';
import { notReadyDesiredNodes, trackNotReadyNodes } from './track-not-ready-nodes.js';

/**
 * The rollout this step works on: the one remembered if it is still towards `hash`, otherwise a new one
 * starting now (recording, with notReadyAware, the desired nodes that are NotReady at its start). The
 * NotReady nodes are then brought up to date with {@link trackNotReadyNodes}.
 */
export function beginRollout(
  previous: RolloutProgress | undefined,
  hash: string,
  nodes: readonly NodeView[],
  notReadyAware: boolean,
  now: number,
): RolloutProgress {
  const base: RolloutProgress =
    previous !== undefined && previous.revisionHash === hash
      ? previous
      : {
          revisionHash: hash,
          startedAt: now,
          lastProgressAt: now,
          notReadyAtStart: notReadyAware ? notReadyDesiredNodes(nodes) : [],
        };
  return { ...base, notReadyAtStart: notReadyAware ? trackNotReadyNodes(base.notReadyAtStart, nodes, hash) : [] };
}
