import type { IngestMessage, IngestQueue } from '../lib/messages/ingest-message.js';
import type { JsonObject } from '../lib/model/daemon-set.js';

/** The control-plane taint and role label kubeadm puts on control-plane nodes. */
const CONTROL_PLANE_ROLE = 'node-role.kubernetes.io/control-plane';

function demoNode(
  name: string,
  labels: Readonly<Record<string, string>>,
  taints: readonly JsonObject[] = [],
): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...labels } },
    spec: taints.length === 0 ? {} : { taints },
    status: {
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
    },
  };
}

/** The demo's three nodes: a tainted control-plane node, a GPU node and a plain worker. */
export const DEMO_NODES: readonly JsonObject[] = [
  demoNode('control-plane-1', { [CONTROL_PLANE_ROLE]: '' }, [{ key: CONTROL_PLANE_ROLE, effect: 'NoSchedule' }]),
  demoNode('gpu-1', { hardware: 'gpu' }),
  demoNode('worker-1', {}),
];

/**
 * The fluentd log collector from the DaemonSets guide (`test/fixtures/manifests/fluentd.yaml`), embedded so
 * `npm start -- --demo` does not read test files. It tolerates the control-plane taint, so it runs on all
 * three demo nodes.
 */
export const DEMO_FLUENTD_DAEMON_SET: JsonObject = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'fluentd-logger', namespace: 'kube-system' },
  spec: {
    selector: { matchLabels: { name: 'fluentd-logger' } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
    template: {
      metadata: { labels: { name: 'fluentd-logger' } },
      spec: {
        tolerations: [{ key: CONTROL_PLANE_ROLE, operator: 'Exists', effect: 'NoSchedule' }],
        containers: [
          {
            name: 'fluentd',
            image: 'fluent/fluentd:v1.14',
            resources: { limits: { memory: '200Mi', cpu: '100m' } },
            volumeMounts: [{ name: 'varlog', mountPath: '/var/log' }],
          },
        ],
        volumes: [{ name: 'varlog', hostPath: { path: '/var/log' } }],
      },
    },
  },
};

/** A Kubernetes object as an ingest message carries it. */
type MessageObject = Extract<IngestMessage, { type: 'DaemonSetApplied' }>['manifest'];

/** The demo as ingest messages: the nodes join, then fluentd is applied. */
export function demoSeedMessages(observedAt: string): readonly IngestMessage[] {
  return [
    ...DEMO_NODES.map((node): IngestMessage => ({ type: 'NodeJoined', node: node as MessageObject, observedAt })),
    { type: 'DaemonSetApplied', manifest: DEMO_FLUENTD_DAEMON_SET as MessageObject, observedAt },
  ];
}

/**
 * Seeds the demo through the ingest queue, like any other producer. Re-seeding an existing cluster
 * changes nothing: the facts are equal to the stored ones.
 */
export async function seedDemo(ingest: IngestQueue, observedAt: string): Promise<void> {
  await ingest.send(demoSeedMessages(observedAt));
}
