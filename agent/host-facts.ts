import { cpus, hostname, networkInterfaces, totalmem } from 'node:os';

/** What the agent finds on its host to register the node with. */
export type HostFacts = Readonly<{
  labels: Readonly<Record<string, string>>;
  allocatable: Readonly<Record<string, string>>;
  hostIP: string;
  providerID?: string;
}>;

const IMDS = 'http://169.254.169.254';

/**
 * The kubelet's well-known node labels and allocatable resources from this host, and, on EC2 (IMDSv2
 * answers within `imdsTimeoutMs`), the instance type, zone, region and `providerID`.
 */
export async function hostFacts(nodeName: string, imdsTimeoutMs = 300): Promise<HostFacts> {
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': nodeName,
    'kubernetes.io/os': process.platform === 'win32' ? 'windows' : process.platform,
    'kubernetes.io/arch': kubernetesArch(process.arch),
    'everynode.io/host': hostname(),
  };
  const allocatable = {
    cpu: String(cpus().length),
    memory: `${Math.floor(totalmem() / 1024)}Ki`,
    pods: '110',
  };
  const ec2 = await ec2Facts(imdsTimeoutMs);
  if (ec2 !== undefined) {
    labels['node.kubernetes.io/instance-type'] = ec2.instanceType;
    labels['topology.kubernetes.io/zone'] = ec2.zone;
    labels['topology.kubernetes.io/region'] = ec2.region;
  }
  return {
    labels,
    allocatable,
    hostIP: ec2?.localIPv4 ?? firstAddress(),
    ...(ec2 === undefined ? {} : { providerID: `aws:///${ec2.zone}/${ec2.instanceId}` }),
  };
}

/** Node's `process.arch` in Kubernetes' (Go's) spelling. */
export function kubernetesArch(arch: string): string {
  return (
    (
      { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' } as Record<
        string,
        string
      >
    )[arch] ?? arch
  );
}

type Ec2Facts = Readonly<{
  instanceType: string;
  zone: string;
  region: string;
  instanceId: string;
  localIPv4?: string;
}>;

async function ec2Facts(timeoutMs: number): Promise<Ec2Facts | undefined> {
  try {
    const tokenResponse = await fetch(`${IMDS}/latest/api/token`, {
      method: 'PUT',
      headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!tokenResponse.ok) return undefined;
    const token = await tokenResponse.text();
    const read = async (path: string): Promise<string> => {
      const response = await fetch(`${IMDS}/latest/meta-data/${path}`, {
        headers: { 'x-aws-ec2-metadata-token': token },
        signal: AbortSignal.timeout(timeoutMs * 3),
      });
      if (!response.ok) throw new Error(`IMDS ${path}: HTTP ${response.status}`);
      return (await response.text()).trim();
    };
    const [instanceType, zone, region, instanceId, localIPv4] = await Promise.all([
      read('instance-type'),
      read('placement/availability-zone'),
      read('placement/region'),
      read('instance-id'),
      read('local-ipv4').catch(() => ''),
    ]);
    return { instanceType, zone, region, instanceId, ...(localIPv4 === '' ? {} : { localIPv4 }) };
  } catch {
    return undefined;
  }
}

function firstAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return '127.0.0.1';
}
