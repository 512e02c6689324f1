import type { Node } from '../../lib/model/node.js';
import { nodeShouldRunDaemonPod } from '../../lib/placement/node-should-run-daemon-pod.js';
import { placementAnswers } from '../../lib/placement/placement-answers.js';
import { baselineMatches, toBaselineChecks } from './baseline-matcher.js';
import type { NamedPlacement } from './realistic-placements.js';
import { referenceDecision } from './reference-decision.js';

/** How the pairs of one pass were answered. */
export type Tally = { shouldRun: number; keepOnly: number; neither: number };

/** One timed pass over every (DaemonSet, node) pair, DaemonSet by DaemonSet as a reconcile step asks. */
export type PlacementLoop = Readonly<{
  label: string;
  run: (nodes: readonly Node[], placements: readonly NamedPlacement[]) => Tally;
}>;

type Answer = Readonly<{ shouldRun: boolean; shouldContinueRunning: boolean }>;

function tallyOf(decide: (node: Node, placement: NamedPlacement['placement']) => Answer): PlacementLoop['run'] {
  return (nodes, placements) => {
    const tally: Tally = { shouldRun: 0, keepOnly: 0, neither: 0 };
    for (const { placement } of placements) {
      for (const node of nodes) {
        const answer = decide(node, placement);
        if (answer.shouldRun) tally.shouldRun += 1;
        else if (answer.shouldContinueRunning) tally.keepOnly += 1;
        else tally.neither += 1;
      }
    }
    return tally;
  };
}

export const ANSWERS_LOOP: PlacementLoop = {
  label: 'placementAnswers (what a planner needs)',
  run: tallyOf(placementAnswers),
};

export const DECISION_LOOP: PlacementLoop = {
  label: 'nodeShouldRunDaemonPod (answers + reasons)',
  run: tallyOf(nodeShouldRunDaemonPod),
};

export const REFERENCE_LOOP: PlacementLoop = {
  label: 'before: reasons-first (commit 703d08f)',
  run: tallyOf(referenceDecision),
};

export const BASELINE_LOOP: PlacementLoop = {
  label: 'baseline: bare label === loop',
  run: (nodes, placements) => {
    let matched = 0;
    for (const { placement } of placements) {
      const checks = toBaselineChecks(placement);
      for (const node of nodes) if (baselineMatches(node, checks)) matched += 1;
    }
    return { shouldRun: matched, keepOnly: 0, neither: nodes.length * placements.length - matched };
  },
};

/**
 * Checks, pair by pair, that the optimised functions give exactly the reference's answers and reason
 * texts. Returns the number of pairs that differ (0 expected).
 */
export function countDifferences(nodes: readonly Node[], placements: readonly NamedPlacement[]): number {
  let differences = 0;
  for (const { placement } of placements) {
    for (const node of nodes) {
      const expected = referenceDecision(node, placement);
      const decision = nodeShouldRunDaemonPod(node, placement);
      const answers = placementAnswers(node, placement);
      const same =
        decision.shouldRun === expected.shouldRun &&
        decision.shouldContinueRunning === expected.shouldContinueRunning &&
        answers.shouldRun === expected.shouldRun &&
        answers.shouldContinueRunning === expected.shouldContinueRunning &&
        decision.reasons.join('\n') === expected.reasons.join('\n');
      if (!same) differences += 1;
    }
  }
  return differences;
}
