import { describe, expect, it } from 'vitest';
import { daemonPodSpec } from '../../../lib/manifest/daemon-pod-spec.js';
import { fromPod } from '../../../lib/manifest/from-pod.js';
import { toPod } from '../../../lib/manifest/pod-manifest.js';
import type { PodTemplate } from '../../../lib/model/daemon-set.js';
import { aPod } from '../../fixtures/builders/a-pod.js';

const template: PodTemplate = {
  metadata: { labels: { name: 'agent' }, annotations: { 'example.com/owner': 'infra' } },
  spec: {
    restartPolicy: 'Always',
    hostNetwork: true,
    containers: [{ name: 'agent', image: 'example/agent:1.0' }],
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
    ],
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: {} }],
      },
    },
  },
};

describe('daemonPodSpec', () => {
  it('pins the required node affinity to the node and keeps the preferred terms', () => {
    const spec = daemonPodSpec(template, 'worker-1', false);

    expect(spec['affinity']).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-1'] }] }],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: {} }],
      },
    });
    expect(spec).not.toHaveProperty('nodeName');
  });

  it('adds the default tolerations, network-unavailable with hostNetwork, and makes not-ready last forever', () => {
    const spec = daemonPodSpec(template, 'worker-1', true);

    expect(spec['nodeName']).toBe('worker-1');
    expect(spec['tolerations']).toContainEqual({
      key: 'node.kubernetes.io/not-ready',
      operator: 'Exists',
      effect: 'NoExecute',
    });
    expect(spec['tolerations']).toContainEqual({
      key: 'node.kubernetes.io/network-unavailable',
      operator: 'Exists',
      effect: 'NoSchedule',
    });
    expect(spec['containers']).toEqual([{ name: 'agent', image: 'example/agent:1.0' }]);
  });

  it('renders a pod that toPod reads back', () => {
    const pod = aPod('agent-x').on('worker-1').build();

    const object = fromPod(pod, template);
    const read = toPod(object);

    expect(object['metadata']).toMatchObject({ annotations: { 'example.com/owner': 'infra' } });
    expect(read.ok && read.value.nodeName).toBe('worker-1');
  });

  it('renders exactly the tolerations Kubernetes gives a DaemonSet pod, in its order, and the startup one last', () => {
    const plain: PodTemplate = {
      metadata: { labels: {}, annotations: {} },
      spec: { containers: [{ name: 'c', image: 'i' }] },
    };
    const exists = (key: string, effect: string) => ({ key, operator: 'Exists', effect });
    const kubernetes = [
      exists('node.kubernetes.io/not-ready', 'NoExecute'),
      exists('node.kubernetes.io/unreachable', 'NoExecute'),
      exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
      exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
      exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
      exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
    ];

    expect(daemonPodSpec(plain, 'worker-1', true)['tolerations']).toEqual(kubernetes);
    expect(daemonPodSpec(plain, 'worker-1', true, true)['tolerations']).toEqual([
      ...kubernetes,
      exists('everynode.io/startup', 'NoSchedule'),
    ]);
    // With hostNetwork, network-unavailable comes before the startup toleration.
    expect(daemonPodSpec(template, 'worker-1', true, true)['tolerations']).toEqual([
      exists('node.kubernetes.io/not-ready', 'NoExecute'),
      ...kubernetes.slice(1),
      exists('node.kubernetes.io/network-unavailable', 'NoSchedule'),
      exists('everynode.io/startup', 'NoSchedule'),
    ]);
  });

  it('gives a pod created for a startup-critical DaemonSet the startup toleration, and no other pod', () => {
    const startup = { key: 'everynode.io/startup', operator: 'Exists', effect: 'NoSchedule' };
    const critical = fromPod({ ...aPod('cni-x').on('worker-1').build(), startupCritical: true }, template);
    const ordinary = fromPod(aPod('logs-x').on('worker-1').build(), template);

    expect((critical['spec'] as { tolerations: unknown[] }).tolerations).toContainEqual(startup);
    expect((ordinary['spec'] as { tolerations: unknown[] }).tolerations).not.toContainEqual(startup);
  });
});
