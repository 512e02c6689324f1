import { fc } from '@fast-check/vitest';
import type { Node, Taint } from '../../lib/model/node.js';
import type { NodeSelectorRequirement, NodeSelectorTerm, PlacementSpec, Toleration } from '../../lib/model/pod-spec.js';

// Small vocabularies, so taints, tolerations, labels and selectors actually meet.
const KEYS = [
  'dedicated',
  'zone',
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  'node.kubernetes.io/disk-pressure',
  'node.kubernetes.io/network-unavailable',
] as const;
const VALUES = ['', 'a', 'b', '7'] as const;
const NODE_NAMES = ['n1', 'n2'] as const;

export const arbTaint = (): fc.Arbitrary<Taint> =>
  fc.record(
    {
      key: fc.constantFrom(...KEYS),
      value: fc.constantFrom(...VALUES),
      effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute'),
    },
    { requiredKeys: ['key', 'effect'] },
  );

export const arbToleration = (): fc.Arbitrary<Toleration> =>
  fc.record(
    {
      key: fc.constantFrom('', ...KEYS),
      operator: fc.constantFrom('Exists', 'Equal'),
      value: fc.constantFrom(...VALUES),
      effect: fc.constantFrom('', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'),
      tolerationSeconds: fc.nat(600),
    },
    { requiredKeys: [] },
  );

const arbLabels = (): fc.Arbitrary<Record<string, string>> =>
  fc.dictionary(fc.constantFrom('zone', 'disktype', 'cores'), fc.constantFrom(...VALUES), { maxKeys: 3 });

export const arbNode = (): fc.Arbitrary<Node> =>
  fc.record({
    name: fc.constantFrom(...NODE_NAMES),
    labels: arbLabels(),
    taints: fc.array(arbTaint(), { maxLength: 4 }),
    unschedulable: fc.boolean(),
    conditions: fc.constant([]),
    allocatable: fc.constant({}),
  });

const arbRequirement = (): fc.Arbitrary<NodeSelectorRequirement> =>
  fc.record({
    key: fc.constantFrom('zone', 'disktype', 'cores'),
    operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'),
    values: fc.array(fc.constantFrom(...VALUES), { maxLength: 2 }),
  });

const arbTerm = (): fc.Arbitrary<NodeSelectorTerm> =>
  fc.record(
    {
      matchExpressions: fc.array(arbRequirement(), { maxLength: 2 }),
      matchFields: fc.array(
        fc.record({
          key: fc.constant('metadata.name'),
          operator: fc.constantFrom('In', 'NotIn'),
          values: fc.tuple(fc.constantFrom(...NODE_NAMES)),
        }),
        { maxLength: 1 },
      ),
    },
    { requiredKeys: [] },
  );

/** Mostly absent: one time in `1 + rarity` the value is generated. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, rarity: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: rarity }, { arbitrary, weight: 1 });

export const arbPlacement = (): fc.Arbitrary<PlacementSpec> =>
  fc
    .record({
      nodeName: sometimes(fc.constantFrom(...NODE_NAMES), 4),
      nodeSelector: sometimes(arbLabels(), 2),
      requiredNodeAffinity: sometimes(fc.array(arbTerm(), { maxLength: 2 }), 2),
      tolerations: fc.array(arbToleration(), { maxLength: 4 }),
      hostNetwork: fc.boolean(),
    })
    .map(({ nodeName, nodeSelector, requiredNodeAffinity, tolerations, hostNetwork }) => ({
      nodeSelector: nodeSelector ?? {},
      tolerations,
      hostNetwork,
      ...(nodeName === undefined ? {} : { nodeName }),
      ...(requiredNodeAffinity === undefined ? {} : { requiredNodeAffinity }),
    }));

/** Any permutation of `items`. */
export const arbPermutation = <T>(items: readonly T[]): fc.Arbitrary<readonly T[]> =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });
