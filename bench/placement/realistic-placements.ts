import type { NodeSelectorRequirement, PlacementSpec, Toleration } from '../../lib/model/pod-spec.js';

export type NamedPlacement = Readonly<{ name: string; placement: PlacementSpec }>;

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] as const;
const TEAMS = ['payments', 'search', 'ml', 'data'] as const;
const linux = { 'kubernetes.io/os': 'linux' } as const;
const everything: Toleration = { operator: 'Exists' };
const gpuToleration: Toleration = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };
const controlPlaneToleration: Toleration = {
  key: 'node-role.kubernetes.io/control-plane',
  operator: 'Exists',
  effect: 'NoSchedule',
};
const expression = (key: string, operator: NodeSelectorRequirement['operator'], ...values: string[]) =>
  values.length === 0 ? { key, operator } : { key, operator, values };

type Archetype = (variant: number) => PlacementSpec;

// Sixteen kinds of DaemonSet seen in real clusters (CNI, proxies, log shippers, GPU plugins, team agents...),
// each with a variant number that shifts its zone, team or threshold.
const ARCHETYPES: readonly (readonly [string, Archetype])[] = [
  ['kube-proxy', () => ({ nodeSelector: linux, tolerations: [everything], hostNetwork: true })],
  [
    'aws-node',
    () => ({
      nodeSelector: {},
      requiredNodeAffinity: [
        {
          matchExpressions: [
            expression('kubernetes.io/os', 'In', 'linux'),
            expression('kubernetes.io/arch', 'In', 'amd64', 'arm64'),
            expression('eks.amazonaws.com/compute-type', 'NotIn', 'fargate', 'hybrid'),
          ],
        },
      ],
      tolerations: [everything],
      hostNetwork: true,
    }),
  ],
  [
    'fluent-bit',
    () => ({
      nodeSelector: linux,
      tolerations: [controlPlaneToleration, gpuToleration, { key: 'dedicated', operator: 'Exists' }],
      hostNetwork: false,
    }),
  ],
  ['node-exporter', () => ({ nodeSelector: linux, tolerations: [everything], hostNetwork: true })],
  [
    'nvidia-device-plugin',
    () => ({ nodeSelector: { 'nvidia.com/gpu.present': 'true' }, tolerations: [gpuToleration], hostNetwork: false }),
  ],
  [
    'dcgm-exporter',
    () => ({
      nodeSelector: {},
      requiredNodeAffinity: [
        {
          matchExpressions: [
            expression('nvidia.com/gpu.count', 'Gt', '0'),
            expression('nvidia.com/gpu.product', 'In', 'A100-SXM4-40GB', 'A10G', 'H100-80GB'),
          ],
        },
      ],
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
      hostNetwork: false,
    }),
  ],
  [
    'zone-cache',
    (variant) => ({
      nodeSelector: {},
      requiredNodeAffinity: [
        { matchExpressions: [expression('topology.kubernetes.io/zone', 'In', ZONES[variant % ZONES.length] ?? '')] },
      ],
      tolerations: [],
      hostNetwork: false,
    }),
  ],
  [
    'spot-handler',
    () => ({
      nodeSelector: { 'karpenter.sh/capacity-type': 'spot' },
      requiredNodeAffinity: [{ matchExpressions: [expression('kubernetes.io/arch', 'In', 'amd64', 'arm64')] }],
      tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
      hostNetwork: false,
    }),
  ],
  [
    'big-node-profiler',
    (variant) => ({
      nodeSelector: linux,
      requiredNodeAffinity: [
        {
          matchExpressions: [
            expression('example.com/cores', 'Gt', String(8 + 8 * (variant % 4))),
            expression('node.kubernetes.io/instance-type', 'NotIn', 'm6i.large', 'g5.xlarge'),
          ],
        },
      ],
      tolerations: [],
      hostNetwork: false,
    }),
  ],
  [
    'team-agent',
    (variant) => {
      const team = TEAMS[variant % TEAMS.length] ?? 'ml';
      return {
        nodeSelector: { 'example.com/dedicated': team },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: team, effect: 'NoSchedule' }],
        hostNetwork: false,
      };
    },
  ],
  [
    'arm-tuner',
    () => ({ nodeSelector: { ...linux, 'kubernetes.io/arch': 'arm64' }, tolerations: [], hostNetwork: false }),
  ],
  [
    'control-plane-auditor',
    () => ({
      nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
      tolerations: [controlPlaneToleration],
      hostNetwork: true,
    }),
  ],
  [
    'multi-term',
    (variant) => ({
      nodeSelector: {},
      requiredNodeAffinity: [
        {
          matchExpressions: [
            expression('topology.kubernetes.io/zone', 'In', ZONES[variant % ZONES.length] ?? ''),
            expression('example.com/cores', 'Gt', '31'),
          ],
        },
        { matchExpressions: [expression('nvidia.com/gpu.present', 'Exists')] },
      ],
      tolerations: [gpuToleration],
      hostNetwork: false,
    }),
  ],
  [
    'security-agent',
    () => ({
      nodeSelector: {},
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        controlPlaneToleration,
        gpuToleration,
        { key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' },
      ],
      hostNetwork: true,
    }),
  ],
  [
    'general-only',
    () => ({
      nodeSelector: {},
      requiredNodeAffinity: [
        {
          matchExpressions: [
            expression('nvidia.com/gpu.present', 'DoesNotExist'),
            expression('node-role.kubernetes.io/control-plane', 'DoesNotExist'),
            expression('karpenter.sh/capacity-type', 'In', 'on-demand'),
          ],
        },
      ],
      tolerations: [],
      hostNetwork: false,
    }),
  ],
  [
    'node-pinned-debug',
    (variant) => ({
      nodeSelector: {},
      requiredNodeAffinity: [
        {
          matchFields: [expression('metadata.name', 'NotIn', `ip-10-0-${variant}.eu-west-1.compute.internal`)],
          matchExpressions: [expression('eks.amazonaws.com/nodegroup', 'In', 'general', 'batch')],
        },
      ],
      tolerations: [],
      hostNetwork: false,
    }),
  ],
];

/**
 * `count` DaemonSet placements cycling through sixteen real-world kinds (CNI, kube-proxy, log shippers,
 * node exporters, GPU plugins, zone caches, team agents, control-plane auditors...), with nodeSelectors,
 * required node affinity (In, NotIn, Exists, DoesNotExist, Gt, matchFields, several terms) and tolerations.
 */
export function realisticPlacements(count: number): readonly NamedPlacement[] {
  return Array.from({ length: count }, (_, index) => {
    const [kind, archetype] = ARCHETYPES[index % ARCHETYPES.length] ?? ARCHETYPES[0] ?? ['none', () => EMPTY];
    const variant = Math.floor(index / ARCHETYPES.length);
    return { name: `${kind}-${variant}`, placement: archetype(variant) };
  });
}

const EMPTY: PlacementSpec = { nodeSelector: {}, tolerations: [], hostNetwork: false };
