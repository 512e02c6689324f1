import { request } from 'node:http';
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
    const token = await imds('PUT', '/latest/api/token', { 'x-aws-ec2-metadata-token-ttl-seconds': '60' }, timeoutMs);
    const read = (path: string): Promise<string> =>
      imds('GET', `/latest/meta-data/${path}`, { 'x-aws-ec2-metadata-token': token }, timeoutMs * 3);
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

/** One IMDSv2 request (`node:http`: the agent never loads `fetch`'s HTTP stack); rejects unless 200. */
function imds(method: string, path: string, headers: Record<string, string>, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(`${IMDS}${path}`, { method, headers, timeout: timeoutMs }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on('end', () =>
        res.statusCode === 200 ? resolve(text.trim()) : reject(new Error(`IMDS ${path}: HTTP ${res.statusCode}`)),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`IMDS ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

function firstAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return '127.0.0.1';
}
