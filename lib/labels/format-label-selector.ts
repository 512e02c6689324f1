import type { LabelSelector, LabelSelectorRequirement } from '../model/daemon-set.js';
import { compareStrings } from '../model/order.js';

/**
 * Renders a label selector in the string syntax `parseLabelSelector` reads: `matchLabels` first (sorted
 * by key) as `key=value`, then each expression in order (a single-valued NotIn as `key!=value`). The empty
 * selector renders as the empty string.
 *
 * @example formatLabelSelector({ matchLabels: { zone: 'a' }, matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] })
 * // 'zone=a,!gpu'
 */
export function formatLabelSelector(selector: LabelSelector): string {
  const pairs = Object.entries(selector.matchLabels ?? {})
    .sort(([left], [right]) => compareStrings(left, right))
    .map(([key, value]) => `${key}=${value}`);
  return [...pairs, ...(selector.matchExpressions ?? []).map(formatRequirement)].join(',');
}

function formatRequirement(requirement: LabelSelectorRequirement): string {
  const values = (requirement.values ?? []).join(',');
  switch (requirement.operator) {
    case 'In':
      return `${requirement.key} in (${values})`;
    case 'NotIn':
      return requirement.values?.length === 1
        ? `${requirement.key}!=${values}`
        : `${requirement.key} notin (${values})`;
    case 'Exists':
      return requirement.key;
    case 'DoesNotExist':
      return `!${requirement.key}`;
  }
}
