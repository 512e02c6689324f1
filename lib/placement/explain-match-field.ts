import type { NodeSelectorRequirement } from '../model/pod-spec.js';
import { formatNodeSelectorRequirement } from './format-node-selector-requirement.js';

/** The only node field Kubernetes exposes to `matchFields`. */
export const NODE_NAME_FIELD = 'metadata.name';

/**
 * Why a `matchFields` requirement fails on a node, or `undefined` when it matches. Kubernetes accepts
 * only `In` and `NotIn` with exactly one value (anything else matches nothing) and knows only
 * `metadata.name`; any other field reads as empty, so `In` fails and `NotIn` passes.
 *
 * @example
 * explainMatchField({ key: 'metadata.name', operator: 'In', values: ['n2'] }, 'n1');
 * // 'metadata.name In [n2] does not match (node is n1)'
 */
export function explainMatchField(requirement: NodeSelectorRequirement, nodeName: string): string | undefined {
  const shown = formatNodeSelectorRequirement(requirement);
  if (requirement.operator !== 'In' && requirement.operator !== 'NotIn') {
    return `${shown} is invalid: operator ${JSON.stringify(requirement.operator)} is not supported for matchFields`;
  }
  const [wanted, ...more] = requirement.values ?? [];
  if (wanted === undefined || more.length > 0) return `${shown} is invalid: must have one element`;
  const known = requirement.key === NODE_NAME_FIELD;
  const actual = known ? nodeName : '';
  const matched = requirement.operator === 'In' ? actual === wanted : actual !== wanted;
  if (matched) return undefined;
  return `${shown} does not match (${known ? `node is ${nodeName}` : `node has no field ${requirement.key}`})`;
}
