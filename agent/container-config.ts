import { parseQuantity } from '../lib/manifest/parse-quantity.js';
import type { JsonObject } from '../lib/model/daemon-set.js';
import { type AgentPod, objectAt, objectsAt, stringsAt } from './agent-pod.js';
import { containerLabels, LABELS, SANDBOX_CONTAINER_NAME } from './container-labels.js';

/** The kubelet's default sandbox image (`--pod-infra-container-image`). */
export const DEFAULT_PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';

/** What a container's config needs from the host and the agent. */
export type HostContext = Readonly<{
  nodeName: string;
  hostIP: string;
  /** Docker network of pods without `hostNetwork`. @default 'bridge' */
  podNetwork: string;
  /** Where `emptyDir` volumes live: `<dir>/<namespace>_<pod>/<volume>`. */
  emptyDirRoot: string;
  /** The image of each pod's sandbox container (pods without `hostNetwork`). @default DEFAULT_PAUSE_IMAGE */
  pauseImage?: string;
}>;

/** A pod the agent cannot run as asked (an unsupported volume, an unknown fieldRef): it fails with this reason. */
export class UnsupportedPodError extends Error {
  readonly reason: string;

  constructor(reason: string, message: string) {
    super(message);
    this.name = 'UnsupportedPodError';
    this.reason = reason;
  }
}

const SUPPORTED_FIELD_REFS = ['spec.nodeName', 'metadata.name', 'metadata.namespace', 'status.hostIP', 'status.podIP'];

/**
 * Refuses a pod the agent cannot run, with the field and a clear reason, before any container starts:
 * ConfigMap, Secret, projected and other volume types, `valueFrom` sources other than the supported
 * `fieldRef`s, and mounts of volumes the pod does not declare.
 */
export function assertRunnable(pod: AgentPod): void {
  const volumes = objectsAt(pod.spec, 'volumes');
  volumes.forEach((volume, index) => {
    if (volume['hostPath'] !== undefined || volume['emptyDir'] !== undefined) return;
    const kind = Object.keys(volume).find((key) => key !== 'name') ?? 'unknown';
    throw new UnsupportedPodError(
      'UnsupportedVolume',
      `spec.volumes[${index}].${kind}: Unsupported value: volume ${JSON.stringify(volume['name'])}: the everynode agent supports hostPath and emptyDir volumes only`,
    );
  });
  const names = new Set(volumes.map((volume) => String(volume['name'])));
  for (const [group, containers] of [
    ['initContainers', objectsAt(pod.spec, 'initContainers')],
    ['containers', objectsAt(pod.spec, 'containers')],
  ] as const) {
    containers.forEach((container, index) => {
      const at = `spec.${group}[${index}]`;
      objectsAt(container, 'env').forEach((env, envIndex) => {
        const from = env['valueFrom'];
        if (from === undefined) return;
        const path = objectAt(objectAt(env, 'valueFrom'), 'fieldRef')['fieldPath'];
        if (typeof path !== 'string' || !SUPPORTED_FIELD_REFS.includes(path)) {
          throw new UnsupportedPodError(
            'UnsupportedEnvSource',
            `${at}.env[${envIndex}].valueFrom: Unsupported value: the everynode agent supports fieldRef ${SUPPORTED_FIELD_REFS.join(', ')}`,
          );
        }
      });
      objectsAt(container, 'volumeMounts').forEach((mount, mountIndex) => {
        if (!names.has(String(mount['name']))) {
          throw new UnsupportedPodError(
            'VolumeNotFound',
            `${at}.volumeMounts[${mountIndex}].name: Not found: ${JSON.stringify(mount['name'])}`,
          );
        }
      });
    });
  }
}

/** The value of a pod's environment variable source, as the kubelet resolves `fieldRef`. */
function fieldValue(pod: AgentPod, path: string, host: HostContext): string {
  switch (path) {
    case 'spec.nodeName':
      return host.nodeName;
    case 'metadata.name':
      return pod.name;
    case 'metadata.namespace':
      return pod.namespace;
    default:
      // status.hostIP; status.podIP is the host's for hostNetwork pods, the only pods with a known IP here.
      return host.hostIP;
  }
}

/** The container's environment, in order, `$(VAR)` references to earlier variables expanded as the kubelet does. */
export function containerEnv(pod: AgentPod, container: JsonObject, host: HostContext): Array<[string, string]> {
  const env: Array<[string, string]> = [];
  const known = new Map<string, string>();
  for (const entry of objectsAt(container, 'env')) {
    const name = String(entry['name']);
    const fieldPath = objectAt(objectAt(entry, 'valueFrom'), 'fieldRef')['fieldPath'];
    const value =
      typeof fieldPath === 'string'
        ? fieldValue(pod, fieldPath, host)
        : expandReferences(typeof entry['value'] === 'string' ? entry['value'] : '', known);
    known.set(name, value);
    env.push([name, value]);
  }
  return env;
}

/**
 * Kubernetes' `$(VAR)` expansion: a defined variable is replaced, an undefined one is left as written,
 * `$$` escapes a `$`.
 */
export function expandReferences(text: string, env: ReadonlyMap<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && env.has(name) ? (env.get(name) as string) : match;
  });
}

/** The ports a container publishes: `ExposedPorts` keys and `PortBindings` for those with a `hostPort`. */
function publishedPorts(
  containers: readonly JsonObject[],
): Readonly<{ exposed: Record<string, JsonObject>; bindings: Record<string, JsonObject[]> }> {
  const exposed: Record<string, JsonObject> = {};
  const bindings: Record<string, JsonObject[]> = {};
  for (const port of containers.flatMap((container) => objectsAt(container, 'ports'))) {
    const key = `${String(port['containerPort'])}/${String(port['protocol'] ?? 'TCP').toLowerCase()}`;
    exposed[key] = {};
    if (typeof port['hostPort'] === 'number') {
      bindings[key] = [
        ...(bindings[key] ?? []),
        { HostIp: String(port['hostIP'] ?? ''), HostPort: String(port['hostPort']) },
      ];
    }
  }
  return { exposed, bindings };
}

/**
 * The `POST /containers/create` body of a pod's sandbox, as the kubelet's pause container: it holds the pod's
 * network namespace (on `podNetwork`, with the pod's hostname) and publishes every container's ports and
 * `hostPort`s; the pod's containers join it with `NetworkMode: container:<sandbox id>`, so they reach each other
 * on localhost. Pods with `hostNetwork` have none.
 */
export function sandboxConfig(pod: AgentPod, host: HostContext): JsonObject {
  const { exposed, bindings } = publishedPorts(objectsAt(pod.spec, 'containers'));
  return {
    Image: host.pauseImage ?? DEFAULT_PAUSE_IMAGE,
    Hostname: pod.name.slice(0, 63),
    ExposedPorts: exposed,
    Labels: {
      ...containerLabels(pod, SANDBOX_CONTAINER_NAME, host.nodeName, { init: false, restartCount: 0 }),
      [LABELS.sandbox]: 'true',
    },
    HostConfig: {
      NetworkMode: host.podNetwork,
      PortBindings: bindings,
      ...(pod.spec['hostIPC'] === true ? { IpcMode: 'host' } : {}),
      RestartPolicy: { Name: 'no' },
    },
  };
}

/**
 * The `POST /containers/create` body of one of the pod's containers. Without `hostNetwork` it joins the pod's
 * sandbox (`sandboxId`), which holds the hostname and the published ports.
 */
export function containerConfig(
  pod: AgentPod,
  container: JsonObject,
  identity: Readonly<{ init: boolean; restartCount: number }>,
  host: HostContext,
  sandboxId?: string,
): JsonObject {
  const env = containerEnv(pod, container, host);
  const known = new Map(env);
  const command = stringsAt(container, 'command')?.map((part) => expandReferences(part, known));
  const args = stringsAt(container, 'args')?.map((part) => expandReferences(part, known));
  const hostNetwork = pod.spec['hostNetwork'] === true;
  const security = objectAt(container, 'securityContext');
  const capabilities = objectAt(security, 'capabilities');
  const limits = objectAt(objectAt(container, 'resources'), 'limits');
  const requests = objectAt(objectAt(container, 'resources'), 'requests');
  // In a sandbox, the sandbox publishes the ports (Docker refuses them on a container-mode network).
  const inSandbox = !hostNetwork && sandboxId !== undefined;
  const published = publishedPorts([container]);
  const exposed = inSandbox ? {} : published.exposed;
  const bindings = inSandbox || hostNetwork ? {} : published.bindings;
  const add = stringsAt(capabilities, 'add');
  const drop = stringsAt(capabilities, 'drop');
  const runAsUser = security['runAsUser'] ?? objectAt(pod.spec, 'securityContext')['runAsUser'];
  return {
    Image: String(container['image']),
    ...(command !== undefined ? { Entrypoint: command, Cmd: args ?? [] } : {}),
    ...(command === undefined && args !== undefined ? { Cmd: args } : {}),
    Env: env.map(([name, value]) => `${name}=${value}`),
    ...(typeof container['workingDir'] === 'string' ? { WorkingDir: container['workingDir'] } : {}),
    ...(typeof runAsUser === 'number' ? { User: String(runAsUser) } : {}),
    ...(hostNetwork || inSandbox ? {} : { Hostname: pod.name.slice(0, 63) }),
    ...(inSandbox ? {} : { ExposedPorts: exposed }),
    Labels: containerLabels(pod, String(container['name']), host.nodeName, identity),
    HostConfig: {
      NetworkMode: hostNetwork ? 'host' : inSandbox ? `container:${sandboxId}` : host.podNetwork,
      ...(pod.spec['hostPID'] === true ? { PidMode: 'host' } : {}),
      ...(pod.spec['hostIPC'] === true ? { IpcMode: 'host' } : {}),
      Privileged: security['privileged'] === true,
      ...(add === undefined ? {} : { CapAdd: add }),
      ...(drop === undefined ? {} : { CapDrop: drop }),
      ...(security['readOnlyRootFilesystem'] === true ? { ReadonlyRootfs: true } : {}),
      Binds: binds(pod, container, host),
      ...(inSandbox ? {} : { PortBindings: bindings }),
      ...quantity(limits['memory'], (bytes) => ({ Memory: Math.round(bytes) })),
      ...quantity(limits['cpu'], (cores) => ({ NanoCpus: Math.round(cores * 1e9) })),
      // The kubelet's cpu.shares from the cpu request: 1024 per core, at least 2.
      ...quantity(requests['cpu'], (cores) => ({ CpuShares: Math.max(2, Math.round(cores * 1024)) })),
      RestartPolicy: { Name: 'no' },
    },
  };
}

function quantity(value: unknown, to: (amount: number) => JsonObject): JsonObject {
  if (typeof value !== 'string' && typeof value !== 'number') return {};
  const parsed = parseQuantity(value);
  return parsed.ok && parsed.value > 0 ? to(parsed.value) : {};
}

/** `source:target[:ro]` for each volume mount, `subPath` appended to the source. */
function binds(pod: AgentPod, container: JsonObject, host: HostContext): string[] {
  const volumes = new Map(objectsAt(pod.spec, 'volumes').map((volume) => [String(volume['name']), volume]));
  return objectsAt(container, 'volumeMounts').map((mount) => {
    const name = String(mount['name']);
    const volume = volumes.get(name) ?? {};
    const hostPath = objectAt(volume, 'hostPath')['path'];
    const base = typeof hostPath === 'string' ? hostPath : `${host.emptyDirRoot}/${emptyDirFolder(pod)}/${name}`;
    const subPath = typeof mount['subPath'] === 'string' && mount['subPath'] !== '' ? `/${mount['subPath']}` : '';
    return `${base}${subPath}:${String(mount['mountPath'])}${mount['readOnly'] === true ? ':ro' : ''}`;
  });
}

/** The folder of a pod's emptyDir volumes under the agent's root. */
export function emptyDirFolder(pod: Pick<AgentPod, 'namespace' | 'name'>): string {
  return `${pod.namespace}_${pod.name}`;
}
