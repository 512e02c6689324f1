import type { IngestMessage } from '../../lib/messages/ingest-message.js';
import type { Node } from '../../lib/model/node.js';

/** A node as the kubelet reports it: the realistic fleet's labels and taints, five conditions, allocatable. */
export function toNodeManifest(node: Node): Record<string, unknown> {
  const ready = node.conditions.find((condition) => condition.type === 'Ready')?.status ?? 'True';
  const since = '2026-01-01T00:00:00Z';
  const pressure = (type: string, reason: string, message: string) => ({
    type,
    status: 'False',
    reason,
    message,
    lastHeartbeatTime: since,
    lastTransitionTime: since,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: node.labels,
      ...(node.creationTimestamp ? { creationTimestamp: node.creationTimestamp } : {}),
    },
    spec: { taints: node.taints, ...(node.unschedulable ? { unschedulable: true } : {}) },
    status: {
      conditions: [
        pressure('MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        pressure('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        pressure('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        {
          type: 'Ready',
          status: ready,
          reason: ready === 'True' ? 'KubeletReady' : 'KubeletNotReady',
          message: ready === 'True' ? 'kubelet is posting ready status' : 'container runtime network not ready',
          lastHeartbeatTime: since,
          lastTransitionTime: since,
        },
      ],
      allocatable: { ...node.allocatable, 'ephemeral-storage': '95491281146', 'hugepages-2Mi': '0' },
    },
  };
}

export type AgentManifestOptions = Readonly<{
  image?: string;
  maxUnavailable?: number | string;
  nodeSelector?: Readonly<Record<string, string>>;
}>;

/**
 * A log-shipper DaemonSet as teams write them (fluent-bit-like): one container with resources, env,
 * probes, a security context and host-path mounts, a service account, system-node-critical priority,
 * and tolerations for the control plane, GPU and dedicated nodes. About 2 KB of JSON.
 */
export function agentManifest(name: string, options: AgentManifestOptions = {}): Record<string, unknown> {
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'observability' };
  const hostPath = (volume: string, path: string) => ({ name: volume, hostPath: { path } });
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'observability', labels, annotations: { 'kubernetes.io/change-cause': 'bench' } },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: options.maxUnavailable ?? '10%', maxSurge: 0 },
      },
      template: {
        metadata: { labels, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '2020' } },
        spec: {
          serviceAccountName: name,
          priorityClassName: 'system-node-critical',
          terminationGracePeriodSeconds: 30,
          ...(options.nodeSelector === undefined ? {} : { nodeSelector: options.nodeSelector }),
          tolerations: [
            { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
            { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
            { key: 'dedicated', operator: 'Exists' },
          ],
          containers: [
            {
              name: 'shipper',
              image: options.image ?? 'cr.fluentbit.io/fluent/fluent-bit:3.1.9',
              args: ['--workdir=/fluent-bit/etc', '--config=/fluent-bit/etc/conf/fluent-bit.conf'],
              env: [
                { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                { name: 'CLUSTER', value: 'prod-eu-west-1' },
                { name: 'LOG_LEVEL', value: 'info' },
              ],
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
              ports: [{ name: 'http', containerPort: 2020, protocol: 'TCP' }],
              livenessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 10 },
              readinessProbe: { httpGet: { path: '/api/v1/health', port: 'http' }, periodSeconds: 10 },
              securityContext: { readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [
                { name: 'varlog', mountPath: '/var/log', readOnly: true },
                { name: 'containers', mountPath: '/var/lib/docker/containers', readOnly: true },
                { name: 'machine-id', mountPath: '/etc/machine-id', readOnly: true },
              ],
            },
          ],
          volumes: [
            hostPath('varlog', '/var/log'),
            hostPath('containers', '/var/lib/docker/containers'),
            hostPath('machine-id', '/etc/machine-id'),
          ],
        },
      },
    },
  };
}

const at = (now: number): string => new Date(now).toISOString();

export const nodeJoined = (node: Node, now: number): IngestMessage => ({
  type: 'NodeJoined',
  node: toNodeManifest(node),
  observedAt: at(now),
});

export const nodeRemoved = (name: string, now: number): IngestMessage => ({
  type: 'NodeRemoved',
  name,
  observedAt: at(now),
});

export const daemonSetApplied = (manifest: Record<string, unknown>, now: number): IngestMessage => ({
  type: 'DaemonSetApplied',
  manifest,
  observedAt: at(now),
});
