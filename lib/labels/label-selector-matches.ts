import type { LabelSelector, LabelSelectorRequirement } from '../model/daemon-set.js';

/**
 * Whether `labels` satisfy a metav1.LabelSelector: every `matchLabels` pair and every `matchExpressions`
 * requirement must hold. An empty selector matches everything; callers reject empty selectors where
 * Kubernetes does (a DaemonSet's `spec.selector`).
 *
 * @example labelSelectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, {}) // true
 */
export function labelSelectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const pairsMatch = Object.entries(selector.matchLabels ?? {}).every(
    ([key, value]) => Object.hasOwn(labels, key) && labels[key] === value,
  );
  return (
    pairsMatch && (selector.matchExpressions ?? []).every((requirement) => requirementMatches(requirement, labels))
  );
}

function requirementMatches(requirement: LabelSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const present = Object.hasOwn(labels, requirement.key);
  const value = labels[requirement.key];
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return present && value !== undefined && values.includes(value);
    case 'NotIn':
      // NotIn matches an absent key, as in Kubernetes.
      return !present || value === undefined || !values.includes(value);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
  }
}
