import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../../../lib/manifest/field-error.js';
import { toDaemonSet } from '../../../lib/manifest/to-daemon-set.js';
import { type DaemonSet, DEFAULT_ROLLOUT_CONTROLS } from '../../../lib/model/daemon-set.js';
import { daemonSetManifest, fixtureObject } from '../../fixtures/manifests/manifest-fixtures.js';

function accepted(object: unknown): DaemonSet {
  const result = toDaemonSet(object);
  if (!result.ok) throw new Error(result.errors.map(formatFieldError).join('\n'));
  return result.value;
}

describe('toDaemonSet', () => {
  it('accepts the seed fluentd manifest and models it', () => {
    const daemonSet = accepted(fixtureObject('fluentd.yaml'));

    expect(daemonSet).toMatchObject({
      namespace: 'kube-system',
      name: 'fluentd-logger',
      apiVersion: 'apps/v1',
      generation: 1,
      selector: { matchLabels: { name: 'fluentd-logger' } },
      updateStrategy: { type: 'RollingUpdate', maxUnavailable: 1, maxSurge: 0 },
      minReadySeconds: 0,
      revisionHistoryLimit: 10,
      rollout: DEFAULT_ROLLOUT_CONTROLS,
      placement: {
        nodeSelector: {},
        tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
        hostNetwork: false,
      },
    });
    expect(daemonSet.template.metadata).toEqual({ labels: { name: 'fluentd-logger' }, annotations: {} });
    expect(daemonSet.template.spec['volumes']).toEqual([{ name: 'varlog', hostPath: { path: '/var/log' } }]);
  });

  it('accepts the gpu-monitor manifest with its node selector', () => {
    const daemonSet = accepted(fixtureObject('gpu-monitor.yaml'));

    expect(daemonSet.placement.nodeSelector).toEqual({ hardware: 'gpu' });
    expect(daemonSet.labels).toEqual({ 'app.kubernetes.io/name': 'gpu-monitor' });
  });

  it('applies the apps/v1 defaults', () => {
    const daemonSet = accepted(daemonSetManifest());

    expect(daemonSet).toMatchObject({
      namespace: 'default',
      updateStrategy: { type: 'RollingUpdate', maxUnavailable: 1, maxSurge: 0 },
      revisionHistoryLimit: 10,
      minReadySeconds: 0,
      generation: 1,
    });
    expect(daemonSet.template.spec['restartPolicy']).toBe('Always');
  });

  it.each([
    [{ maxUnavailable: '25%' }, { maxUnavailable: { percent: 25 }, maxSurge: 0 }],
    [
      { maxUnavailable: 0, maxSurge: '10%' },
      { maxUnavailable: 0, maxSurge: { percent: 10 } },
    ],
    [
      { maxUnavailable: 0, maxSurge: 2 },
      { maxUnavailable: 0, maxSurge: 2 },
    ],
    [{ maxUnavailable: '100%' }, { maxUnavailable: { percent: 100 }, maxSurge: 0 }],
  ])('reads rolling update limits %j', (rollingUpdate, expected) => {
    const daemonSet = accepted(daemonSetManifest([['spec', 'updateStrategy', 'rollingUpdate'], rollingUpdate]));

    expect(daemonSet.updateStrategy).toEqual({ type: 'RollingUpdate', ...expected });
  });

  it('reads an OnDelete strategy and ignores its rollingUpdate', () => {
    const daemonSet = accepted(
      daemonSetManifest([['spec', 'updateStrategy'], { type: 'OnDelete', rollingUpdate: { maxSurge: 5 } }]),
    );

    expect(daemonSet.updateStrategy).toEqual({ type: 'OnDelete' });
  });

  it('keeps the metadata it uses and ignores the rest', () => {
    const daemonSet = accepted(
      daemonSetManifest(
        [['metadata', 'generation'], 7],
        [['metadata', 'creationTimestamp'], '2024-05-02T09:30:00Z'],
        [['metadata', 'deletionTimestamp'], '2024-05-03T10:00:00Z'],
        [['metadata', 'labels'], { team: 'obs' }],
        [['metadata', 'annotations'], { 'kubectl.kubernetes.io/last-applied-configuration': '{}' }],
        [['metadata', 'managedFields'], [{ manager: 'kubectl' }]],
        [['metadata', 'uid'], 'b1c2'],
        [['status'], { desiredNumberScheduled: 3 }],
        [['spec', 'somethingNew'], { a: 1 }],
      ),
    );

    expect(daemonSet).toMatchObject({
      generation: 7,
      creationTimestamp: '2024-05-02T09:30:00Z',
      deletionTimestamp: '2024-05-03T10:00:00Z',
      labels: { team: 'obs' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    });
  });

  it('keeps the template spec as given, with only restartPolicy defaulted', () => {
    const spec = {
      priorityClassName: 'system-node-critical',
      containers: [{ name: 'agent', image: 'example/agent:1.0', env: [{ name: 'A', value: '1' }] }],
    };

    const daemonSet = accepted(daemonSetManifest([['spec', 'template', 'spec'], spec]));

    expect(daemonSet.template.spec).toEqual({ ...spec, restartPolicy: 'Always' });
  });

  it('extracts the placement view from the template', () => {
    const terms = [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }];

    const daemonSet = accepted(
      daemonSetManifest(
        [['spec', 'template', 'spec', 'nodeName'], 'gpu-1'],
        [['spec', 'template', 'spec', 'nodeSelector'], { hardware: 'gpu' }],
        [['spec', 'template', 'spec', 'hostNetwork'], true],
        [
          ['spec', 'template', 'spec', 'tolerations'],
          [{ operator: 'Exists' }, { key: 'a', value: 'b', effect: 'NoExecute', tolerationSeconds: 30 }],
        ],
        [
          ['spec', 'template', 'spec', 'affinity'],
          {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms },
              preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: {} }],
            },
          },
        ],
      ),
    );

    expect(daemonSet.placement).toEqual({
      nodeName: 'gpu-1',
      nodeSelector: { hardware: 'gpu' },
      requiredNodeAffinity: terms,
      tolerations: [{ operator: 'Exists' }, { key: 'a', value: 'b', effect: 'NoExecute', tolerationSeconds: 30 }],
      hostNetwork: true,
    });
  });

  it('leaves required node affinity out when there is none', () => {
    const daemonSet = accepted(daemonSetManifest());

    expect(daemonSet.placement).toEqual({ nodeSelector: {}, tolerations: [], hostNetwork: false });
  });

  it('accepts a hostPort when the update does not surge', () => {
    const ports = [{ containerPort: 8080, hostPort: 80 }];

    const daemonSet = accepted(daemonSetManifest([['spec', 'template', 'spec', 'containers', '0', 'ports'], ports]));

    expect(daemonSet.updateStrategy).toEqual({ type: 'RollingUpdate', maxUnavailable: 1, maxSurge: 0 });
  });

  it('accepts surge when no port is held on the node', () => {
    const daemonSet = accepted(
      daemonSetManifest(
        [['spec', 'updateStrategy', 'rollingUpdate'], { maxUnavailable: 0, maxSurge: 1 }],
        [['spec', 'template', 'spec', 'containers', '0', 'ports'], [{ containerPort: 8080 }]],
      ),
    );

    expect(daemonSet.updateStrategy).toMatchObject({ maxSurge: 1 });
  });
});
