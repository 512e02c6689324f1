import type { NodeSelectorRequirement } from '../model/pod-spec.js';

const TAKES_VALUES: ReadonlySet<string> = new Set(['In', 'NotIn', 'Gt', 'Lt']);

/**
 * Renders a node selector requirement for messages, close to the manifest: `key Operator [values]`.
 *
 * @example
 * formatNodeSelectorRequirement({ key: 'disktype', operator: 'In', values: ['ssd', 'nvme'] }); // 'disktype In [ssd, nvme]'
 * formatNodeSelectorRequirement({ key: 'gpu', operator: 'Exists' }); // 'gpu Exists'
 */
export function formatNodeSelectorRequirement(requirement: NodeSelectorRequirement): string {
  const values = requirement.values ?? [];
  const shown = values.length > 0 || TAKES_VALUES.has(requirement.operator) ? ` [${values.join(', ')}]` : '';
  return `${requirement.key} ${requirement.operator}${shown}`;
}
