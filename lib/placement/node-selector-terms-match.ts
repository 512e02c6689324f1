import type { Node } from '../model/node.js';
import type { NodeSelectorTerm } from '../model/pod-spec.js';
import { explainMatchExpression, explainMatchField } from './explain-node-selector-requirement.js';

export type TermsMatch = Readonly<{
  matches: boolean;
  /** When nothing matches, why each term failed: `term 1: disktype In [ssd] does not match (...)`. Empty on a match. */
  termMismatches: readonly string[];
}>;

/**
 * Required node affinity (`nodeSelectorTerms`) as Kubernetes' `LazyErrorNodeSelector.Match`: terms are
 * ORed; within a term every expression and field must match; an empty term, and an empty term list,
 * match nothing; a term with an invalid requirement does not match (the error is otherwise ignored).
 *
 * @example
 * nodeSelectorTermsMatch([{ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }], node).matches;
 */
export function nodeSelectorTermsMatch(terms: readonly NodeSelectorTerm[], node: Node): TermsMatch {
  const termMismatches: string[] = [];
  for (const [index, term] of terms.entries()) {
    const failures = termFailures(term, node);
    if (failures.length === 0) return { matches: true, termMismatches: [] };
    termMismatches.push(`term ${index + 1}: ${failures.join(', ')}`);
  }
  return { matches: false, termMismatches };
}

function termFailures(term: NodeSelectorTerm, node: Node): readonly string[] {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return ['an empty term matches nothing'];
  return [
    ...expressions.map((requirement) => explainMatchExpression(requirement, node.labels)),
    ...fields.map((requirement) => explainMatchField(requirement, node.name)),
  ].filter((failure): failure is string => failure !== undefined);
}
