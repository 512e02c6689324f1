import type { NodeSelectorRequirement } from '../model/pod-spec.js';
import { formatNodeSelectorRequirement } from './format-node-selector-requirement.js';
import { isValidLabelKey, isValidLabelValue } from './label-syntax.js';
import { parseInt64 } from './parse-int64.js';

type Labels = Readonly<Record<string, string>>;

/**
 * Why a `matchExpressions` requirement fails on a node's labels, or `undefined` when it matches.
 * Follows `labels.NewRequirement` (an invalid requirement matches nothing; the texts are Kubernetes')
 * and `Requirement.Matches`: `NotIn` and `DoesNotExist` match an absent key; `Gt`/`Lt` need the label
 * to exist and both sides to parse as int64.
 *
 * @example
 * explainMatchExpression({ key: 'disktype', operator: 'In', values: ['ssd'] }, { disktype: 'hdd' });
 * // 'disktype In [ssd] does not match (node has disktype=hdd)'
 */
export function explainMatchExpression(requirement: NodeSelectorRequirement, labels: Labels): string | undefined {
  const invalid = matchExpressionInvalidity(requirement);
  if (invalid !== undefined) return `${formatNodeSelectorRequirement(requirement)} is invalid: ${invalid}`;
  const value = Object.hasOwn(labels, requirement.key) ? labels[requirement.key] : undefined;
  if (matches(requirement, value)) return undefined;
  return `${formatNodeSelectorRequirement(requirement)} does not match (${describeLabel(requirement, value)})`;
}

/** Why Kubernetes' `labels.NewRequirement` refuses a requirement (then it matches nothing), or `undefined`. */
export function matchExpressionInvalidity(requirement: NodeSelectorRequirement): string | undefined {
  if (!isValidLabelKey(requirement.key)) return `${JSON.stringify(requirement.key)} is not a valid label key`;
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) return "for 'in', 'notin' operators, values set can't be empty";
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) return 'values set must be empty for exists and does not exist';
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) return "for 'Gt', 'Lt' operators, exactly one value is required";
      if (parseInt64(values[0] ?? '') === undefined) return "for 'Gt', 'Lt' operators, the value must be an integer";
      break;
    default:
      return `operator ${JSON.stringify(requirement.operator)} is not supported`;
  }
  const bad = values.find((value) => !isValidLabelValue(value));
  return bad === undefined ? undefined : `${JSON.stringify(bad)} is not a valid label value`;
}

function matches(requirement: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const actual = value === undefined ? undefined : parseInt64(value);
      const bound = parseInt64(values[0] ?? '');
      if (actual === undefined || bound === undefined) return false;
      return requirement.operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

function describeLabel(requirement: NodeSelectorRequirement, value: string | undefined): string {
  if (value === undefined) return `node has no label ${requirement.key}`;
  const numeric = requirement.operator === 'Gt' || requirement.operator === 'Lt';
  const notInteger = numeric && parseInt64(value) === undefined ? ', not an integer' : '';
  return `node has ${requirement.key}=${value}${notInteger}`;
}
