import type { Node, Taint } from '../../lib/model/node.js';
import { SeededRandom } from '../../test/fixtures/seeded-random.js';

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] as const;
type InstanceType = Readonly<{ name: string; arch: 'amd64' | 'arm64'; cores: number; gpus: number }>;
const INSTANCE_TYPES: readonly InstanceType[] = [
  { name: 'm6i.large', arch: 'amd64', cores: 2, gpus: 0 },
  { name: 'm6i.2xlarge', arch: 'amd64', cores: 8, gpus: 0 },
  { name: 'm7g.xlarge', arch: 'arm64', cores: 4, gpus: 0 },
  { name: 'm7g.4xlarge', arch: 'arm64', cores: 16, gpus: 0 },
  { name: 'c7g.8xlarge', arch: 'arm64', cores: 32, gpus: 0 },
  { name: 'r6i.4xlarge', arch: 'amd64', cores: 16, gpus: 0 },
  { name: 'c6i.16xlarge', arch: 'amd64', cores: 64, gpus: 0 },
];
const GPU_TYPES: readonly InstanceType[] = [
  { name: 'g5.xlarge', arch: 'amd64', cores: 4, gpus: 1 },
  { name: 'g5.12xlarge', arch: 'amd64', cores: 48, gpus: 4 },
  { name: 'p4d.24xlarge', arch: 'amd64', cores: 96, gpus: 8 },
];
const NODE_GROUPS = ['general', 'compute', 'memory', 'batch', 'ingress'] as const;
const TEAMS = ['payments', 'search', 'ml', 'data'] as const;

/** The mix of node kinds, as fractions of the fleet (documented in docs/BENCHMARKS.md). */
export const NODE_MIX = {
  controlPlane: 0.01,
  gpu: 0.05,
  dedicated: 0.05,
  notReady: 0.02,
  unreachable: 0.005,
  spot: 0.3,
  cordoned: 0.01,
} as const;

/**
 * A fleet as EKS/Karpenter label and taint it: well-known labels (hostname, os, arch, zone, region,
 * instance type), node group and capacity type, a numeric core count, GPU labels and taints on GPU
 * nodes, control-plane taints, dedicated team taints, and NotReady/unreachable `NoExecute` taints on a
 * few nodes. Seeded: every run sees the same fleet.
 */
export function realisticNodes(count: number, seed = 7): readonly Node[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, (_, index) => realisticNode(index, random));
}

function realisticNode(index: number, random: SeededRandom): Node {
  const name = `ip-10-${Math.floor(index / 250)}-${index % 250}.eu-west-1.compute.internal`;
  const controlPlane = random.chance(NODE_MIX.controlPlane);
  const gpu = !controlPlane && random.chance(NODE_MIX.gpu);
  const type = gpu ? random.pick(GPU_TYPES) : random.pick(INSTANCE_TYPES);
  const zone = random.pick(ZONES);
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': type.arch,
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': type.arch,
    'topology.kubernetes.io/region': 'eu-west-1',
    'topology.kubernetes.io/zone': zone,
    'failure-domain.beta.kubernetes.io/zone': zone,
    'node.kubernetes.io/instance-type': type.name,
    'karpenter.sh/capacity-type': random.chance(NODE_MIX.spot) ? 'spot' : 'on-demand',
    'eks.amazonaws.com/nodegroup': controlPlane ? 'control-plane' : random.pick(NODE_GROUPS),
    'example.com/cores': String(type.cores),
  };
  const taints: Taint[] = [];
  if (controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    taints.push({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' });
  }
  if (gpu) {
    labels['nvidia.com/gpu.present'] = 'true';
    labels['nvidia.com/gpu.count'] = String(type.gpus);
    labels['nvidia.com/gpu.product'] = type.name.startsWith('p4d') ? 'A100-SXM4-40GB' : 'A10G';
    taints.push({ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' });
  }
  if (!controlPlane && !gpu && random.chance(NODE_MIX.dedicated)) {
    const team = random.pick(TEAMS);
    labels['example.com/dedicated'] = team;
    taints.push({ key: 'dedicated', value: team, effect: 'NoSchedule' });
  }
  const notReady = random.chance(NODE_MIX.notReady);
  if (notReady) taints.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' });
  if (!notReady && random.chance(NODE_MIX.unreachable)) {
    taints.push({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' });
  }
  const cordoned = random.chance(NODE_MIX.cordoned);
  if (cordoned) taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
  if (labels['karpenter.sh/capacity-type'] === 'spot' && random.chance(0.02)) {
    taints.push({ key: 'aws.amazon.com/spot-interruption', effect: 'PreferNoSchedule' });
  }
  return {
    name,
    labels,
    taints,
    unschedulable: cordoned,
    conditions: [{ type: 'Ready', status: notReady ? 'False' : 'True' }],
    allocatable: { cpu: String(type.cores), memory: `${type.cores * 4}Gi`, pods: '110' },
    creationTimestamp: new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString(),
  };
}
