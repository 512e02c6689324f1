import { labelValueErrors, qualifiedNameErrors } from '../labels/label-syntax.js';
import type { NodeSelectorRequirement } from '../model/pod-spec.js';
import { parseInt64 } from './parse-int64.js';

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
  if (qualifiedNameErrors(requirement.key).length > 0)
    return `${JSON.stringify(requirement.key)} is not a valid label key`;
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
  const bad = values.find((value) => labelValueErrors(value).length > 0);
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
