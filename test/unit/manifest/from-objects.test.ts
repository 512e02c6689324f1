import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../../../lib/manifest/field-error.js';
import { fromDaemonSet } from '../../../lib/manifest/from-daemon-set.js';
import { fromNode } from '../../../lib/manifest/from-node.js';
import { fromPod } from '../../../lib/manifest/from-pod.js';
import { toPod } from '../../../lib/manifest/pod-manifest.js';
import { readManifests } from '../../../lib/manifest/read-manifests.js';
import { toDaemonSet } from '../../../lib/manifest/to-daemon-set.js';
import { toList } from '../../../lib/manifest/to-list.js';
import { toNode } from '../../../lib/manifest/to-node.js';
import type { DaemonSet } from '../../../lib/model/daemon-set.js';
import type { DaemonSetStatus } from '../../../lib/model/status.js';
import { daemonSetManifest, fixtureObject, fixtureObjects } from '../../fixtures/manifests/manifest-fixtures.js';

function accepted(object: unknown): DaemonSet {
  const result = toDaemonSet(object);
  if (!result.ok) throw new Error(result.errors.map(formatFieldError).join('\n'));
  return result.value;
}

const STATUS: DaemonSetStatus = {
  observedGeneration: 2,
  desiredNumberScheduled: 4,
  currentNumberScheduled: 4,
  numberMisscheduled: 0,
  numberReady: 3,
  updatedNumberScheduled: 2,
  numberAvailable: 3,
  numberUnavailable: 1,
  updateRevision: '6d8f7b9c54',
  conditions: [],
};

describe('fromDaemonSet', () => {
  it('renders an apps/v1 DaemonSet as kubectl prints it', () => {
    const daemonSet = accepted(fixtureObject('fluentd.yaml'));

    const object = fromDaemonSet(daemonSet, STATUS);

    expect(object).toEqual({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'fluentd-logger', namespace: 'kube-system', generation: 1 },
      spec: {
        selector: { matchLabels: { name: 'fluentd-logger' } },
        template: { metadata: { labels: { name: 'fluentd-logger' } }, spec: daemonSet.template.spec },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        revisionHistoryLimit: 10,
      },
      status: {
        currentNumberScheduled: 4,
        desiredNumberScheduled: 4,
        numberAvailable: 3,
        numberMisscheduled: 0,
        numberReady: 3,
        numberUnavailable: 1,
        observedGeneration: 2,
        updatedNumberScheduled: 2,
      },
    });
  });

  it('writes rollout controls of an apps/v1 DaemonSet as annotations', () => {
    const daemonSet = accepted(
      daemonSetManifest([
        ['metadata', 'annotations'],
        { 'everynode.io/canary-selector': 'zone in (a,b)', 'everynode.io/burst-replicas': '20' },
      ]),
    );

    const metadata = fromDaemonSet(daemonSet)['metadata'];

    expect(metadata).toMatchObject({
      annotations: { 'everynode.io/canary-selector': 'zone in (a,b)', 'everynode.io/burst-replicas': '20' },
    });
  });

  it('writes rollout controls of a Kruise DaemonSet as its fields, the rest as annotations', () => {
    const daemonSet = accepted(fixtureObject('kruise-v1beta1.yaml'));
    const withFreeze = { ...daemonSet, rollout: { ...daemonSet.rollout, frozen: true, paused: true } };

    const object = fromDaemonSet(withFreeze, STATUS);

    expect(object).toMatchObject({
      metadata: { annotations: { 'everynode.io/frozen': 'true' } },
      spec: {
        burstReplicas: 50,
        updateStrategy: {
          rollingUpdate: {
            rollingUpdateType: 'Standard',
            maxUnavailable: '10%',
            partition: '20%',
            paused: true,
            selector: { matchLabels: { canary: 'true' } },
          },
        },
      },
      status: { updateRevision: '6d8f7b9c54' },
    });
  });

  it('writes a percentage partition of a v1alpha1 DaemonSet, which has no field for it, as an annotation', () => {
    const daemonSet = accepted(fixtureObject('kruise-v1alpha1.yaml'));

    const object = fromDaemonSet(
      { ...daemonSet, rollout: { ...daemonSet.rollout, partition: { percent: 30 } } },
      STATUS,
    );

    expect(object).toMatchObject({
      metadata: { annotations: { 'everynode.io/partition': '30%' } },
      spec: { updateStrategy: { rollingUpdate: { partition: 0, paused: true } } },
      status: { daemonSetHash: '6d8f7b9c54' },
    });
  });

  it('takes rollout controls from the rollout, not from leftover annotations', () => {
    const daemonSet = accepted(fixtureObject('kruise-v1beta1.yaml'));
    const paused = {
      ...daemonSet,
      annotations: { 'everynode.io/paused': 'true', 'everynode.io/frozen': 'true' },
      rollout: { ...daemonSet.rollout, paused: true },
    };

    const again = accepted(fromDaemonSet(paused));

    expect(again.rollout).toEqual(paused.rollout);
    expect(again.annotations).toEqual({});
  });

  it.each(['fluentd.yaml', 'gpu-monitor.yaml', 'kruise-v1alpha1.yaml', 'kruise-v1beta1.yaml'])(
    'gives back the same model for %s',
    (name) => {
      const daemonSet = accepted(fixtureObject(name));

      const again = accepted(fromDaemonSet(daemonSet));

      expect(again).toEqual(daemonSet);
    },
  );
});

describe('fromNode and fromPod', () => {
  it('give back the fixture nodes', () => {
    const nodes = fixtureObjects('nodes.yaml').map((manifest) => toNode(manifest.object));

    const again = nodes.map((node) => (node.ok ? toNode(fromNode(node.value)) : node));

    expect(again).toEqual(nodes);
  });

  it('give back the fixture pods, scheduled or not', () => {
    const pods = fixtureObjects('pods.yaml').map((manifest) => toPod(manifest.object));

    const again = pods.map((pod) => (pod.ok ? toPod(fromPod(pod.value)) : pod));

    expect(again).toEqual(pods);
  });

  it('renders an unscheduled pod with the node affinity term', () => {
    const pod = toPod(fixtureObjects('pods.yaml')[3]?.object);

    const spec = pod.ok ? fromPod(pod.value)['spec'] : undefined;

    expect(spec).toEqual({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-cordoned'] }] },
            ],
          },
        },
      },
    });
  });
});

describe('toList', () => {
  it('wraps objects as kubectl prints a List, which readManifests flattens again', () => {
    const nodes = fixtureObjects('nodes.yaml').map((manifest) => manifest.object);

    const list = toList('List', nodes);

    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' } });
    expect(readManifests(JSON.stringify(list), 'list.json').map((manifest) => manifest.object)).toEqual(nodes);
  });

  it('gives a typed list its items’ apiVersion', () => {
    const list = toList('DaemonSetList', [fixtureObject('fluentd.yaml')]);

    expect(list).toMatchObject({ apiVersion: 'apps/v1', kind: 'DaemonSetList' });
  });
});
