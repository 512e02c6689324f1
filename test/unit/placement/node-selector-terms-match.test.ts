import { describe, expect, it } from 'vitest';
import type { NodeSelectorRequirement, NodeSelectorTerm } from '../../../lib/model/pod-spec.js';
import { nodeSelectorTermsMatch } from '../../../lib/placement/node-selector-terms-match.js';
import { aNode } from '../../fixtures/builders/a-node.js';

const node = aNode('n1').labelled({ disktype: 'ssd', cores: '8', zone: 'a', weird: 'x1' }).build();
const expression = (requirement: NodeSelectorRequirement): NodeSelectorTerm => ({ matchExpressions: [requirement] });
const field = (requirement: NodeSelectorRequirement): NodeSelectorTerm => ({ matchFields: [requirement] });

describe('nodeSelectorTermsMatch', () => {
  it.each<[string, NodeSelectorRequirement, boolean]>([
    ['In with the value', { key: 'disktype', operator: 'In', values: ['hdd', 'ssd'] }, true],
    ['In without the value', { key: 'disktype', operator: 'In', values: ['hdd'] }, false],
    ['In on an absent key', { key: 'gpu', operator: 'In', values: ['a100'] }, false],
    ['NotIn without the value', { key: 'disktype', operator: 'NotIn', values: ['hdd'] }, true],
    ['NotIn with the value', { key: 'disktype', operator: 'NotIn', values: ['ssd'] }, false],
    ['NotIn on an absent key', { key: 'gpu', operator: 'NotIn', values: ['a100'] }, true],
    ['Exists on a present key', { key: 'zone', operator: 'Exists' }, true],
    ['Exists on an absent key', { key: 'gpu', operator: 'Exists' }, false],
    ['DoesNotExist on an absent key', { key: 'gpu', operator: 'DoesNotExist' }, true],
    ['DoesNotExist on a present key', { key: 'zone', operator: 'DoesNotExist' }, false],
    ['Gt below the label', { key: 'cores', operator: 'Gt', values: ['4'] }, true],
    ['Gt equal to the label', { key: 'cores', operator: 'Gt', values: ['8'] }, false],
    ['Lt above the label', { key: 'cores', operator: 'Lt', values: ['16'] }, true],
    ['Lt equal to the label', { key: 'cores', operator: 'Lt', values: ['8'] }, false],
    ['Gt with leading zeros', { key: 'cores', operator: 'Gt', values: ['007'] }, true],
    ['Gt with a sign, which is no valid label value', { key: 'cores', operator: 'Gt', values: ['+4'] }, false],
    [
      'Gt with a negative bound, which is no valid label value',
      { key: 'cores', operator: 'Gt', values: ['-4'] },
      false,
    ],
    ['Gt on an absent key', { key: 'gpu', operator: 'Gt', values: ['1'] }, false],
    ['Gt on a non-integer label', { key: 'weird', operator: 'Gt', values: ['0'] }, false],
    ['Lt on a non-integer label', { key: 'weird', operator: 'Lt', values: ['100'] }, false],
    ['Gt with a non-integer value', { key: 'cores', operator: 'Gt', values: ['4.5'] }, false],
    ['Lt with a value beyond int64', { key: 'cores', operator: 'Lt', values: ['9223372036854775808'] }, false],
    ['Gt with two values', { key: 'cores', operator: 'Gt', values: ['1', '2'] }, false],
    ['Gt without values', { key: 'cores', operator: 'Gt' }, false],
    ['In without values', { key: 'disktype', operator: 'In', values: [] }, false],
    ['NotIn without values, even on an absent key', { key: 'gpu', operator: 'NotIn' }, false],
    ['Exists with values', { key: 'zone', operator: 'Exists', values: ['a'] }, false],
    ['DoesNotExist with values, even on an absent key', { key: 'gpu', operator: 'DoesNotExist', values: ['a'] }, false],
    ['an invalid key, even with DoesNotExist', { key: 'not a key', operator: 'DoesNotExist' }, false],
    ['an invalid value, even with NotIn', { key: 'gpu', operator: 'NotIn', values: ['-bad-'] }, false],
    ['an unknown operator', { key: 'zone', operator: 'Equals' as 'In', values: ['a'] }, false],
  ])('matches %s: %s', (_name, requirement, expected) => {
    const result = nodeSelectorTermsMatch([expression(requirement)], node);

    expect(result.matches).toBe(expected);
  });

  it.each<[string, NodeSelectorRequirement, boolean]>([
    ['metadata.name In [own name]', { key: 'metadata.name', operator: 'In', values: ['n1'] }, true],
    ['metadata.name In [other name]', { key: 'metadata.name', operator: 'In', values: ['n2'] }, false],
    ['metadata.name NotIn [other name]', { key: 'metadata.name', operator: 'NotIn', values: ['n2'] }, true],
    ['metadata.name NotIn [own name]', { key: 'metadata.name', operator: 'NotIn', values: ['n1'] }, false],
    ['metadata.name In with two values', { key: 'metadata.name', operator: 'In', values: ['n1', 'n2'] }, false],
    ['metadata.name Exists', { key: 'metadata.name', operator: 'Exists' }, false],
    ['an unknown field In', { key: 'spec.unschedulable', operator: 'In', values: ['false'] }, false],
    ['an unknown field NotIn', { key: 'spec.unschedulable', operator: 'NotIn', values: ['true'] }, true],
  ])('matches fields %s: %s', (_name, requirement, expected) => {
    const result = nodeSelectorTermsMatch([field(requirement)], node);

    expect(result.matches).toBe(expected);
  });

  it('ORs terms: one matching term is enough', () => {
    const terms: NodeSelectorTerm[] = [
      expression({ key: 'disktype', operator: 'In', values: ['hdd'] }),
      expression({ key: 'zone', operator: 'In', values: ['a'] }),
    ];

    const result = nodeSelectorTermsMatch(terms, node);

    expect(result).toEqual({ matches: true, termMismatches: [] });
  });

  it('ANDs expressions and fields within a term', () => {
    const term: NodeSelectorTerm = {
      matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }],
      matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }],
    };

    const result = nodeSelectorTermsMatch([term], node);

    expect(result.matches).toBe(false);
  });

  it('matches nothing with an empty term, yet lets another term match', () => {
    const lonely = nodeSelectorTermsMatch([{}], node);
    const paired = nodeSelectorTermsMatch(
      [{ matchExpressions: [] }, expression({ key: 'zone', operator: 'Exists' })],
      node,
    );

    expect(lonely).toEqual({ matches: false, termMismatches: ['term 1: an empty term matches nothing'] });
    expect(paired.matches).toBe(true);
  });

  it('matches nothing with no terms at all', () => {
    const result = nodeSelectorTermsMatch([], node);

    expect(result).toEqual({ matches: false, termMismatches: [] });
  });

  it('lets a valid term match beside an invalid one', () => {
    const terms = [
      expression({ key: 'cores', operator: 'Gt', values: ['many'] }),
      expression({ key: 'cores', operator: 'Gt', values: ['2'] }),
    ];

    const result = nodeSelectorTermsMatch(terms, node);

    expect(result.matches).toBe(true);
  });

  it('explains every failing requirement of every term', () => {
    const terms: NodeSelectorTerm[] = [
      {
        matchExpressions: [
          { key: 'disktype', operator: 'In', values: ['hdd', 'nvme'] },
          { key: 'gpu', operator: 'Exists' },
        ],
      },
      {
        matchExpressions: [
          { key: 'zone', operator: 'DoesNotExist' },
          { key: 'weird', operator: 'Gt', values: ['1'] },
          { key: 'cores', operator: 'Lt', values: ['x'] },
        ],
        matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }],
      },
    ];

    const result = nodeSelectorTermsMatch(terms, node);

    expect(result.termMismatches).toEqual([
      'term 1: disktype In [hdd, nvme] does not match (node has disktype=ssd), gpu Exists does not match (node has no label gpu)',
      'term 2: zone DoesNotExist does not match (node has zone=a), ' +
        'weird Gt [1] does not match (node has weird=x1, not an integer), ' +
        "cores Lt [x] is invalid: for 'Gt', 'Lt' operators, the value must be an integer, " +
        'metadata.name In [n2] does not match (node is n1)',
    ]);
  });

  it.each<[NodeSelectorRequirement, string]>([
    [
      { key: 'disktype', operator: 'In', values: [] },
      "disktype In [] is invalid: for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      { key: 'zone', operator: 'Exists', values: ['a'] },
      'zone Exists [a] is invalid: values set must be empty for exists and does not exist',
    ],
    [
      { key: 'cores', operator: 'Gt', values: [] },
      "cores Gt [] is invalid: for 'Gt', 'Lt' operators, exactly one value is required",
    ],
    [{ key: 'bad key', operator: 'Exists' }, 'bad key Exists is invalid: "bad key" is not a valid label key'],
    [{ key: 'zone', operator: 'In', values: ['a b'] }, 'zone In [a b] is invalid: "a b" is not a valid label value'],
  ])('explains an invalid requirement %o', (requirement, explanation) => {
    const result = nodeSelectorTermsMatch([expression(requirement)], node);

    expect(result.termMismatches).toEqual([`term 1: ${explanation}`]);
  });

  it.each<[NodeSelectorRequirement, string]>([
    [
      { key: 'metadata.name', operator: 'Exists' },
      'metadata.name Exists is invalid: operator "Exists" is not supported for matchFields',
    ],
    [{ key: 'metadata.name', operator: 'In', values: [] }, 'metadata.name In [] is invalid: must have one element'],
    [
      { key: 'spec.podCIDR', operator: 'In', values: ['10.0.0.0/24'] },
      'spec.podCIDR In [10.0.0.0/24] does not match (node has no field spec.podCIDR)',
    ],
  ])('explains a failing field %o', (requirement, explanation) => {
    const result = nodeSelectorTermsMatch([field(requirement)], node);

    expect(result.termMismatches).toEqual([`term 1: ${explanation}`]);
  });
});
