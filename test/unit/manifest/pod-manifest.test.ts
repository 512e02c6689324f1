import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../../../lib/manifest/field-error.js';
import { toPod } from '../../../lib/manifest/pod-manifest.js';
import type { Pod } from '../../../lib/model/pod.js';
import { fixtureObjects } from '../../fixtures/manifests/manifest-fixtures.js';

function fixturePods(): Pod[] {
  return fixtureObjects('pods.yaml').map((manifest) => {
    const result = toPod(manifest.object);
    if (!result.ok) throw new Error(result.errors.map(formatFieldError).join('\n'));
    return result.value;
  });
}

const pod = (overrides: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'agent-x',
    labels: { 'controller-revision-hash': 'abc123' },
    creationTimestamp: '2024-05-02T09:30:02Z',
  },
  spec: { nodeName: 'node-1' },
  ...overrides,
});

describe('toPod', () => {
  it('reads the fixture pods with their node, revision and readiness', () => {
    const pods = fixturePods();

    expect(pods.map((p) => [p.name, p.nodeName, p.scheduled, p.phase, p.ready])).toEqual([
      ['fluentd-logger-4xk2p', 'control-plane-1', true, 'Running', true],
      ['fluentd-logger-9hq7w', 'gpu-1', true, 'Running', true],
      ['fluentd-logger-b7tmd', 'worker-notready', true, 'Running', false],
      ['fluentd-logger-zr5nc', 'worker-cordoned', false, 'Pending', false],
    ]);
  });

  it('models a ready pod fully', () => {
    const [first] = fixturePods();

    expect(first).toEqual({
      name: 'fluentd-logger-4xk2p',
      namespace: 'kube-system',
      nodeName: 'control-plane-1',
      revisionHash: '6d8f7b9c54',
      labels: { 'controller-revision-hash': '6d8f7b9c54', name: 'fluentd-logger', 'pod-template-generation': '1' },
      creationTimestamp: '2024-05-02T09:30:02Z',
      scheduled: true,
      phase: 'Running',
      ready: true,
      readySince: '2024-05-02T09:30:19Z',
    });
  });

  it('defaults the phase to Pending and the namespace to default', () => {
    const result = toPod(pod({}));

    expect(result.ok && result.value).toMatchObject({ phase: 'Pending', namespace: 'default', ready: false });
  });

  it('keeps a deletion timestamp', () => {
    const result = toPod(
      pod({
        metadata: {
          name: 'a',
          labels: { 'controller-revision-hash': 'h' },
          creationTimestamp: '2024-05-02T09:30:00Z',
          deletionTimestamp: '2024-05-02T09:31:00Z',
        },
      }),
    );

    expect(result.ok && result.value.deletionTimestamp).toBe('2024-05-02T09:31:00Z');
  });

  it.each<[string, Record<string, unknown>, readonly string[]]>([
    [
      'a pod without revision hash',
      { metadata: { name: 'a', creationTimestamp: '2024-05-02T09:30:00Z' } },
      ['metadata.labels[controller-revision-hash]: Required value: a DaemonSet pod carries the revision it runs'],
    ],
    [
      'a pod without creationTimestamp',
      { metadata: { name: 'a', labels: { 'controller-revision-hash': 'h' } } },
      ['metadata.creationTimestamp: Required value'],
    ],
    [
      'a pod without node',
      { spec: {} },
      [
        'spec.nodeName: Required value: a DaemonSet pod names its node in `spec.nodeName` or a `metadata.name` node affinity term',
      ],
    ],
    [
      'an unknown phase',
      { status: { phase: 'Crashing' } },
      [
        'status.phase: Unsupported value: "Crashing": supported values: "Pending", "Running", "Succeeded", "Failed", "Unknown"',
      ],
    ],
  ])('reports %s', (_name, overrides, expected) => {
    const result = toPod(pod(overrides));

    expect(result.ok ? [] : result.errors.map(formatFieldError)).toEqual(expected);
  });
});
