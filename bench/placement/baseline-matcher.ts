import type { Node } from '../../lib/model/node.js';
import type { PlacementSpec } from '../../lib/model/pod-spec.js';

/** A label comparison: `key` equals `value`, or merely exists when `value` is undefined. */
type LabelCheck = readonly [key: string, value: string | undefined];

/**
 * The baseline the placement benchmark compares with: the same label keys the placement looks at
 * (nodeSelector entries, then one value per affinity expression of the first term), compared in a bare
 * loop with `===`. No taints, no operators, no reasons: the least work any matcher must do on these labels.
 */
export function toBaselineChecks(placement: PlacementSpec): readonly LabelCheck[] {
  const checks: LabelCheck[] = Object.entries(placement.nodeSelector);
  for (const requirement of placement.requiredNodeAffinity?.[0]?.matchExpressions ?? []) {
    checks.push([requirement.key, requirement.values?.[0]]);
  }
  return checks.length > 0 ? checks : [['kubernetes.io/os', 'linux']];
}

/** Whether every check holds on the node's labels. */
export function baselineMatches(node: Node, checks: readonly LabelCheck[]): boolean {
  const labels = node.labels;
  for (const [key, value] of checks) {
    const actual = labels[key];
    if (value === undefined ? actual === undefined : actual !== value) return false;
  }
  return true;
}
