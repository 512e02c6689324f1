import type { Node } from '../model/node.js';
import type { NodeSelectorRequirement, NodeSelectorTerm } from '../model/pod-spec.js';
import { matchExpressionInvalidity, NODE_NAME_FIELD } from './explain-node-selector-requirement.js';
import { parseInt64 } from './parse-int64.js';

/** Whether a node satisfies a compiled requirement or selector. */
export type NodeMatcher = (node: Node) => boolean;

const NEVER: NodeMatcher = () => false;

/**
 * Required node affinity compiled once into a predicate with exactly the answers of
 * `nodeSelectorTermsMatch(terms, node).matches`: validation (label syntax, value counts, int64 bounds) and
 * bound parsing happen here, so a match is a few comparisons. Terms are ORed; an empty term, a term with
 * an invalid requirement, and an empty term list match nothing.
 */
export function compileNodeAffinity(terms: readonly NodeSelectorTerm[]): NodeMatcher {
  const compiled = terms.map(compileTerm).filter((term) => term !== NEVER);
  if (compiled.length === 0) return NEVER;
  if (compiled.length === 1) return compiled[0] ?? NEVER;
  return (node) => {
    for (const term of compiled) if (term(node)) return true;
    return false;
  };
}

function compileTerm(term: NodeSelectorTerm): NodeMatcher {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return NEVER;
  const requirements = [...expressions.map(compileExpression), ...fields.map(compileField)];
  if (requirements.includes(NEVER)) return NEVER;
  if (requirements.length === 1) return requirements[0] ?? NEVER;
  return (node) => {
    for (const requirement of requirements) if (!requirement(node)) return false;
    return true;
  };
}

// Labels hold strings only, so `typeof` tells an own label from an absent one (or an inherited
// property such as `constructor`) as `Object.hasOwn` does, with one lookup.
function compileExpression(requirement: NodeSelectorRequirement): NodeMatcher {
  if (matchExpressionInvalidity(requirement) !== undefined) return NEVER;
  const { key } = requirement;
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return (node) => {
        const value = node.labels[key];
        return typeof value === 'string' && values.includes(value);
      };
    case 'NotIn':
      return (node) => {
        const value = node.labels[key];
        return typeof value !== 'string' || !values.includes(value);
      };
    case 'Exists':
      return (node) => typeof node.labels[key] === 'string';
    case 'DoesNotExist':
      return (node) => typeof node.labels[key] !== 'string';
    case 'Gt':
    case 'Lt':
      return compileComparison(key, requirement.operator, parseInt64(values[0] ?? ''));
    default:
      return NEVER;
  }
}

function compileComparison(key: string, operator: 'Gt' | 'Lt', bound: bigint | undefined): NodeMatcher {
  if (bound === undefined) return NEVER;
  // Label values repeat across a fleet (core counts, GPU counts): parse each distinct one once.
  const parsed = new Map<string, bigint | undefined>();
  return (node) => {
    const value = node.labels[key];
    if (typeof value !== 'string') return false;
    let actual = parsed.get(value);
    if (actual === undefined && !parsed.has(value)) {
      actual = parseInt64(value);
      if (parsed.size < 1024) parsed.set(value, actual);
    }
    if (actual === undefined) return false;
    return operator === 'Gt' ? actual > bound : actual < bound;
  };
}

// explainMatchField: In or NotIn with exactly one value; only metadata.name is known, others read as ''.
function compileField(requirement: NodeSelectorRequirement): NodeMatcher {
  const { operator } = requirement;
  if (operator !== 'In' && operator !== 'NotIn') return NEVER;
  const [wanted, ...more] = requirement.values ?? [];
  if (wanted === undefined || more.length > 0) return NEVER;
  if (requirement.key !== NODE_NAME_FIELD) return operator === 'In' ? () => wanted === '' : () => wanted !== '';
  return operator === 'In' ? (node) => node.name === wanted : (node) => node.name !== wanted;
}
