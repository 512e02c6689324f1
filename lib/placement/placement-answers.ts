import type { Node } from '../model/node.js';
import type { PlacementSpec } from '../model/pod-spec.js';
import { compilePlacement } from './compile-placement.js';

/** The two answers of Kubernetes' `NodeShouldRunDaemonPod`, without the reasons. */
export type PlacementAnswers = Readonly<{ shouldRun: boolean; shouldContinueRunning: boolean }>;

const RUN: PlacementAnswers = Object.freeze({ shouldRun: true, shouldContinueRunning: true });
const KEEP: PlacementAnswers = Object.freeze({ shouldRun: false, shouldContinueRunning: true });
const NONE: PlacementAnswers = Object.freeze({ shouldRun: false, shouldContinueRunning: false });

/**
 * `nodeShouldRunDaemonPod`'s answers alone, for planners that ask for every node and never show why:
 * the placement is compiled once per placement object (see `compilePlacement`), each answer is a few
 * comparisons, and nothing is allocated (the result is one of three shared, frozen values).
 *
 * @example
 * placementAnswers(controlPlane, placement); // { shouldRun: false, shouldContinueRunning: true }
 */
export function placementAnswers(node: Node, placement: PlacementSpec): PlacementAnswers {
  const compiled = compilePlacement(placement);
  if (!compiled.fits(node)) return NONE;
  switch (compiled.taints(node)) {
    case 'tolerated':
      // A drained node (and a kept one until it is uncordoned) gets no new pod, whatever the tolerations; the
      // drain deletes the ones it has.
      return node.drain !== undefined ? KEEP : RUN;
    case 'noSchedule':
      return KEEP;
    case 'noExecute':
      return NONE;
  }
}
